#!/usr/bin/env node
// The package.json that is published has no "scripts": each of them (the "prepare" that `npm ci` runs
// in a checkout, codegen, build, bench) needs files that are not shipped (scripts/, codegen/, tsx), and
// npm warns consumers about an install script it has not been allowed to run.
//
//   node scripts/pack-manifest.mjs strip     ("prepack": before npm reads package.json into the tarball)
//   node scripts/pack-manifest.mjs restore   ("postpack"; under `npm publish`, "postpublish": npm reads
//                                             package.json again after packing to send it to the registry)
//
// The checkout's package.json is kept aside in node_modules/.pvekit-package.json meanwhile; the set-up
// (scripts/setup.mjs) restores it too, should a pack have stopped half way.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = join(root, "package.json");
const kept = join(root, "node_modules", ".pvekit-package.json");

export function strip() {
  if (existsSync(kept)) restore();
  const text = readFileSync(manifest, "utf8");
  const { scripts: _scripts, ...published } = JSON.parse(text);
  writeFileSync(kept, text);
  writeFileSync(manifest, `${JSON.stringify(published, null, 2)}\n`);
}

export function restore() {
  if (existsSync(kept)) renameSync(kept, manifest);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [step] = process.argv.slice(2);
  if (step === "strip") strip();
  else if (step === "restore") {
    // under `npm publish` the registry gets the package.json read after "postpack": restore after publishing
    if (!(process.env.npm_lifecycle_event === "postpack" && process.env.npm_command === "publish")) restore();
  } else {
    console.error("usage: node scripts/pack-manifest.mjs strip|restore");
    process.exit(2);
  }
}
