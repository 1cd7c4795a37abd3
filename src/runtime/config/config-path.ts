import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** `$XDG_CONFIG_HOME/pvekit/config.yaml`, else `~/.config/pvekit/config.yaml` (where `pvekit init` writes). */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), ".config");
  return join(base, "pvekit", "config.yaml");
}

/**
 * The YAML config file to read: the one given (`--config`, the `configFile` option), else
 * `$PVEKIT_CONFIG`, else the default path when that file exists; undefined when there is none.
 */
export function configFilePath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (explicit) return explicit;
  if (env.PVEKIT_CONFIG?.trim()) return env.PVEKIT_CONFIG;
  const path = defaultConfigPath(env);
  return existsSync(path) ? path : undefined;
}
