import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import type { SimServer } from "../../src/testing";

const run = promisify(execFile);
const hasCurl = await run("curl", ["--version"]).then(
  () => true,
  () => false,
);

describe("HTTPS face", () => {
  const sim = createSimulator();
  let server: SimServer;
  let agent: Agent;

  beforeAll(async () => {
    server = await sim.listen({ port: 0 });
    agent = new Agent({ connect: { ca: server.cert } }); // verify against the simulator's own certificate
  });
  afterAll(async () => {
    await agent.close();
    await server.close();
  });

  const get = async (path: string, headers: Record<string, string> = { authorization: sim.credentials.token.header }) => {
    const r = await request(`${server.url}/api2/json${path}`, { dispatcher: agent, headers });
    return { status: r.statusCode, json: (await r.body.json()) as any };
  };

  it("serves on 127.0.0.1 with a certificate whose fingerprint it reports", () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(new X509Certificate(server.cert).fingerprint256).toBe(server.fingerprint);
  });

  it("answers API requests over verified TLS", async () => {
    const r = await get("/nodes/pve1/qemu");
    expect(r.status).toBe(200);
    expect(r.json.data.map((g: { vmid: number }) => g.vmid)).toContain(100);
  });

  it("carries PVE's message in the status line", async () => {
    // undici's request API hides the reason phrase; read the raw status line over TLS instead
    const { connect } = await import("node:tls");
    const line = await new Promise<string>((resolve, reject) => {
      const s = connect({ host: "127.0.0.1", port: server.port, ca: server.cert, servername: "localhost" }, () => {
        s.write(`POST /api2/json/nodes/pve2/qemu/102/status/suspend HTTP/1.1\r\nHost: x\r\nAuthorization: ${sim.credentials.token.header}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      });
      let buf = "";
      s.on("data", (d) => (buf += d));
      s.on("end", () => resolve(buf.split("\r\n")[0] as string));
      s.on("error", reject);
    });
    expect(line).toBe("HTTP/1.1 500 VM 102 not running");
  });

  it("drops the connection on a reset fault", async () => {
    sim.fault("GET /cluster/status", { kind: "reset" });
    await expect(get("/cluster/status")).rejects.toThrow();
    expect((await get("/cluster/status")).status).toBe(200);
  });

  it("serves apidoc.js from the schema file it was given", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pvekit-sim-"));
    const file = join(dir, "apidoc.json");
    writeFileSync(file, JSON.stringify([{ path: "/version", text: "version", leaf: 1, info: {} }]));
    const docSim = createSimulator({ schemaPath: file });
    const docServer = await docSim.listen();
    const docAgent = new Agent({ connect: { ca: docServer.cert } });
    try {
      const r = await request(`${docServer.url}/pve-docs/api-viewer/apidoc.js`, { dispatcher: docAgent });
      const text = await r.body.text();
      expect(text.startsWith("const apiSchema = [")).toBe(true);
      const tree = JSON.parse(/=\s*(\[[\s\S]*\]);/.exec(text)?.[1] ?? "null");
      expect(tree[0].path).toBe("/version");
    } finally {
      await docAgent.close();
      await docServer.close();
    }
  });

  it.skipIf(!hasCurl)("runs a real client's scenario with curl: password login, then a write with CSRF", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pvekit-curl-"));
    const ca = join(dir, "ca.pem");
    writeFileSync(ca, server.cert);
    const curl = async (...args: string[]) => JSON.parse((await run("curl", ["-sS", "--cacert", ca, ...args])).stdout);
    const login = await curl("--data-urlencode", "username=root@pam", "--data-urlencode", `password@${writeSecret(dir, sim.credentials.root.password)}`, `${server.url}/api2/json/access/ticket`);
    const { ticket, CSRFPreventionToken } = login.data;
    expect(typeof ticket).toBe("string");
    const cookie = ["-b", `PVEAuthCookie=${ticket}`];
    const config = await curl(...cookie, `${server.url}/api2/json/nodes/pve1/qemu/101/config`);
    const put = await curl(...cookie, "-H", `CSRFPreventionToken: ${CSRFPreventionToken}`, "-X", "PUT", "--data", `cores=3&digest=${config.data.digest}`, `${server.url}/api2/json/nodes/pve1/qemu/101/config`);
    expect(put).toEqual({ data: null });
    expect(sim.state.guests.get(101)?.pending?.cores).toBe(3); // 101 runs: pending until its next start
  });
});

/** Keeps the password off curl's command line. */
function writeSecret(dir: string, secret: string): string {
  const file = join(dir, "password");
  writeFileSync(file, secret, { mode: 0o600 });
  return file;
}
