import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "vitest";

const BIN = join(import.meta.dirname, "..", "..", "bin", "pvekit.mjs");

// Regression: `pvekit --help | head -1` crashed with an unhandled EPIPE stack trace.
test("a reader that closes early (pvekit --help | head -1) ends the CLI quietly", async () => {
  const child = spawn(process.execPath, [BIN, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  // close our end before the CLI writes, as `head` does once it has its lines: every write now fails with EPIPE
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  expect(stderr).not.toMatch(/EPIPE|Error/);
  expect(code).toBe(0);
}, 30_000);
