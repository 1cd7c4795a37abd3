import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { provisionSchema, sharedApidocDir } from "../../codegen/provision";
import { loadSchema } from "../../src/schema/load";
import { createSimulator, type SimServer } from "../../src/testing";
import { treeWith } from "./helpers";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pvekit-provision-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const shared = sharedApidocDir();

describe("provisionSchema (the setup step's order: $PVEKIT_SCHEMA, existing file, ../shared default)", () => {
  it("defaults to ../shared/pve-apidoc/pve-9.2.11.json, recording its version and copying the format definitions", async () => {
    const schemaDir = join(dir, "schema");
    const p = await provisionSchema({ schemaDir, env: {} });
    expect(p).toMatchObject({ from: "shared", pveVersion: "9.2.11", path: join(schemaDir, "apidoc.json") });
    const meta = JSON.parse(await readFile(join(schemaDir, "apidoc.meta.json"), "utf8"));
    expect(meta).toMatchObject({ pveVersion: "9.2.11", source: "pve-9.2.11.json" });
    expect(existsSync(join(schemaDir, "formats.json"))).toBe(true);
  });

  it("keeps an existing schema/apidoc.json (for example one pulled from a host)", async () => {
    const schemaDir = join(dir, "schema");
    await provisionSchema({ schemaDir, env: {} });
    const mine = JSON.stringify(treeWith("/version", "GET", {}));
    await writeFile(join(schemaDir, "apidoc.json"), mine);
    await writeFile(join(schemaDir, "apidoc.meta.json"), JSON.stringify({ pveVersion: "8.1" }));
    const p = await provisionSchema({ schemaDir, env: {} });
    expect(p).toMatchObject({ from: "existing", pveVersion: "8.1" });
    expect(await readFile(join(schemaDir, "apidoc.json"), "utf8")).toBe(mine);
  });

  it("prefers $PVEKIT_SCHEMA and stores PVE's apidoc.js as plain JSON", async () => {
    const js = join(dir, "pve-8.4-host.js");
    const tree = treeWith("/version", "GET", {});
    await writeFile(js, `const apiSchema = ${JSON.stringify(tree)};\nExt.onReady(() => {});\n`);
    const schemaDir = join(dir, "schema");
    const p = await provisionSchema({ schemaDir, env: { PVEKIT_SCHEMA: js } });
    expect(p).toMatchObject({ from: "env", pveVersion: "8.4" });
    expect(JSON.parse(await readFile(join(schemaDir, "apidoc.json"), "utf8"))).toEqual(tree);
  });

  it("says exactly how to get a schema when there is none (a file, or a host pinned by fingerprint or CA)", async () => {
    const env = { PVEKIT_SHARED_APIDOC: join(dir, "nowhere") };
    const err = (await provisionSchema({ schemaDir: join(dir, "schema"), env }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^no PVE API schema found/);
    expect(err.message).toContain("PVEKIT_SCHEMA=/path/to/apidoc.json npm run setup");
    expect(err.message).toContain("PVEKIT_SCHEMA=https://pve1.example:8006 PVEKIT_SCHEMA_FINGERPRINT=");
    expect(err.message).toContain("PVEKIT_SCHEMA_CA=/path/to/pve-root-ca.pem");
    expect(err.message).toMatch(/put a schema at .*apidoc\.json, or provide .*nowhere\/pve-9\.2\.11\.json/);
  });

  it("names a bad $PVEKIT_SCHEMA and writes nothing", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(bad, "[1, 2");
    const schemaDir = join(dir, "schema");
    await expect(provisionSchema({ schemaDir, env: { PVEKIT_SCHEMA: bad } })).rejects.toThrowError(/bad\.json is not valid JSON/);
    expect(existsSync(join(schemaDir, "apidoc.json"))).toBe(false);
  });

  describe("from a PVE host over HTTPS ($PVEKIT_SCHEMA=https://host:8006)", () => {
    const sim = createSimulator({ schemaPath: join(shared, "pve-9.0.json") });
    let server: SimServer;
    beforeAll(async () => {
      server = await sim.listen({ port: 0 });
    });
    afterAll(async () => {
      await server.close();
    });

    it("downloads the host's apidoc.js, its self-signed certificate pinned by $PVEKIT_SCHEMA_FINGERPRINT", async () => {
      const schemaDir = join(dir, "schema");
      const p = await provisionSchema({ schemaDir, env: { PVEKIT_SCHEMA: server.url, PVEKIT_SCHEMA_FINGERPRINT: server.fingerprint } });
      expect(p.from).toBe("env");
      const expected = await loadSchema(join(shared, "pve-9.0.json"));
      expect(JSON.parse(await readFile(join(schemaDir, "apidoc.meta.json"), "utf8")).sha256).toBe(expected.sha256);
    });

    it("trusts the host with $PVEKIT_SCHEMA_CA (the certificate as a PEM file)", async () => {
      const ca = join(dir, "ca.pem");
      await writeFile(ca, server.cert);
      const schemaDir = join(dir, "schema");
      const p = await provisionSchema({ schemaDir, env: { PVEKIT_SCHEMA: server.url, PVEKIT_SCHEMA_CA: ca } });
      expect(p.from).toBe("env");
    });

    it("refuses an unverified certificate and says which variable pins it", async () => {
      const err = (await provisionSchema({ schemaDir: join(dir, "schema"), env: { PVEKIT_SCHEMA: server.url } }).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/cannot fetch schema from https:\/\/127\.0\.0\.1:\d+\/pve-docs\/api-viewer\/apidoc\.js/);
      expect(err.message).toContain("PVEKIT_SCHEMA_FINGERPRINT");
      expect(existsSync(join(dir, "schema", "apidoc.json"))).toBe(false);
    });
  });

  it("reads the shared directory beside the checkout", () => {
    expect(existsSync(join(shared, "pve-9.2.11.json"))).toBe(true);
  });
});
