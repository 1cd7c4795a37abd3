import { inspect } from "node:util";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { PveClient } from "../../src/runtime/client";
import { resolveClientOptions } from "../../src/runtime/config/from-env";
import type { PveError } from "../../src/runtime/errors";
import { API, TOKEN, mswClient, useMsw } from "./helpers/msw-client";

// Finding 8 (runtime): text a server sends back reached PveError.message unredacted through body.message and
// PveParamError's message; a secret put in PROXMOX_TOKEN_ID was printed by the validation error;
// resolveClientOptions() returned the secret in a plain object.
const server = useMsw();
const ECHO = `bad credentials for automation@pve!ci: ${TOKEN.secret}`;

function texts(err: unknown): string {
  const e = err as PveError & { errors?: Record<string, string> };
  return [e.message, e.reason ?? "", JSON.stringify(e.errors ?? {}), inspect(e, { depth: 4 }), String(e.stack)].join("\n");
}

describe("server text that echoes a secret", () => {
  it("body.message (no reason phrase) is scrubbed", async () => {
    const answer = async () => new Response(JSON.stringify({ data: null, message: ECHO }), { status: 500, statusText: "" });
    const err = await new PveClient({ baseUrl: "https://pve.test:8006", auth: TOKEN, retry: false, fetch: answer })
      .request("GET", "/version")
      .catch((e: unknown) => e);
    expect(texts(err)).not.toContain(TOKEN.secret);
    expect((err as Error).message).toMatch(/bad credentials for automation@pve!ci: \*\*\*/);
  });

  it("PveParamError's message and errors map are scrubbed, and so is a secret parameter of the request", async () => {
    server.use(
      http.put(`${API}/nodes/:node/qemu/:vmid/config`, () =>
        HttpResponse.json(
          { data: null, errors: { cipassword: "value 'cloud-Secret-42' is too weak", description: `token ${TOKEN.secret} refused` } },
          { status: 400, statusText: "Parameter verification failed." },
        ),
      ),
    );
    const err = await mswClient()
      .request("PUT", "/nodes/{node}/qemu/{vmid}/config", { node: "pve1", vmid: 100, cipassword: "cloud-Secret-42" })
      .catch((e: unknown) => e);
    const all = texts(err);
    expect(all).not.toContain(TOKEN.secret);
    expect(all).not.toContain("cloud-Secret-42");
    expect((err as PveError).message).toMatch(/cipassword: value '\*\*\*' is too weak/);
  });
});

describe("a secret in the token id position is never printed", () => {
  const secret = "0b5e3c1a-9d2f-4e6a-8b7c-123456789abc";
  it.each([
    ["swapped variables", { PROXMOX_TOKEN_ID: secret, PROXMOX_TOKEN_SECRET: "automation@pve!ci" }],
    ['"id secret"', { PROXMOX_TOKEN_ID: `automation@pve!ci ${secret}`, PROXMOX_TOKEN_SECRET: "x-unused-x" }],
    ['"id:secret"', { PROXMOX_TOKEN_ID: `automation@pve!ci:${secret}` }],
    ['"id=secret" without a secret variable', { PROXMOX_TOKEN_ID: `automation@pve!ci=${secret}` }],
  ])("%s", (_what, env) => {
    let message = "";
    try {
      const { options } = resolveClientOptions({ env: { PROXMOX_HOST: "pve.test", ...env }, credentialsFile: false });
      new PveClient(options);
    } catch (err) {
      message = texts(err);
    }
    expect(message).toMatch(/token id/i);
    expect(message).not.toContain(secret);
    expect(message).not.toContain(secret.slice(0, 8));
  });
});

describe("resolveClientOptions()", () => {
  it("does not show the secret when printed, inspected or serialised, and the client still authenticates", async () => {
    const resolved = resolveClientOptions({
      env: { PROXMOX_HOST: "https://pve.test:8006", PROXMOX_TOKEN_ID: TOKEN.tokenId, PROXMOX_TOKEN_SECRET: TOKEN.secret },
      credentialsFile: false,
    });
    for (const text of [inspect(resolved, { depth: 9 }), inspect(resolved, { depth: 9, showHidden: true }), JSON.stringify(resolved), String(Object.values(resolved.options.auth ?? {}))])
      expect(text).not.toContain(TOKEN.secret);
    let seen = "";
    server.use(
      http.get(`${API}/version`, ({ request }) => {
        seen = request.headers.get("authorization") ?? "";
        return HttpResponse.json({ data: { version: "9.2.11" } });
      }),
    );
    await new PveClient({ ...resolved.options, fetch: (i, init) => fetch(i, init) }).request("GET", "/version");
    expect(seen).toBe(`PVEAPIToken=${TOKEN.tokenId}=${TOKEN.secret}`);
  });
  it("also for a password", () => {
    const resolved = resolveClientOptions({ env: { PROXMOX_HOST: "pve.test", PROXMOX_USER: "root@pam", PROXMOX_PASSWORD: "pw-Secret-77" }, credentialsFile: false });
    expect(inspect(resolved, { depth: 9, showHidden: true }) + JSON.stringify(resolved)).not.toContain("pw-Secret-77");
  });
});
