#!/usr/bin/env node
// The one set-up step (`npm ci` runs it as "prepare"): provide schema/apidoc.json, generate
// src/generated, then build dist/ so the `pvekit` bin works. Each step fails loudly, and a step whose
// inputs did not change since its last run is skipped.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { inputsHash, readStamp } from "./inputs-hash.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`pvekit setup: ${[cmd, ...args].join(" ")} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

if (process.env.npm_lifecycle_event === "prepare" && process.env.npm_command === "exec") {
  // `npx pvekit` in this checkout: npm (since 7) finds the project's own package.json naming the bin
  // and installs the project into its npx cache as a link, which runs "prepare" again. The checkout is
  // set up already (or `npm ci` will do it): nothing to generate, build or install here.
  process.exit(0);
}

if (process.env.PVEKIT_SETUP === "skip") {
  // `PVEKIT_SETUP=skip npm pack`: pack the build that exists (the package test does, while other tests
  // use dist/); the tarball's package.json is still stripped (scripts/pack-manifest.mjs)
  process.exit(0);
}

// a pack that stopped between "prepack" and "postpack" left the published package.json in place
if (existsSync(join(root, "node_modules", ".pvekit-package.json"))) (await import("./pack-manifest.mjs")).restore();

if (!existsSync(bin("tsx"))) {
  // Installed as a dependency of another project: dist/ is already built, nothing to generate.
  process.exit(0);
}

// npm links the bins of dependencies, never the project's own: link it so `npx pvekit` works in this
// checkout exactly as it does where pvekit is installed — first, so that without a schema
// `npx pvekit schema pull` is there to fetch one.
mkdirSync(dirname(bin("pvekit")), { recursive: true });
rmSync(bin("pvekit"), { force: true });
symlinkSync(join("..", "..", "bin", "pvekit.mjs"), bin("pvekit"));

// Schema provisioning + codegen (codegen/setup.ts skips generation when neither its inputs nor its
// output changed since it last ran).
run(bin("tsx"), ["codegen/setup.ts", ...process.argv.slice(2).filter((a) => a === "--force")]);

if (!process.argv.includes("--no-build")) {
  // Up to date only when the sources (generated code included) are unchanged AND dist/ is still what
  // this step built: a plain `npm run build` in between (say after `npm run codegen -- --schema <other>`)
  // changes dist/, and the next setup must rebuild it from what src/generated holds now.
  const stamp = join(root, "dist", ".inputs-sha256");
  const inputs = inputsHash(root, ["src", "tsup.config.ts", "tsconfig.build.json", "scripts/build.mjs", "package.json", "tsconfig.json"]);
  const output = () => inputsHash(root, ["dist"], { exclude: [stamp] });
  if (readStamp(stamp) === `${inputs} ${output()}` && !process.argv.includes("--force")) {
    console.log("pvekit setup: dist/ is up to date");
  } else {
    run(process.execPath, [join(root, "scripts", "build.mjs")]);
    writeFileSync(stamp, `${inputs} ${output()}\n`);
  }
}
