import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The per-user state directory for the audit log and the confirm-token key:
 * `$PVEKIT_STATE_DIR`, else `$XDG_STATE_HOME/pvekit`, else `~/.local/state/pvekit`
 * (`%LOCALAPPDATA%\pvekit` on Windows).
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PVEKIT_STATE_DIR) return env.PVEKIT_STATE_DIR;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, "pvekit");
  if (process.platform === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, "pvekit");
  return join(homedir(), ".local", "state", "pvekit");
}
