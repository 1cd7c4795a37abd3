#!/usr/bin/env node
// The one set-up step (`npm ci` runs it as "prepare"): provide schema/apidoc.json, generate
// src/generated, then build dist/ so the `pvekit` bin works. Each step fails loudly.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`pvekit setup: ${[cmd, ...args].join(" ")} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

if (!existsSync(bin("tsx"))) {
  // Installed as a dependency of another project: dist/ is already built, nothing to generate.
  process.exit(0);
}
run(bin("tsx"), ["codegen/setup.ts"]);
if (!process.argv.includes("--no-build")) run(bin("tsup"), []);
