import { homedir } from "node:os";
import { join } from "node:path";
import { PveClient } from "../runtime/client";
import { readCredentialsFile } from "../runtime/config/credentials-file";
import { settingsFromVars } from "../runtime/config/settings";
import { readYamlConfig } from "../runtime/config/yaml-config";
import { parseBool } from "../runtime/config/settings";
import { PveError } from "../runtime/errors";
import { findPvesh } from "../runtime/local/find-pvesh";
import { SkillUsageError } from "./errors";
import type { ConnectionInfo } from "./operations/operation";

/** Why the CLI talks to this node through pvesh. */
export interface LocalChoice {
  /** the pvesh executable */
  pvesh: string;
  /** `flag`: --local or PVEKIT_LOCAL; `auto`: no host configured and pvesh on PATH */
  reason: "flag" | "auto";
}

/** The flags local mode looks at. */
export interface LocalFlags {
  local?: boolean;
  host?: string;
  timeout?: string;
  config?: string;
}

const silent = {};

/**
 * Local mode or not: `--local` / `PVEKIT_LOCAL=1` ask for it (and need pvesh on PATH); without them it is
 * chosen when no Proxmox host is configured anywhere (flags, environment, ~/.proxmox-credentials, the YAML
 * config) and `pvesh` is on PATH, i.e. pvekit runs on a PVE node. Undefined: connect over HTTPS.
 */
export function chooseLocal(flags: LocalFlags, env: NodeJS.ProcessEnv, configFile?: string): LocalChoice | undefined {
  const byEnv = parseBool(env.PVEKIT_LOCAL) === true;
  const asked = flags.local === true || byEnv;
  if (asked) {
    if (flags.host) throw new SkillUsageError("--local runs pvesh on this node and takes no --host; drop one of them.");
    // pvesh is root@pam: a flag may not trade the token the operator configured (the real boundary) for root
    if (!byEnv && hostConfigured(flags, env, configFile)) {
      throw new SkillUsageError(
        "--local would run pvesh as root@pam instead of the configured host and API token, so it is refused while a host is configured; " +
          "to use local mode anyway, set PVEKIT_LOCAL=1 in the environment or remove the host from the configuration.",
      );
    }
    const pvesh = findPvesh(env);
    if (!pvesh) {
      throw new PveError(
        "--local needs pvesh on PATH: run pvekit on a Proxmox VE node (pve-manager installs /usr/bin/pvesh), or configure a host to use the API over HTTPS",
        "PVE_ERR_CONFIG",
      );
    }
    return { pvesh, reason: "flag" };
  }
  if (hostConfigured(flags, env, configFile)) return undefined;
  const pvesh = findPvesh(env);
  return pvesh ? { pvesh, reason: "auto" } : undefined;
}

/** Whether any configuration source names a host (read quietly: the real resolution warns). */
function hostConfigured(flags: LocalFlags, env: NodeJS.ProcessEnv, configFile: string | undefined): boolean {
  if (flags.host || settingsFromVars(env).host) return true;
  const cred = readCredentialsFile(join(env.HOME || homedir(), ".proxmox-credentials"), silent);
  if (cred?.host) return true;
  if (!configFile) return false;
  try {
    return readYamlConfig(configFile, silent).host !== undefined;
  } catch {
    return true; // an unreadable config is reported by the HTTPS resolution, not hidden by local mode
  }
}

/** The line the CLI prints on stderr when it chose local mode by itself. */
export function localNotice(choice: LocalChoice): string {
  return `pvekit: no Proxmox host configured; using this node's pvesh (${choice.pvesh}) as root@pam (local mode). Set PROXMOX_HOST to use the API over HTTPS.`;
}

/** The local client and a description of the connection for `doctor` and the audit log. */
export function connectLocal(choice: LocalChoice, flags: LocalFlags, env: NodeJS.ProcessEnv): { pve: PveClient; connection: ConnectionInfo } {
  const timeout = flags.timeout ?? env.PROXMOX_TIMEOUT;
  let timeoutMs: number | undefined;
  if (timeout !== undefined && timeout.trim() !== "") {
    const n = Number(timeout);
    if (!Number.isFinite(n) || n <= 0) throw new SkillUsageError(`The timeout must be a positive number of seconds, got "${timeout}".`);
    timeoutMs = n * 1000;
  }
  const pve = PveClient.local({ env, pvesh: choice.pvesh, timeoutMs });
  return {
    pve,
    connection: { baseUrl: pve.baseUrl, auth: "local", identity: "root@pam", tls: "none", local: choice },
  };
}
