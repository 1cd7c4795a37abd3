import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { median } from "./stats";

export interface CodegenResult {
  /** median wall time (s) of a full `npm run codegen` into a scratch directory */
  wallS: number;
  runs: number;
  schema: string;
  summary: string;
}

const root = join(import.meta.dirname, "..");

/** Full regeneration (load → normalise → model → emit → prettier → write) of the default schema, `runs` times. */
export function measureCodegen(runs = 2): CodegenResult {
  const schema = join(root, "schema", "apidoc.json");
  if (!existsSync(schema)) throw new Error("schema/apidoc.json is missing: run `npm run setup` first");
  const out = join(import.meta.dirname, ".tmp", "codegen-out");
  const times: number[] = [];
  let summary = "";
  for (let i = 0; i < runs; i++) {
    rmSync(out, { recursive: true, force: true });
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(root, "node_modules", "tsx", "dist", "cli.mjs"), "codegen/cli.ts", "--schema", schema, "--out", out], {
      cwd: root,
      encoding: "utf8",
    });
    times.push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`codegen failed:\n${r.stdout}${r.stderr}`);
    summary = `PVE ${/PVE ([\d.]+)/.exec(r.stdout)?.[1] ?? "?"}, ${/methods: (\d+)/.exec(r.stdout)?.[1] ?? "?"} methods`;
  }
  rmSync(out, { recursive: true, force: true });
  return { wallS: median(times), runs, schema: "schema/apidoc.json", summary };
}
