import { randomBytes } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync, type Stats } from "node:fs";
import { join } from "node:path";
import { SkillUsageError } from "../errors";

/** A fresh random key for one process (the MCP server). */
export function processConfirmKey(): Buffer {
  return randomBytes(32);
}

/** Reports a fixed-up permission problem (default: a process warning on stderr). */
export type Warn = (message: string) => void;

const defaultWarn: Warn = (message) => process.emitWarning(message, { code: "PVEKIT_STATE_PERMISSIONS" });
const POSIX = process.platform !== "win32";

/**
 * The state directory, created 0700; an existing one that others can read or enter is tightened to 0700
 * (with a warning), one owned by another user or not a directory is refused.
 */
export function ensureStateDir(stateDir: string, warn: Warn = defaultWarn): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const st = lstatSync(stateDir);
  if (!st.isDirectory()) throw new SkillUsageError(`The pvekit state directory ${stateDir} is not a directory.`);
  if (!POSIX) return;
  if (process.getuid && st.uid !== process.getuid()) {
    throw new SkillUsageError(`The pvekit state directory ${stateDir} belongs to another user; set PVEKIT_STATE_DIR to a directory of your own.`);
  }
  if (st.mode & 0o077) {
    chmodSync(stateDir, 0o700);
    warn(`pvekit: the state directory ${stateDir} was open to other users (mode ${(st.mode & 0o777).toString(8)}); it is now 0700.`);
  }
}

/**
 * The confirm-token key kept in the state directory (`confirm.key`, mode 600), created on first use,
 * so that a token printed by one CLI run is accepted by the next. A key others could read (or one that
 * is not a plain file of ours) is replaced by a new one, with a warning: tokens made with it stop working.
 */
export function stateDirConfirmKey(stateDir: string, warn: Warn = defaultWarn): Buffer {
  ensureStateDir(stateDir, warn);
  const file = join(stateDir, "confirm.key");
  const st = lstatOrUndefined(file);
  if (st && (!st.isFile() || (POSIX && ((st.mode & 0o077) !== 0 || (process.getuid !== undefined && st.uid !== process.getuid()))))) {
    rmSync(file, { force: true });
    warn(`pvekit: ${file} was readable by others (or not a private file); it was replaced, so confirm tokens issued before stop working.`);
  }
  try {
    writeFileSync(file, randomBytes(32), { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const key = readFileSync(file);
  if (key.length < 16) throw new Error(`The confirm-token key ${file} is too short; delete it to make a new one.`);
  return key;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
