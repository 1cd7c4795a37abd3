#!/usr/bin/env node
// `npm run build`: the JavaScript (tsup: the library as ESM + CJS, the CLI bundle), then ONE copy of
// the declarations for both module kinds:
// - tsc emits the declarations of the three entries into dist/types/, marked CommonJS
//   (dist/types/package.json), which both an ESM and a CommonJS declaration file may re-export;
// - dist/<entry>.d.ts (import) and dist/<entry>.d.cts (require) are one-line re-exports of them.
// (A .d.ts and a .d.cts copy of the bundled declarations was 2 × 1.8 MB.)
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const ENTRIES = ["index", "skill/index", "testing/index"];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`pvekit build: ${[cmd, ...args].join(" ")} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

const helpText = join(root, "dist", "cli", "help.txt");
rmSync(helpText, { force: true });
run(bin("tsup"), []);
// `pvekit --help` as a pipe gets it, as this CLI prints it there (bin/pvekit.mjs prints the file
// without loading commander); recorded from the fresh build, so it cannot disagree with it
const help = spawnSync(process.execPath, [join(root, "bin", "pvekit.mjs"), "--help"], { cwd: root, encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME } });
if (help.status !== 0 || !help.stdout.startsWith("Usage: pvekit")) {
  console.error(`pvekit build: pvekit --help failed (exit ${help.status}): ${help.stderr}`);
  process.exit(1);
}
writeFileSync(helpText, help.stdout);
const types = join(root, "dist", "types");
rmSync(types, { recursive: true, force: true });
run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"]);
writeFileSync(join(types, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);

// Where msw's types are named (pvekit/testing's optional peer):
// - a consumer without msw gets `any` there instead of "Cannot find module 'msw'" (which fails a
//   type-check with skipLibCheck off);
// - they are msw's ESM declarations (resolution-mode "import"), as an ESM or bundler program imports
//   msw: these CommonJS-flavoured files would otherwise name msw's CommonJS declarations, whose classes
//   (private members) an ESM program's `setupServer(...sim.handlers)` does not accept.
const walk = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
for (const file of walk(types).filter((f) => f.endsWith(".d.ts"))) {
  const text = readFileSync(file, "utf8");
  const marked = text.replace(
    /^(import type [^\n]* from "msw");$/gm,
    '// @ts-ignore msw is an optional peer dependency: without it these types are any\n$1 with { "resolution-mode": "import" };',
  );
  if (/^import (?!type )[^\n]* from "msw"/m.test(marked)) throw new Error(`${file}: a value import of msw in declarations (only \`import type\` is rewritten)`);
  if (marked !== text) writeFileSync(file, marked);
}

for (const entry of ENTRIES) {
  const target = relative(dirname(join(root, "dist", entry)), join(types, `${entry}.js`)).split("\\").join("/");
  const text = `export * from "${target.startsWith(".") ? target : `./${target}`}";\n`;
  mkdirSync(dirname(join(root, "dist", entry)), { recursive: true });
  writeFileSync(join(root, "dist", `${entry}.d.ts`), text);
  writeFileSync(join(root, "dist", `${entry}.d.cts`), text);
}
