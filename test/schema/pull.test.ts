import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSchema } from "../../src/schema/load";
import { sharedApidocDir } from "../../codegen/provision";
import { bindingsInfo, bindingsVersionWarning, checkBindingsVersion } from "../../src/runtime/bindings-version";
import { PveClient } from "../../src/runtime/client";
import { PveError, PveNotFoundError, PveTlsError } from "../../src/runtime/errors";
import { metaPathFor, pullSchema, releaseOf, writePulledSchema } from "../../src/schema/pull";
import { createSimulator } from "../../src/testing";
import type { SimServer } from "../../src/testing";

const SCHEMA = join(sharedApidocDir(), "pve-9.0.json");

describe("pullSchema against the simulator over HTTPS", () => {
  const sim = createSimulator({ schemaPath: SCHEMA });
  let server: SimServer;
  let dir: string;
  let client: PveClient;

  beforeAll(async () => {
    sim.state.version = { version: "9.0.6", release: "9.0", repoid: "49c767b7" };
    server = await sim.listen({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), "pvekit-pull-"));
    const { tokenId, secret } = sim.credentials.token;
    client = new PveClient({ baseUrl: server.url, auth: { tokenId, secret }, tls: { fingerprint: server.fingerprint } });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("downloads apidoc.js, strips the wrapper, records /version, and writes JSON + sidecar the codegen reads", async () => {
    const expected = await loadSchema(SCHEMA);
    const pulled = await pullSchema({ baseUrl: server.url, tls: { fingerprint: server.fingerprint }, client });
    expect(pulled.source).toBe(`${server.url}/pve-docs/api-viewer/apidoc.js`);
    expect(pulled.sha256).toBe(expected.sha256);
    expect(pulled.version).toEqual({ version: "9.0.6", release: "9.0", repoid: "49c767b7" });
    expect(pulled.methods).toBeGreaterThan(0);

    const out = join(dir, "schema", "apidoc.json");
    const written = await writePulledSchema(pulled, out);
    expect(written).toEqual({ schemaPath: out, metaPath: join(dir, "schema", "apidoc.meta.json") });
    const meta = JSON.parse(await readFile(written.metaPath, "utf8"));
    expect(meta).toEqual({ pveVersion: "9.0.6", source: pulled.source, sha256: expected.sha256 });
    // what the codegen will see: the same tree, and the host's version from the sidecar
    const reloaded = await loadSchema(out);
    expect(reloaded.sha256).toBe(expected.sha256);
    expect(reloaded.pveVersion).toBe("9.0.6");
  });

  it("pulls without a client, recording no version", async () => {
    const pulled = await pullSchema({ baseUrl: server.url, tls: { fingerprint: server.fingerprint } });
    expect(pulled.version).toBeUndefined();
    const out = join(dir, "noversion.json");
    await writePulledSchema(pulled, out);
    expect(JSON.parse(await readFile(join(dir, "noversion.meta.json"), "utf8")).pveVersion).toBeNull();
    expect((await loadSchema(out)).pveVersion).toBeUndefined();
  });

  it("verifies TLS like the client: a self-signed certificate is refused by default and a wrong pin is refused", async () => {
    await expect(pullSchema({ baseUrl: server.url })).rejects.toBeInstanceOf(PveTlsError);
    const wrong = server.fingerprint.replace(/^../, server.fingerprint.startsWith("00") ? "11" : "00");
    await expect(pullSchema({ baseUrl: server.url, tls: { fingerprint: wrong } })).rejects.toBeInstanceOf(PveTlsError);
  });

  it("propagates a failing /version (e.g. a wrong token) instead of saving an unversioned schema", async () => {
    const bad = new PveClient({
      baseUrl: server.url,
      auth: { tokenId: sim.credentials.token.tokenId, secret: "00000000-0000-0000-0000-000000000000" },
      tls: { fingerprint: server.fingerprint },
      retry: false,
    });
    try {
      const err = await pullSchema({ baseUrl: server.url, tls: { fingerprint: server.fingerprint }, client: bad }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PveError);
      expect((err as PveError).code).toBe("PVE_ERR_AUTH");
      expect(String((err as Error).message)).not.toContain("00000000-0000");
    } finally {
      await bad.close();
    }
  });

  it("compares the server's release with the bindings (checkBindingsVersion)", async () => {
    const same = await checkBindingsVersion(client, { pveVersion: "9.0.2" });
    expect(same).toBeNull();
    const newer = await checkBindingsVersion(client, { pveVersion: "9.2.11" });
    expect(newer).toContain("server runs PVE 9.0.6");
    expect(newer).toContain("generated from PVE 9.2.11");
    expect(newer).toContain("pvekit schema pull");
    // the client reports the same, against the bindings it was built with (PVE 9.2.11)
    expect(PveClient.bindings).toMatchObject({ pveVersion: "9.2.11", methods: 678 });
    expect(PveClient.bindings.schemaSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await client.checkBindings()).toMatch(/server runs PVE 9\.0\.6 but the bindings were generated from PVE 9\.2\.11/);
  });
});

describe("pullSchema failures", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pvekit-pull-bad-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reports a host that does not serve apidoc.js as not found", async () => {
    const sim = createSimulator({ schemaPath: join(dir, "missing.json") });
    const server = await sim.listen({ port: 0 });
    try {
      const err = await pullSchema({ baseUrl: server.url, tls: { fingerprint: server.fingerprint } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PveNotFoundError);
      expect((err as Error).message).toContain("pve-docs");
    } finally {
      await server.close();
    }
  });

  it("refuses an answer that is not an apidoc tree, and writes nothing", async () => {
    const notApidoc = join(dir, "not-apidoc.json");
    await writeFile(notApidoc, JSON.stringify({ hello: "world" }));
    const sim = createSimulator({ schemaPath: notApidoc });
    const server = await sim.listen({ port: 0 });
    try {
      const err = await pullSchema({ baseUrl: server.url, tls: { fingerprint: server.fingerprint } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PveError);
      expect((err as PveError).code).toBe("PVE_ERR_RESPONSE");
      expect((err as Error).message).toMatch(/did not return a PVE API schema: .*defines no API methods/);
    } finally {
      await server.close();
    }
    expect(existsSync(join(dir, "schema"))).toBe(false);
  });

  it("names an unreachable host", async () => {
    // a listener that is closed again leaves a port nothing answers on
    const sim = createSimulator({ schemaPath: SCHEMA });
    const server = await sim.listen({ port: 0 });
    await server.close();
    const err = await pullSchema({ baseUrl: server.url, tls: { fingerprint: server.fingerprint } }).catch((e: unknown) => e);
    expect((err as PveError).code).toBe("PVE_ERR_CONNECTION");
    expect((err as Error).message).toContain(`127.0.0.1:${server.port}`);
  });
});

