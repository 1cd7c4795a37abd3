import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "pvekit.mjs");
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME } });

// `pvekit --help` into a pipe prints dist/cli/help.txt, recorded by the build from the CLI itself, without
// loading commander: it must be what commander prints for the same program (`pvekit help` takes the
// commander path, as does a terminal).
test("piped --help and -h print what commander prints for the built CLI", () => {
  expect(existsSync(join(ROOT, "dist", "cli", "help.txt")), "run `npm run setup` first").toBe(true);
  const viaCommander = run("help");
  expect(viaCommander.status).toBe(0);
  expect(viaCommander.stdout).toMatch(/^Usage: pvekit \[options\] \[command\]\n/);
  expect(viaCommander.stdout).toMatch(/\n {2}guests \[options\] +VMs, containers and templates/);
  for (const flag of ["--help", "-h"]) {
    const r = run(flag);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(viaCommander.stdout);
  }
  expect(readFileSync(join(ROOT, "dist", "cli", "help.txt"), "utf8")).toBe(viaCommander.stdout);
});
