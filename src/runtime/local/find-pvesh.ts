import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/**
 * The full path of `pvesh` (or `name`) on the `PATH` of `env`, or undefined. An absolute or relative
 * path is checked as it is. PVE installs it as /usr/bin/pvesh.
 */
export function findPvesh(env: NodeJS.ProcessEnv = process.env, name = "pvesh"): string | undefined {
  if (isAbsolute(name) || name.includes("/")) return isExecutable(name) ? name : undefined;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
