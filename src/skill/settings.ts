import { configFilePath } from "../runtime/config/config-path";
import { readYamlDocument } from "../runtime/config/yaml-config";
import { SkillUsageError } from "./errors";
import { OPERATION_CATALOG } from "./operations/catalog";
import { ALLOW_LIST_VARS, parseAllowList, parseVmidList, splitListValue, type AllowLists } from "./policy/allow-list";
import { DEFAULT_CONFIRM_TTL_MS } from "./policy/confirm-tokens";
import { lowerMode, MODES, parseMode, type Mode } from "./policy/mode";
import { defaultStateDir } from "./state-dir";
import { join, resolve } from "node:path";
import { homedir } from "node:os";

/** Settings of the skill layer (the connection itself is configured by the runtime). */
export interface SkillSettings {
  /** The effective mode: the one asked for, capped at `maxMode`. */
  mode: Mode;
  /** The ceiling no flag can raise (`PVEKIT_MAX_MODE`, YAML `max_mode`); `admin` when unset. */
  maxMode: Mode;
  allow: AllowLists;
  /**
   * Operations that need a confirm token although their tier does not (`PVEKIT_CONFIRM_OPERATIONS`,
   * YAML `confirm_operations`), e.g. `shutdown,reboot`; the same actions through `api` too.
   */
  confirmOperations: readonly string[];
  /** JSON-lines audit log file; `false` turns it off (library use only). */
  auditLog: string | false;
  /**
   * The audit log the operator configured (`$PVEKIT_AUDIT_LOG`, `audit_log` in `$PVEKIT_CONFIG`, else the
   * state directory's), when an option or another `--config` named a different one: it gets every line too,
   * so a flag can add a log but never take the configured one away. Empty when `auditLog` is that log.
   */
  auditLogCopies?: readonly string[];
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
  /** A ceiling for the mode; the lowest of this, the environment and the config files applies. */
  maxMode?: string;
  confirmOperations?: string;
  auditLog?: string | false;
  stateDir?: string;
  configFile?: string;
  allowedVmids?: string;
  allowedNodes?: string;
  allowedPools?: string;
  allowedTags?: string;
  allowedStorages?: string;
  snapshotName?: string;
  confirmTtlMs?: number;
  taskTimeoutMs?: number;
}

export const DEFAULT_SNAPSHOT_NAME = "pvekit-{change}";
/** How long a command waits for its task by default: 300 s, as the source skill (seed 001) does. */
export const DEFAULT_TASK_TIMEOUT_MS = 300_000;

/**
 * Resolves the skill settings: explicit values > environment (`PVEKIT_MODE`, `PROXMOX_ALLOWED_*`,
 * `PVEKIT_AUDIT_LOG`, …) > the YAML config file (`--config`, else `$PVEKIT_CONFIG`).
 *
 * Policy settings fail closed: an allow-list that is set but lists nothing, or holds a malformed entry,
 * is a usage error (never "no restriction"); the mode is capped by the lowest `PVEKIT_MAX_MODE` /
 * `max_mode` found; and when `--config` names another file than `$PVEKIT_CONFIG`, the operator's
 * `$PVEKIT_CONFIG` file still supplies its allow-lists, ceiling and confirm list (conflicting lists are an error).
 */
