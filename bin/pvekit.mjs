#!/usr/bin/env node
// pvekit CLI launcher: runs the built dist/cli.js; in a source checkout without a build it runs
// src/skill/cli.ts through tsx (a devDependency), so `npx pvekit …` works right after `npm ci`.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// `pvekit … | head`: the reader went away; stop quietly as other Unix tools do, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
}
const built = join(root, "dist", "cli.js");

let mod;
if (existsSync(built)) {
  mod = await import(pathToFileURL(built).href);
} else {
  // Before the set-up has generated the bindings only `pvekit schema …` can run (it fetches the schema
  // the set-up needs); everything else needs them.
  const generated = existsSync(join(root, "src", "generated", "index.ts"));
  if (!generated && process.argv[2] !== "schema") {
    process.stderr.write(
      "pvekit: this checkout has no generated bindings yet: get a schema (`npx pvekit schema pull https://host:8006 --fingerprint …`, " +
        "or PVEKIT_SCHEMA=…), then run `npm run setup` (see README: Regenerating for your PVE version).\n",
    );
    process.exit(1);
  }
  const source = join(root, "src", "skill", generated ? "cli.ts" : join("commands", "schema-main.ts"));
  let tsImport;
  try {
    ({ tsImport } = await import("tsx/esm/api"));
  } catch {
    process.stderr.write("pvekit: dist/cli.js is missing and tsx is not installed; run `npm run build` first.\n");
    process.exit(1);
  }
  mod = await tsImport(pathToFileURL(source).href, import.meta.url);
}
process.exitCode = await mod.main(process.argv.slice(2));
