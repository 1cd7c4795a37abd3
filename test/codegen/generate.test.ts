import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, summary } from "../../codegen/generate";
import { SHARED } from "./helpers";

const ROOT = new URL("../../", import.meta.url).pathname;
const FORMATS = join(SHARED, "formats-9.1-proxmox-rs.json");
const SCHEMAS = ["pve-7.4", "pve-8.4-final", "pve-9.0", "pve-9.1", "pve-9.2-pre", "pve-9.2.11"];

async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const path = join(e.parentPath, e.name);
      out[path.slice(dir.length + 1)] = await readFile(path, "utf8");
    }
  }
  return out;
}

describe("generate over every shared schema (7.4 … 9.2.11)", () => {
  let tmp: string;
  const summaries: Record<string, string> = {};
  beforeAll(async () => {
    // Inside the repo so the generated code resolves the same node_modules and tsconfig as src/.
    await mkdir(join(ROOT, ".tmp"), { recursive: true });
    tmp = await mkdtemp(join(ROOT, ".tmp", "gen-"));
    for (const name of SCHEMAS) {
      const r = await generate({ schema: join(SHARED, `${name}.json`), formats: FORMATS, out: join(tmp, name) });
      summaries[name] = summary(r);
    }
  }, 600_000);
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("prints a summary with the version, methods and formats", () => {
    expect(summaries["pve-7.4"]).toMatch(/PVE 7\.4 from .*pve-7\.4\.json/);
    expect(summaries["pve-7.4"]).toMatch(/methods: 540 \(\d+ return a task UPID\)/);
    expect(summaries["pve-9.2.11"]).toMatch(/methods: 678 /);
    expect(summaries["pve-9.2.11"]).toMatch(/property-string formats: \d+ \(18 named, \d+ inline\)/);
    expect(summaries["pve-8.4-final"]).toMatch(/PVE 8\.4 /);
  });

  it("type-checks every output with tsc --strict", async () => {
    const tsconfig = join(tmp, "tsconfig.json");
    await writeFile(tsconfig, JSON.stringify({ extends: join(ROOT, "tsconfig.json"), include: ["./*/**/*.ts"] }));
    const r = spawnSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", tsconfig, "--noEmit"], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 600_000);

  it("is deterministic: the same schema gives byte-identical files", async () => {
    const again = await generate({ schema: join(SHARED, "pve-7.4.json"), formats: FORMATS });
    const written = await readTree(join(tmp, "pve-7.4"));
    expect(Object.keys(again.files).sort()).toEqual(Object.keys(written).sort());
    for (const [name, text] of Object.entries(again.files)) expect(text, name).toBe(written[name]);
  }, 120_000);

  it("leaves the previous output intact when the new schema is bad", async () => {
    const out = join(tmp, "pve-7.4");
    const before = await readTree(out);
    const bad = join(tmp, "bad.json");
    await writeFile(bad, '{"not": "a tree"}');
    await expect(generate({ schema: bad, out })).rejects.toThrowError(/not a PVE apidoc tree/);
    await expect(generate({ schema: "http://127.0.0.1:9/apidoc.js", out })).rejects.toThrowError(/cannot fetch schema/);
    expect(await readTree(out)).toEqual(before);
  });
});