export function resolveSkillSettings(overrides: SkillSettingsOverrides = {}, env: NodeJS.ProcessEnv = process.env): SkillSettings {
  const mainPath = configFilePath(overrides.configFile, env);
  const file = readYamlConfig(mainPath);
  // the operator's file ($PVEKIT_CONFIG, else the default one) keeps its policy when a flag points elsewhere
  const usual = overrides.configFile ? configFilePath(undefined, env) : undefined;
  const operatorPath = usual && usual !== overrides.configFile ? usual : undefined;
  const operatorFile = operatorPath ? readYamlConfig(operatorPath) : undefined;
  const pick = (flag: string | undefined, envName: string, ...keys: string[]): string | undefined =>
    flag ?? nonEmpty(env[envName]) ?? yamlString(file, keys);
  const policy = (flag: string | undefined, envName: string, ...keys: string[]): string | readonly string[] | undefined => {
    if (flag !== undefined) return flag;
    if (env[envName] !== undefined) return env[envName];
    const mine = yamlPolicy(file, keys, mainPath);
    const theirs = operatorFile ? yamlPolicy(operatorFile, keys, operatorPath) : undefined;
    if (mine !== undefined && theirs !== undefined && String(mine) !== String(theirs)) {
      throw new SkillUsageError(
        `${keys[0]} is "${String(mine)}" in ${mainPath} but "${String(theirs)}" in $PVEKIT_CONFIG (${operatorPath}); pvekit does not choose between allow-lists.`,
      );
    }
    return theirs ?? mine;
  };
  const stateDir =
    overrides.stateDir ?? nonEmpty(env.PVEKIT_STATE_DIR) ?? homePath(yamlString(file, ["state_dir", "stateDir"]), env) ?? defaultStateDir(env);
  const audit = overrides.auditLog ?? nonEmpty(env.PVEKIT_AUDIT_LOG) ?? homePath(yamlString(file, ["audit_log", "auditLog"]), env);
  // the log as the operator configured it, without the --audit-log option and without another --config's keys
  const operatorDoc = overrides.configFile ? (operatorFile ?? {}) : file;
  const operatorStateDir =
    overrides.stateDir ?? nonEmpty(env.PVEKIT_STATE_DIR) ?? homePath(yamlString(operatorDoc, ["state_dir", "stateDir"]), env) ?? defaultStateDir(env);
  const operatorAudit =
    nonEmpty(env.PVEKIT_AUDIT_LOG) ?? homePath(yamlString(operatorDoc, ["audit_log", "auditLog"]), env) ?? join(operatorStateDir, "audit.log");
  const auditLog = audit === false ? false : (audit ?? join(stateDir, "audit.log"));
  const ttl =
    overrides.confirmTtlMs ??
    seconds(env.PVEKIT_CONFIRM_TTL, "PVEKIT_CONFIRM_TTL") ??
    seconds(yamlString(file, ["confirm_ttl", "confirmTtl"]), "confirm_ttl");
  const taskTimeout =
    overrides.taskTimeoutMs ??
    seconds(env.PVEKIT_TASK_TIMEOUT, "PVEKIT_TASK_TIMEOUT") ??
    seconds(yamlString(file, ["task_timeout", "taskTimeout"]), "task_timeout");
  const maxMode = [
    ceiling(overrides.maxMode, "maxMode"),
    ceiling(env.PVEKIT_MAX_MODE, "PVEKIT_MAX_MODE"),
    ceiling(yamlString(file, ["max_mode", "maxMode"]), `max_mode in ${mainPath}`),
    operatorFile ? ceiling(yamlString(operatorFile, ["max_mode", "maxMode"]), `max_mode in ${operatorPath}`) : undefined,
  ].reduce<Mode>((low, m) => (m ? lowerMode(low, m) : low), "admin");
  const asked = parseMode(pick(overrides.mode, "PVEKIT_MODE", "mode") ?? "read-only");
  return {
    mode: lowerMode(asked, maxMode),
    maxMode,
    allow: {
      vmids: parseVmidList(
        policy(overrides.allowedVmids, ALLOW_LIST_VARS.vmids, "allowed_vmids", "allowedVmids", "allowed.vmids"),
        ALLOW_LIST_VARS.vmids,
      ),
      nodes: parseAllowList(policy(overrides.allowedNodes, ALLOW_LIST_VARS.nodes, "allowed_nodes", "allowedNodes", "allowed.nodes"), ALLOW_LIST_VARS.nodes),
      pools: parseAllowList(policy(overrides.allowedPools, ALLOW_LIST_VARS.pools, "allowed_pools", "allowedPools", "allowed.pools"), ALLOW_LIST_VARS.pools),
      tags: parseAllowList(policy(overrides.allowedTags, ALLOW_LIST_VARS.tags, "allowed_tags", "allowedTags", "allowed.tags"), ALLOW_LIST_VARS.tags),
      storages: parseAllowList(
        policy(overrides.allowedStorages, ALLOW_LIST_VARS.storages, "allowed_storages", "allowedStorages", "allowed.storages"),
        ALLOW_LIST_VARS.storages,
      ),
    },
    confirmOperations: confirmList([
      overrides.confirmOperations,
      env.PVEKIT_CONFIRM_OPERATIONS,
      yamlString(file, ["confirm_operations", "confirmOperations"]),
      operatorFile ? yamlString(operatorFile, ["confirm_operations", "confirmOperations"]) : undefined,
    ]),
    auditLog,
    auditLogCopies: auditLog === false || resolve(auditLog) === resolve(operatorAudit) ? [] : [operatorAudit],
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

function ceiling(value: string | undefined, name: string): Mode | undefined {
  if (value === undefined) return undefined;
  try {
    return parseMode(value);
  } catch {
    throw new SkillUsageError(`${name} must be one of ${MODES.join(", ")}, got "${value}".`);
  }
}

/** The union of every confirm list found (more confirmation is always the safer reading); unknown names are an error. */
function confirmList(values: (string | undefined)[]): string[] {
  const names = new Set<string>();
  for (const v of values) for (const name of splitListValue(v) ?? []) names.add(name);
  const known = new Set(OPERATION_CATALOG.filter((op) => op.kind === "mutation").map((op) => op.name));
  const unknown = [...names].filter((n) => !known.has(n));
  if (unknown.length) {
    throw new SkillUsageError(
      `PVEKIT_CONFIRM_OPERATIONS / confirm_operations names ${unknown.map((n) => `"${n}"`).join(", ")}, not a pvekit operation that changes something.`,
    );
  }
  return [...names].sort();
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

/**
 * A policy value from the YAML file: like `yamlString`, but a key that is present with no value
 * (`allowed_vmids:`) or an empty list is returned as `""`, which the allow-list parser refuses.
 */
function yamlPolicy(doc: Record<string, unknown>, keys: string[], path: string | undefined): string | undefined {
  for (const key of keys) {
    let cur: unknown = doc;
    let present = true;
    for (const part of key.split(".")) {
      if (!cur || typeof cur !== "object" || !(part in (cur as object))) {
        present = false;
        break;
      }
      cur = (cur as Record<string, unknown>)[part];
    }
    if (!present) continue;
    if (cur === null || cur === undefined) return "";
    if (Array.isArray(cur)) return cur.map(String).join(",");
    if (typeof cur === "string" || typeof cur === "number") return String(cur);
    throw new SkillUsageError(`${key} in ${path ?? "the config file"} must be a list or a comma-separated string.`);
  }
  return undefined;
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
