import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { json, selfSignedCert, startServer, type TestServer } from "../../runtime/helpers/https-server";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Finding 9: the configured credentials followed any --host or `schema pull <url>`, plain http:// included,
// with no warning. A rogue server stands in for the attacker's host; it records what reaches it.
let t: SimSkill;
let rogue: TestServer;
let rogueFp: string;
let plain: { url: string; seen: IncomingMessage["headers"][]; close(): Promise<void> };
const apidoc = `const apiSchema = ${readFileSync(join("schema", "apidoc.json"), "utf8")};`;

beforeAll(async () => {
  t = await startSimSkill();
  const cert = selfSignedCert();
  rogueFp = cert.fingerprint;
  rogue = await startServer(cert, (req, _body, res) => {
    if (req.url?.startsWith("/pve-docs/")) {
      res.writeHead(200, { "Content-Type": "application/javascript" }).end(apidoc);
      return;
    }
    json(res, 200, { data: req.url?.includes("/version") ? { version: "9.2.11", release: "9.2" } : [] });
  });
  const seen: IncomingMessage["headers"][] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { "Content-Type": "application/json" }).end('{"data":[]}');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  plain = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
});
afterAll(async () => {
  await t.close();
  await rogue.close();
  await plain.close();
});

const withAuth = (headers: IncomingMessage["headers"][]) => headers.filter((h) => h.authorization || h.cookie);

describe("--host other than the configured one", () => {
  test("with its own --fingerprint: refused (exit 2), the credentials are not sent", async () => {
    const before = rogue.requests.length;
    const r = await runCli(["guests", "--host", rogue.url, "--fingerprint", rogueFp], t.env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/differs from the configured host.*--trust-host/s);
    expect(withAuth(rogue.requests.slice(before).map((q) => q.headers))).toEqual([]);
  });

  test("with --insecure: the configured pin still applies (TLS refuses the rogue), nothing is sent", async () => {
    const before = rogue.requests.length;
    const r = await runCli(["guests", "--host", rogue.url, "--insecure"], t.env());
    expect(r.code).not.toBe(0);
    expect(rogue.requests.length).toBe(before);
  });

  test("with --insecure and no pin configured (system CAs): refused (exit 2)", async () => {
    const before = rogue.requests.length;
    const r = await runCli(["guests", "--host", rogue.url, "--insecure"], t.env({ PROXMOX_FINGERPRINT: "" }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/differs from the configured host/);
    expect(rogue.requests.length).toBe(before);
  });

  test("--trust-host sends them on purpose", async () => {
    const before = rogue.requests.length;
    const r = await runCli(["guests", "--host", rogue.url, "--fingerprint", rogueFp, "--trust-host"], t.env());
    expect(r.code).toBe(0);
    expect(withAuth(rogue.requests.slice(before).map((q) => q.headers))).toHaveLength(1);
  });

  test("the configured host in another spelling is the same host", async () => {
    const r = await runCli(["guests", "--host", t.url.replace("https://", "")], t.env());
    expect(r.code).toBe(0);
  });
});

// Red-team round on #11: the host check looked at --host only. A --config file of the agent's own naming
// another host (and pin) sent the configured token there, the same as --host would have.
describe("a host from another --config file", () => {
  test("the operator's $PVEKIT_CONFIG names the host; the agent's --config names the rogue: refused, nothing sent", async () => {
    const { writeFileSync } = await import("node:fs");
    const operator = join(t.stateDir, "operator.yaml");
    const agent = join(t.stateDir, "agent.yaml");
    writeFileSync(operator, `host: ${t.url}\nfingerprint: "${t.fingerprint}"\n`);
    writeFileSync(agent, `host: ${rogue.url}\nfingerprint: "${rogueFp}"\n`);
    const env = t.env({ PROXMOX_HOST: "", PROXMOX_FINGERPRINT: "", PVEKIT_CONFIG: operator });
    const ok = await runCli(["guests", "--json"], env);
    expect(ok.code, ok.stdout).toBe(0);
    const before = rogue.requests.length;
    const r = await runCli(["guests", "--config", agent, "--json"], env);
    expect(withAuth(rogue.requests.slice(before).map((q) => q.headers))).toEqual([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/differs from the configured host/);

    // the same secret read from the operator's secret file by the agent's config: the same credentials
    const secretFile = join(t.stateDir, "operator-secret");
    writeFileSync(secretFile, t.sim.credentials.token.secret, { mode: 0o600 });
    writeFileSync(agent, `host: ${rogue.url}\nfingerprint: "${rogueFp}"\ntoken_id: "${t.sim.credentials.token.tokenId}"\ntoken_secret_file: ${secretFile}\n`);
    const viaFile = await runCli(["guests", "--config", agent, "--json"], env);
    expect(viaFile.code).toBe(2);
    expect(withAuth(rogue.requests.slice(before).map((q) => q.headers))).toEqual([]);

    // a config that brings its own token for its own host (another cluster) is not the operator's to guard
    writeFileSync(agent, `host: ${rogue.url}\nfingerprint: "${rogueFp}"\ntoken_id: "other@pve!x"\ntoken_secret_file: ${join(t.stateDir, "other-secret")}\n`);
    writeFileSync(join(t.stateDir, "other-secret"), "99999999-8888-7777-6666-555555555555", { mode: 0o600 });
    writeFileSync(operator, `host: ${t.url}\nfingerprint: "${t.fingerprint}"\ntoken_id: "${t.sim.credentials.token.tokenId}"\ntoken_secret_file: ${secretFile}\n`);
    const other = await runCli(["guests", "--config", agent, "--json"], { ...env, PROXMOX_TOKEN_ID: "", PROXMOX_TOKEN_SECRET: "" });
    expect(other.code, other.stdout).toBe(0);
  });
});

describe("plain http://", () => {
  test("a configured http:// host: refused without --allow-http, nothing sent", async () => {
    const r = await runCli(["guests"], t.env({ PROXMOX_HOST: plain.url, PROXMOX_FINGERPRINT: "" }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--allow-http/);
    expect(withAuth(plain.seen)).toEqual([]);
    const ok = await runCli(["guests", "--allow-http"], t.env({ PROXMOX_HOST: plain.url, PROXMOX_FINGERPRINT: "" }));
    expect(ok.code).toBe(0);
    expect(withAuth(plain.seen)).toHaveLength(1);
  });
});

describe("schema pull <url>", () => {
  test("of another host: pulled without credentials, and the warning says why", async () => {
    const before = rogue.requests.length;
    const out = join(t.stateDir, "rogue-apidoc.json");
    const r = await runCli(["schema", "pull", rogue.url, "--fingerprint", rogueFp, "--out", out], t.env());
    expect(r.code).toBe(0);
    expect(withAuth(rogue.requests.slice(before).map((q) => q.headers))).toEqual([]);
    expect(r.stderr).toMatch(/version was not recorded.*differs from the configured host/s);
  });
});
