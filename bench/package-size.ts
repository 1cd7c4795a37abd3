import { spawnSync } from "node:child_process";
import { join } from "node:path";

// What `npm install pvekit` downloads and puts on disk: `npm pack --dry-run` of the built package.

const root = join(import.meta.dirname, "..");

export interface PackageSize {
  tarballBytes: number;
  unpackedBytes: number;
  files: number;
  /** bytes of declaration files (.d.ts/.d.cts) */
  declarationBytes: number;
}

export function measurePackage(): PackageSize {
  const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm pack --dry-run failed: ${r.stderr}`);
  const [info] = JSON.parse(r.stdout) as { size: number; unpackedSize: number; entryCount: number; files: { path: string; size: number }[] }[];
  if (!info) throw new Error(`npm pack printed no package: ${r.stdout}`);
  return {
    tarballBytes: info.size,
    unpackedBytes: info.unpackedSize,
    files: info.entryCount,
    declarationBytes: info.files.filter((f) => /\.d\.c?ts$/.test(f.path)).reduce((a, f) => a + f.size, 0),
  };
}
