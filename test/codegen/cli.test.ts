import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { treeWith } from "./helpers";

const ROOT = new URL("../../", import.meta.url).pathname;
const codegen = (...args: string[]) =>
  spawnSync(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "codegen/cli.ts"), ...args], { encoding: "utf8", cwd: ROOT });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pvekit-codegen-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("npm run codegen", () => {
  it("generates from --schema into --out, prints a summary, and dumps the model on request", async () => {
    const schema = join(dir, "pve-9.9.json");
    await writeFile(schema, JSON.stringify(treeWith("/nodes/{node}/qemu/{vmid}/status/start", "POST", { returns: { type: "string" } })));
    const out = join(dir, "gen");
    const r = codegen("--schema", schema, "--out", out, "--dump-model", join(dir, "model.json"));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/PVE 9\.9 from .*pve-9\.9\.json\n {2}methods: 1 \(1 return a task UPID\)/);
    expect(r.stdout).toMatch(/wrote \d+ files to /);
    expect(await readFile(join(out, "schema-info.ts"), "utf8")).toContain('pveVersion: "9.9"');
    const model = JSON.parse(await readFile(join(dir, "model.json"), "utf8"));
    expect(model.methods[0]).toMatchObject({ key: "POST /nodes/{node}/qemu/{vmid}/status/start", upid: true });
  }, 60_000);

  it("exits 1 with a clear message on a bad schema and leaves --out untouched", async () => {
    const out = join(dir, "gen");
    const before = await readFile(join(out, "types.ts"), "utf8");
    const bad = join(dir, "bad.json");
    await writeFile(bad, '{"data": []}');
    const r = codegen("--schema", bad, "--out", out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/codegen: .*bad\.json is not a PVE apidoc tree/);
    expect(r.stderr).toContain("is unchanged");
    expect(await readFile(join(out, "types.ts"), "utf8")).toBe(before);
  }, 60_000);

  it("exits 2 on an unknown option, with the usage", () => {
    const r = codegen("--schemaa", "x");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: npm run codegen -- --schema <file\|url>/);
  }, 60_000);
});
