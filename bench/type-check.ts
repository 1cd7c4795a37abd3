import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { consumerTsconfig, proxmoxApiProgram, pvekitProgram, pvekitRequestProgram } from "./consumer-programs";
import { median } from "./stats";

export interface CompilerResult {
  compiler: string;
  /** median "Total time" (s) and "Memory used" (MB) from --extendedDiagnostics, by program */
  totalS: Record<string, number>;
  memoryMB: Record<string, number>;
  runs: number;
}

const root = join(import.meta.dirname, "..");
const work = join(import.meta.dirname, ".tmp");

/** The compilers to try: TypeScript 5.9 (tsc) always; the native TS 7 preview (tsgo) when installed. */
export function compilers(): { name: string; cmd: string; args: string[] }[] {
  const list = [{ name: `tsc ${tsVersion()}`, cmd: process.execPath, args: [join(root, "node_modules", "typescript", "bin", "tsc")] }];
  const tsgo = join(root, "node_modules", "@typescript", "native-preview", "bin", "tsgo");
  if (existsSync(tsgo)) list.push({ name: "tsgo (TS 7 native preview)", cmd: process.execPath, args: [tsgo] });
  return list;
}

function tsVersion(): string {
  const r = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "--version"], { encoding: "utf8" });
  return r.stdout.replace("Version", "").trim();
}

/** Writes the consumer projects under bench/.tmp (resolving pvekit by self-reference to dist/, proxmox-api from node_modules). */
export function writeConsumers(): Record<string, string> {
  const dirs: Record<string, string> = {};
  for (const [name, program] of [
    ["pvekit", pvekitProgram],
    ["pvekit-request", pvekitRequestProgram],
    ["proxmox-api", proxmoxApiProgram],
  ] as const) {
    const dir = join(work, `consumer-${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "main.ts"), program);
    writeFileSync(join(dir, "tsconfig.json"), consumerTsconfig);
    dirs[name] = dir;
  }
  return dirs;
}

function diagnostics(cmd: string, args: string[], dir: string): { totalS: number; memoryMB: number } {
  const r = spawnSync(cmd, [...args, "-p", dir, "--extendedDiagnostics"], { encoding: "utf8", cwd: dir });
  if (r.status !== 0) throw new Error(`type-check of ${dir} failed:\n${r.stdout}${r.stderr}`);
  const total = /Total time:\s+([\d.]+)s/.exec(r.stdout);
  const memory = /Memory used:\s+(\d+)K/.exec(r.stdout);
  if (!total || !memory) throw new Error(`no diagnostics in the output of ${args.join(" ")}:\n${r.stdout}`);
  return { totalS: Number(total[1]), memoryMB: Number(memory[1]) / 1024 };
}

/** Type-checks both programs with one compiler: a warm-up each, then `runs` interleaved runs; medians. */
export function measureTypeCheck(compiler: { name: string; cmd: string; args: string[] }, dirs: Record<string, string>, runs = 5): CompilerResult {
  const names = Object.keys(dirs);
  for (const n of names) diagnostics(compiler.cmd, compiler.args, dirs[n] as string);
  const t = new Map<string, number[]>(names.map((n) => [n, []]));
  const m = new Map<string, number[]>(names.map((n) => [n, []]));
  for (let i = 0; i < runs; i++) {
    for (const n of names) {
      const d = diagnostics(compiler.cmd, compiler.args, dirs[n] as string);
      t.get(n)?.push(d.totalS);
      m.get(n)?.push(d.memoryMB);
    }
  }
  const med = (x: Map<string, number[]>) => Object.fromEntries([...x].map(([k, v]) => [k, median(v)]));
  return { compiler: compiler.name, totalS: med(t), memoryMB: med(m), runs };
}
