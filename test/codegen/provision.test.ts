import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { provisionSchema, sharedApidocDir } from "../../codegen/provision";
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

  it("says where a schema can come from when there is none", async () => {
    const env = { PVEKIT_SHARED_APIDOC: join(dir, "nowhere") };
    await expect(provisionSchema({ schemaDir: join(dir, "schema"), env })).rejects.toThrowError(
      /no PVE schema found: set PVEKIT_SCHEMA to an apidoc file, put one at .*apidoc\.json, or provide .*nowhere\/pve-9\.2\.11\.json/,
    );
  });

  it("names a bad $PVEKIT_SCHEMA and writes nothing", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(bad, "[1, 2");
    const schemaDir = join(dir, "schema");
    await expect(provisionSchema({ schemaDir, env: { PVEKIT_SCHEMA: bad } })).rejects.toThrowError(/bad\.json is not valid JSON/);
    expect(existsSync(join(schemaDir, "apidoc.json"))).toBe(false);
  });

  it("reads the shared directory beside the checkout", () => {
    expect(existsSync(join(shared, "pve-9.2.11.json"))).toBe(true);
  });
});
