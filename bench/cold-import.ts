import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { median } from "./stats";

export interface ColdImportResult {
  /** median ms of `await import(spec)` in a fresh process, by specifier */
  importMs: Record<string, number>;
  /** median ms from process start to the import done, by specifier */
  processMs: Record<string, number>;
  runs: number;
}

const probe = join(import.meta.dirname, "import-probe.mjs");

function once(spec: string): { importMs: number; sinceStartMs: number } {
  const r = spawnSync(process.execPath, [probe, spec], { encoding: "utf8", cwd: join(import.meta.dirname, "..") });
  if (r.status !== 0) throw new Error(`importing ${spec} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { importMs: number; sinceStartMs: number };
}

/** Each specifier imported in `runs` fresh node processes (after one warm-up each, for the disk cache), interleaved. */
export function measureColdImport(specs: readonly string[], runs = 21): ColdImportResult {
  for (const s of specs) once(s);
  const imp = new Map<string, number[]>(specs.map((s) => [s, []]));
  const proc = new Map<string, number[]>(specs.map((s) => [s, []]));
  for (let i = 0; i < runs; i++) {
    for (const s of specs) {
      const r = once(s);
      imp.get(s)?.push(r.importMs);
      proc.get(s)?.push(r.sinceStartMs);
    }
  }
  const med = (m: Map<string, number[]>) => Object.fromEntries([...m].map(([k, v]) => [k, median(v)]));
  return { importMs: med(imp), processMs: med(proc), runs };
}
