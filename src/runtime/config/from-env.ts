import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { PveClientOptions } from "../client";
import { PveError } from "../errors";
import { resolveLogger, type Logger } from "../logger";
import { withHiddenSecret } from "../redact";
import { warnIfOthersCanRead } from "./file-mode";
import type { TlsOptions } from "../tls";
import { describeTokenId, tokenIdProblem } from "../auth/token-auth";
import { readCredentialsFile } from "./credentials-file";
import { ENV_NAMES, parseBool, settingsFromVars, type ConnSettings, type SettingKey } from "./settings";
import { readYamlConfig } from "./yaml-config";
import { configFilePath } from "./config-path";

/** `PveClient.fromEnv` options: explicit client options win over everything found elsewhere. */
export interface FromEnvOptions extends Partial<PveClientOptions> {
  /** environment to read (default `process.env`) */
  env?: NodeJS.ProcessEnv;
  /** credentials file (default `~/.proxmox-credentials`); `false` skips it */
  credentialsFile?: string | false;
  /** YAML config file (default `$PVEKIT_CONFIG`, else `$XDG_CONFIG_HOME/pvekit/config.yaml` when it exists) */
  configFile?: string;
  /** log in with the configured user and password even when a token is configured too (the CLI's `--user`) */
  preferPassword?: boolean;
}

/** The client options and where each setting came from (for diagnostics; never values). */
export interface ResolvedConfig {
  options: PveClientOptions;
  sources: Partial<Record<SettingKey, string>>;
}

const WHERE_HOST = `set PROXMOX_HOST (or PVE_HOST / PROXMOX_VE_ENDPOINT), add PROXMOX_HOST=… to ~/.proxmox-credentials, set "host" in the YAML config ($PVEKIT_CONFIG / --config), or pass baseUrl`;
const WHERE_AUTH =
  "set PROXMOX_TOKEN_ID and PROXMOX_TOKEN_SECRET (or PROXMOX_TOKEN_SECRET_FILE, or PROXMOX_VE_API_TOKEN=user@realm!name=secret), " +
  "or PROXMOX_USER and PROXMOX_PASSWORD, in the environment or ~/.proxmox-credentials; or token_id and token_secret_file in the YAML config; or pass auth";

/**
 * Resolves client options the documented way: explicit options > environment >
 * `~/.proxmox-credentials` (parsed, never sourced) > YAML config. Missing settings raise an
 * error that names what is missing and where it can be set. A secret found here (token secret,
 * password) is a non-enumerable property of `options.auth`: `new PveClient(options)` uses it, but
 * printing, inspecting, serialising or spreading the options never shows it.
 */
export function resolveClientOptions(opts: FromEnvOptions = {}): ResolvedConfig {
  const env = opts.env ?? process.env;
  const logger = resolveLogger(opts.logger, env);
  const layers: [string, ConnSettings][] = [["environment", settingsFromVars(env)]];
  const credPath = opts.credentialsFile === false ? undefined : (opts.credentialsFile ?? join(env.HOME || homedir(), ".proxmox-credentials"));
  const cred = credPath ? readCredentialsFile(credPath, logger) : undefined;
  if (cred && credPath) layers.push([credPath, cred]);
  const yamlPath = configFilePath(opts.configFile, env);
  if (yamlPath) layers.push([yamlPath, readYamlConfig(yamlPath, logger)]);

  const s: ConnSettings = {};
  const sources: Partial<Record<SettingKey, string>> = {};
  for (const key of Object.keys(ENV_NAMES) as SettingKey[]) {
    for (const [label, layer] of layers) {
      if (layer[key] !== undefined) {
        s[key] = layer[key];
        sources[key] = label;
        break;
      }
    }
  }

  const { env: _env, credentialsFile: _c, configFile: _y, preferPassword, ...explicit } = opts;
  const baseUrl = explicit.baseUrl ?? s.host;
  if (baseUrl === undefined) throw new PveError(`No Proxmox host configured: ${WHERE_HOST}`, "PVE_ERR_CONFIG");
  const options: PveClientOptions = { ...explicit, baseUrl };
  if (explicit.port === undefined && s.port !== undefined && explicit.baseUrl === undefined) {
    const port = Number(s.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new PveError(`Port "${s.port}" from ${sources.port} is not a TCP port`, "PVE_ERR_CONFIG");
    }
    options.port = port;
  }
  options.auth ??= authFrom(preferPassword && s.user ? { ...s, tokenId: undefined } : s, sources, logger);
  options.tls ??= tlsFrom(s, sources);
  if (options.timeoutMs === undefined && s.timeout !== undefined) options.timeoutMs = parseTimeout(s.timeout, sources.timeout);
  return { options, sources };
}

