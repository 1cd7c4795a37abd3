import { statSync } from "node:fs";
import type { Logger } from "../logger";

/**
 * Warns when users other than the owner may read `path` (group or world bits set), with the command that
 * fixes it. Files holding secrets should be mode 600. Nothing to check on Windows or for a missing file.
 */
export function warnIfOthersCanRead(path: string, logger: Logger, what = "it holds a secret"): void {
  if (process.platform === "win32") return;
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return;
  }
  if ((mode & 0o077) !== 0) logger.warn?.(`${path} is readable by other users (mode ${(mode & 0o777).toString(8)}) and ${what}; run: chmod 600 ${path}`);
}
