import { readFileSync, statSync } from "node:fs";
import type { Logger } from "../logger";
import { settingsFromVars, type ConnSettings } from "./settings";

/**
 * Parses a `~/.proxmox-credentials` file: `KEY=VALUE` lines (optionally `export KEY=VALUE`,
 * values optionally quoted, `#` comments). Parsed, never sourced: nothing is expanded or run.
 */
export function parseCredentials(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2] as string;
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] as string;
    else value = value.replace(/\s+#.*$/, "");
    vars[m[1] as string] = value;
  }
  return vars;
}

/** Reads the credentials file if it exists; warns when others may read it (not mode 600). */
export function readCredentialsFile(path: string, logger: Logger): ConnSettings | undefined {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return undefined;
  }
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    logger.warn?.(`${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`);
  }
  return settingsFromVars(parseCredentials(readFileSync(path, "utf8")));
}