/** Builds a client from `resolveClientOptions`; `make` constructs it (keeps this module free of a client import). */
export function clientFromEnv<T>(opts: FromEnvOptions, make: (options: PveClientOptions) => T): T {
  return make(resolveClientOptions(opts).options);
}

function authFrom(s: ConnSettings, sources: Partial<Record<SettingKey, string>>, logger: Logger): PveClientOptions["auth"] {
  if (s.tokenId) {
    const problem = tokenIdProblem(s.tokenId);
    if (problem) throw new PveError(`${problem} (from ${sources.tokenId})`, "PVE_ERR_CONFIG");
    const secret = s.tokenSecret ?? (s.tokenSecretFile ? readSecretFile(s.tokenSecretFile, "token secret", logger) : undefined);
    if (!secret) {
      throw new PveError(
        `API token ${describeTokenId(s.tokenId)} (from ${sources.tokenId}) has no secret: set PROXMOX_TOKEN_SECRET or PROXMOX_TOKEN_SECRET_FILE, ` +
          "PROXMOX_TOKEN_SECRET=… in ~/.proxmox-credentials, or token_secret_file in the YAML config",
        "PVE_ERR_CONFIG",
      );
    }
    // the secret stays usable by PveClient but out of every printed or serialised form of the options
    return withHiddenSecret({ tokenId: s.tokenId }, "secret", secret);
  }
  if (s.user) {
    const password = s.password ?? (s.passwordFile ? readSecretFile(s.passwordFile, "password", logger) : undefined);
    if (!password) {
      throw new PveError(
        `User ${s.user} (from ${sources.user}) has no password: set PROXMOX_PASSWORD, add it to ~/.proxmox-credentials, or set password_file in the YAML config`,
        "PVE_ERR_CONFIG",
      );
    }
    return withHiddenSecret({ username: s.user }, "password", password);
  }
  throw new PveError(`No Proxmox credentials configured: ${WHERE_AUTH}`, "PVE_ERR_CONFIG");
}

function tlsFrom(s: ConnSettings, sources: Partial<Record<SettingKey, string>>): TlsOptions | undefined {
  if (s.fingerprint) return { fingerprint: s.fingerprint };
  if (s.caPath) {
    try {
      return { ca: readFileSync(s.caPath, "utf8") };
    } catch (cause) {
      throw new PveError(`Cannot read the CA file ${s.caPath} (from ${sources.caPath})`, "PVE_ERR_CONFIG", { cause });
    }
  }
  const verify = parseBool(s.verifySsl);
  if (s.verifySsl !== undefined && verify === undefined) {
    throw new PveError(`Verify setting "${s.verifySsl}" from ${sources.verifySsl} is not a boolean (true/false)`, "PVE_ERR_CONFIG");
  }
  if (verify === false || parseBool(s.insecure) === true) return { insecure: true };
  return undefined;
}

/** `30` (seconds, as proxmoxer and the seeds use), `30s`, `500ms`. */
function parseTimeout(text: string, source: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(text.trim());
  if (!m) throw new PveError(`Timeout "${text}" from ${source} is not a number of seconds`, "PVE_ERR_CONFIG");
  const n = Number(m[1]);
  const ms = Math.round(m[2] === "ms" ? n : n * 1000);
  if (ms <= 0) throw new PveError(`Timeout "${text}" from ${source} must be above 0`, "PVE_ERR_CONFIG");
  return ms;
}

function readSecretFile(path: string, what: string, logger: Logger): string {
  warnIfOthersCanRead(path, logger, `holds the ${what}`);
  try {
    return readFileSync(path, "utf8").trim();
  } catch (cause) {
    throw new PveError(`Cannot read the ${what} file ${path}`, "PVE_ERR_CONFIG", { cause });
  }
}
