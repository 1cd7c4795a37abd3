#!/usr/bin/env node
// pvekit CLI launcher: runs the built dist/cli/pvekit.js; in a source checkout without a build it runs
// src/skill/cli.ts through tsx (a devDependency), so `npx pvekit …` works right after `npm ci`.
import { existsSync, readFileSync } from "node:fs";
import * as nodeModule from "node:module";
import { setFlagsFromString } from "node:v8";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles it twice: quickly (Liftoff), and
// again in the background with its optimising compiler, which a process waits for before it exits —
// ≈ 200 ms of CPU and wall time after a one-request command has printed its answer (measured: exit
// 230 ms after the last request vs 5–12 ms with this flag). One CLI run parses a few responses; the
// baseline code is plenty for that. Set before anything loads undici.
setFlagsFromString("--liftoff-only");

// Node >= 22.1 keeps V8's compiled code of the CLI's modules on disk between runs (one fresh process per
// agent step compiles the same ≈ 1.4 MB of JavaScript each time). Node 20 has no such API for ES
// modules: there this is skipped and every run compiles afresh (see bench/RESULTS.md, "CLI").
nodeModule.enableCompileCache?.();

// `pvekit … | head`: the reader went away; stop quietly as other Unix tools do, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
}
const built = join(root, "dist", "cli", "pvekit.js");
const argv = process.argv.slice(2);

// `pvekit --help` into a pipe (an agent reading the command list): the text the build recorded from this
// same CLI (scripts/build.mjs), without loading commander and the program. A terminal gets the real
// help, which commander fits to its width.
const helpText = join(root, "dist", "cli", "help.txt");

let mod;
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  // what commander prints for --version, without loading the CLI (an agent checks this before every session)
  mod = { main: async () => (process.stdout.write(`${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version}\n`), 0) };
} else if (argv.length === 1 && (argv[0] === "--help" || argv[0] === "-h") && !process.stdout.isTTY && existsSync(helpText)) {
  mod = { main: async () => (process.stdout.write(readFileSync(helpText, "utf8")), 0) };
} else if (existsSync(built)) {
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
    process.stderr.write("pvekit: dist/cli/pvekit.js is missing and tsx is not installed; run `npm run build` first.\n");
    process.exit(1);
  }
  mod = await tsImport(pathToFileURL(source).href, import.meta.url);
}
process.exitCode = await mod.main(argv);
