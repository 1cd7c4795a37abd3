// Content hash of a set of files/directories: lets the setup step skip work whose inputs are unchanged
// (npx re-runs `prepare` on this checkout; it must then take a second, not a full regeneration).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** sha256 over the paths and contents of every file below the given roots, in a stable order. */
export function inputsHash(root, paths, { exclude = [] } = {}) {
  const hash = createHash("sha256");
  const files = [];
  const visit = (p) => {
    if (!existsSync(p) || exclude.some((e) => p.startsWith(e))) return;
    if (statSync(p).isDirectory()) for (const name of readdirSync(p).sort()) visit(join(p, name));
    else files.push(p);
  };
  paths.forEach((p) => visit(join(root, p)));
  for (const f of files.sort()) hash.update(relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  return hash.digest("hex");
}

export function readStamp(path) {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "";
  }
}
