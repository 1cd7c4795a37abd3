import { spawn } from "node:child_process";
import { lstatSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test } from "vitest";

const ROOT = resolve(new URL("../../", import.meta.url).pathname);

/**
 * `npx pvekit` in this checkout: npm finds the project's own bin in its package.json and installs the
 * project into its npx cache as a link, which runs the "prepare" script (the whole set-up: codegen and
 * build, ≈ 40 s) again. The set-up now sees it is run for npx and does nothing; the bin runs as is.
 * A fresh npm cache makes npx install the link again, as on first use.
 */
test("npx pvekit in a checkout does not run the set-up again", async () => {
  const cache = mkdtempSync(join(tmpdir(), "pvekit-npx-cache-"));
  // the set-up re-creates this link whenever it runs
  const link = join(ROOT, "node_modules", ".bin", "pvekit");
  const before = lstatSync(link);
  try {
    const r = await new Promise<{ status: number | null; out: string }>((done) => {
      const child = spawn("npx", ["--yes", "pvekit", "--version"], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_cache: cache, npm_config_offline: "true", npm_config_update_notifier: "false" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      child.on("close", (status) => done({ status, out }));
    });
    expect(r.status, r.out).toBe(0);
    expect(r.out.trim().split("\n").pop()).toBe((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version);
    const after = lstatSync(link);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(r.out).not.toMatch(/pvekit setup/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}, 120_000);
