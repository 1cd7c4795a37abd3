import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, resolve } from "node:path";
import { PveError } from "../errors";
import type { Logger } from "../logger";
import type { ConnSettings, SettingKey } from "./settings";

/** Accepted YAML key spellings per setting (snake_case, camelCase, short forms). */
export const YAML_KEYS: Readonly<Record<SettingKey, readonly string[]>> = {
  host: ["host", "hostname", "endpoint", "url", "base_url", "baseUrl"],
  port: ["port"],
  tokenId: ["token_id", "tokenId", "token_name"],
  tokenSecret: ["token_secret", "tokenSecret"],
  tokenSecretFile: ["token_secret_file", "tokenSecretFile", "token_file", "tokenFile"],
  user: ["user", "username"],
  password: ["password"],
  passwordFile: ["password_file", "passwordFile"],
  verifySsl: ["verify_ssl", "verifySsl", "verify_tls", "verifyTls"],
  insecure: ["insecure"],
  caPath: ["ca_path", "caPath", "ca"],
  fingerprint: ["fingerprint"],
  timeout: ["timeout"],
};

/**
 * Reads a YAML config (`--config`, `$PVEKIT_CONFIG`): connection keys at the top level or under
 * `proxmox:`/`pve:`; the secret normally lives in a separate file (`token_secret_file`, relative
 * to the config file). Other keys (the skill's settings) are ignored here.
 */
export function readYamlConfig(path: string, logger: Logger): ConnSettings {
  const root = readYamlDocument(path);
  const section = isRecord(root.proxmox) ? root.proxmox : isRecord(root.pve) ? root.pve : root;
  const out: ConnSettings = {};
  for (const [key, names] of Object.entries(YAML_KEYS) as [SettingKey, readonly string[]][]) {
    for (const name of names) {
      const value = section[name];
      if (value !== undefined && value !== null && value !== "") {
        out[key] = String(value);
        break;
      }
    }
  }
  const base = dirname(path);
  for (const key of ["tokenSecretFile", "passwordFile", "caPath"] as const) {
    const file = out[key];
    if (file) out[key] = isAbsolute(file) ? file : resolve(base, file.replace(/^~(?=\/)/, process.env.HOME ?? "~"));
  }
  if (out.tokenSecret || out.password) {
    logger.warn?.(`${path} holds a secret inline; prefer token_secret_file / password_file (a separate file with mode 600)`);
  }
  return out;
}

/**
 * Reads and parses a YAML config file into its top-level mapping. A syntax error names the file and
 * the line (`Config file /x/config.yaml, line 3: …`); so does a document that is not a mapping.
 * Both are configuration errors (`PVE_ERR_CONFIG`: the CLI exits with 2).
 */
export function readYamlDocument(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new PveError(`Cannot read config file ${path}: ${(cause as Error).message}`, "PVE_ERR_CONFIG", { cause });
  }
  let doc: unknown;
  try {
    doc = loadYaml().parse(text);
  } catch (cause) {
    const e = cause as Error & { linePos?: { line: number; col: number }[] };
    const line = e.linePos?.[0]?.line;
    const reason = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    throw new PveError(`Config file ${path}${line ? `, line ${line}` : ""}: ${reason} (YAML)`, "PVE_ERR_CONFIG", { cause });
  }
  if (doc === null || doc === undefined) return {};
  if (!isRecord(doc)) throw new PveError(`Config file ${path}, line 1: expected a mapping of keys (key: value), not a ${Array.isArray(doc) ? "list" : typeof doc}`, "PVE_ERR_CONFIG");
  return doc;
}

/**
 * Loads the YAML parser on first use: most clients never read a YAML file, and importing
 * it eagerly would add to every program's start-up time.
 */
function loadYaml(): typeof import("yaml") {
  const from = typeof __filename === "string" ? __filename : import.meta.url;
  return createRequire(from)("yaml") as typeof import("yaml");
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
