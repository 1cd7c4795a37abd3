import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A fresh random key for one process (the MCP server). */
export function processConfirmKey(): Buffer {
  return randomBytes(32);
}

/**
 * The confirm-token key kept in the state directory (`confirm.key`, mode 600), created on first use,
 * so that a token printed by one CLI run is accepted by the next.
 */
export function stateDirConfirmKey(stateDir: string): Buffer {
  const file = join(stateDir, "confirm.key");
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32), { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const key = readFileSync(file);
  if (key.length < 16) throw new Error(`The confirm-token key ${file} is too short; delete it to make a new one.`);
  return key;
}
