import { configFilePath } from "../runtime/config/config-path";
import { readYamlDocument } from "../runtime/config/yaml-config";
import { SkillUsageError } from "./errors";
import { parseVmidList, splitListValue, type AllowLists } from "./policy/allow-list";
import { DEFAULT_CONFIRM_TTL_MS } from "./policy/confirm-tokens";
import { parseMode, type Mode } from "./policy/mode";
import { defaultStateDir } from "./state-dir";
import { join } from "node:path";
import { homedir } from "node:os";

/** Settings of the skill layer (the connection itself is configured by the runtime). */
export interface SkillSettings {
  mode: Mode;
  allow: AllowLists;
  /** JSON-lines audit log file; `false` turns it off (library use only). */
  auditLog: string | false;
  /** Holds the confirm-token key and the used-token list. */
  stateDir: string;
  confirmTtlMs: number;
  /** Snapshot name convention: `{change}`, `{timestamp}`, `{date}`, `{time}`, `{vmid}`. */
  snapshotName: string;
  /** Deadline for waiting on a task. */
  taskTimeoutMs: number;
}

/** Values given explicitly (CLI flags, library options); they win over everything else. */
export interface SkillSettingsOverrides {
  mode?: string;
  auditLog?: string | false;
  stateDir?: string;
  configFile?: string;
  allowedVmids?: string;
  allowedNodes?: string;
  allowedPools?: string;
  allowedTags?: string;
  snapshotName?: string;
  confirmTtlMs?: number;
  taskTimeoutMs?: number;
}

export const DEFAULT_SNAPSHOT_NAME = "pvekit-{change}";
/** How long a command waits for its task by default: 300 s, as the source skill (seed 001) does. */
export const DEFAULT_TASK_TIMEOUT_MS = 300_000;

/**
 * Resolves the skill settings: explicit values > environment (`PVEKIT_MODE`, `PROXMOX_ALLOWED_*`,
 * `PVEKIT_AUDIT_LOG`, …) > the YAML config file (`--config`, `$PVEKIT_CONFIG`).
 */
export function resolveSkillSettings(overrides: SkillSettingsOverrides = {}, env: NodeJS.ProcessEnv = process.env): SkillSettings {
  const file = readYamlConfig(configFilePath(overrides.configFile, env));
  const pick = (flag: string | undefined, envName: string, ...keys: string[]): string | undefined =>
    flag ?? nonEmpty(env[envName]) ?? yamlString(file, keys);
  const stateDir =
    overrides.stateDir ?? nonEmpty(env.PVEKIT_STATE_DIR) ?? homePath(yamlString(file, ["state_dir", "stateDir"]), env) ?? defaultStateDir(env);
  const audit = overrides.auditLog ?? nonEmpty(env.PVEKIT_AUDIT_LOG) ?? homePath(yamlString(file, ["audit_log", "auditLog"]), env);
  const ttl =
    overrides.confirmTtlMs ??
    seconds(env.PVEKIT_CONFIRM_TTL, "PVEKIT_CONFIRM_TTL") ??
    seconds(yamlString(file, ["confirm_ttl", "confirmTtl"]), "confirm_ttl");
  const taskTimeout =
    overrides.taskTimeoutMs ??
    seconds(env.PVEKIT_TASK_TIMEOUT, "PVEKIT_TASK_TIMEOUT") ??
    seconds(yamlString(file, ["task_timeout", "taskTimeout"]), "task_timeout");
  return {
    mode: parseMode(pick(overrides.mode, "PVEKIT_MODE", "mode") ?? "read-only"),
    allow: {
      vmids: parseVmidList(pick(overrides.allowedVmids, "PROXMOX_ALLOWED_VMIDS", "allowed_vmids", "allowedVmids", "allowed.vmids")),
      nodes: splitListValue(pick(overrides.allowedNodes, "PROXMOX_ALLOWED_NODES", "allowed_nodes", "allowedNodes", "allowed.nodes")),
      pools: splitListValue(pick(overrides.allowedPools, "PROXMOX_ALLOWED_POOLS", "allowed_pools", "allowedPools", "allowed.pools")),
      tags: splitListValue(pick(overrides.allowedTags, "PROXMOX_ALLOWED_TAGS", "allowed_tags", "allowedTags", "allowed.tags")),
    },
    auditLog: audit === false ? false : (audit ?? join(stateDir, "audit.log")),
    stateDir,
    confirmTtlMs: ttl ?? DEFAULT_CONFIRM_TTL_MS,
    snapshotName:
      pick(overrides.snapshotName, "PVEKIT_SNAPSHOT_NAME", "snapshots.name", "snapshots.naming", "snapshot_name") ?? DEFAULT_SNAPSHOT_NAME,
    taskTimeoutMs: taskTimeout ?? DEFAULT_TASK_TIMEOUT_MS,
  };
}

/** `~/x` in the config file means the home directory. */
function homePath(v: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return v?.startsWith("~/") ? join(env.HOME || homedir(), v.slice(2)) : v;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== "" ? v : undefined;
}

function seconds(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new SkillUsageError(`${name} must be a positive number of seconds, got "${v}".`);
  return n * 1000;
}

function readYamlConfig(path: string | undefined): Record<string, unknown> {
  return path ? readYamlDocument(path) : {};
}

/** Looks up the first of `keys` (dotted for nesting); lists become comma-separated strings. */
function yamlString(doc: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    let cur: unknown = doc;
    for (const part of key.split(".")) cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[part] : undefined;
    if (cur === undefined || cur === null) continue;
    if (Array.isArray(cur)) return cur.map(String).join(",");
    if (typeof cur === "string" || typeof cur === "number" || typeof cur === "boolean") return String(cur);
  }
  return undefined;
}