describe("helpers", () => {
  it.each([
    ["schema/apidoc.json", "schema/apidoc.meta.json"],
    ["live.js", "live.meta.json"],
    ["pve-live", "pve-live.meta.json"],
  ])("metaPathFor(%s) = %s", (input, want) => {
    expect(metaPathFor(input)).toBe(want);
  });

  it.each([
    ["9.2.11", "9.2"],
    ["8.4", "8.4"],
    ["pve-manager/7.4-3", undefined],
  ])("releaseOf(%s) = %s", (input, want) => {
    expect(releaseOf(input)).toBe(want);
  });
});

describe("bindingsVersionWarning", () => {
  it("is null when major.minor match, whatever the patch level", () => {
    expect(bindingsVersionWarning({ version: "9.2.3", release: "9.2" }, { pveVersion: "9.2.11" })).toBeNull();
    expect(bindingsVersionWarning("9.2.11", { pveVersion: "9.2" })).toBeNull();
  });

  it("warns when the server is older or newer than the bindings, saying what to do", () => {
    const older = bindingsVersionWarning({ version: "8.4.1", release: "8.4" }, { pveVersion: "9.2.11" });
    expect(older).toMatch(/server runs PVE 8\.4\.1 but the bindings were generated from PVE 9\.2\.11/);
    expect(older).toContain("added after PVE 8.4 may be rejected by the server");
    const newer = bindingsVersionWarning({ version: "9.3.1", release: "9.3" }, { pveVersion: "9.2.11" });
    expect(newer).toContain("added after PVE 9.2 are missing from the bindings");
    expect(newer).toContain("npm run codegen");
  });

  it("warns when the bindings record no version, and stays quiet when the server's is unknown", () => {
    expect(bindingsVersionWarning({ version: "9.2.11" }, { pveVersion: null })).toContain("record no PVE version");
    expect(bindingsVersionWarning({}, { pveVersion: "9.2.11" })).toBeNull();
  });

  it("defaults to the generated bindings' own version", () => {
    const info = bindingsInfo();
    expect(info.schemaSha256).toMatch(/^[0-9a-f]{64}$/);
    if (info.pveVersion) expect(bindingsVersionWarning(info.pveVersion)).toBeNull();
    else expect(bindingsVersionWarning("9.2.11")).toContain("record no PVE version");
  });
});
