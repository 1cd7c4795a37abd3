import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SchemaError } from "../src/schema/errors";
import { loadSchema } from "../src/schema/load";
import { PveError, PveTlsError } from "../src/runtime/errors";
import type { TlsOptions } from "../src/runtime/tls";

/** The repository root (codegen/ lives directly below it). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_SCHEMA_FILE = "pve-9.2.11.json";
const FORMATS_FILE = "formats-9.1-proxmox-rs.json";

export interface ProvisionOptions {
  /** Where schema/apidoc.json lives (default: `<repo>/schema`). */
  schemaDir?: string;
  env?: NodeJS.ProcessEnv;
}

/** `../shared/pve-apidoc` beside the checkout (or `$PVEKIT_SHARED_APIDOC`). */
export function sharedApidocDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.PVEKIT_SHARED_APIDOC ?? join(REPO_ROOT, "..", "shared", "pve-apidoc"));
}

/** Named-format definitions: the provisioned copy, else the shared file, else none. */
export function defaultFormatsPath(opts: ProvisionOptions = {}): string | undefined {
  const copy = join(opts.schemaDir ?? join(REPO_ROOT, "schema"), "formats.json");
  if (existsSync(copy)) return copy;
  const shared = join(sharedApidocDir(opts.env), FORMATS_FILE);
  return existsSync(shared) ? shared : undefined;
}

export interface Provisioned {
  path: string;
  /** Where the schema came from. */
  from: "env" | "existing" | "shared";
  source: string;
  pveVersion?: string;
}

/** How to get a schema, for the error a set-up without one ends with. */
export function howToGetASchema(target: string, shared: string): string {
  return [
    "no PVE API schema found. Give the set-up one, then run `npm run setup` (or `npm ci` again):",
    "  from a file (JSON or PVE's apidoc.js):",
    "    PVEKIT_SCHEMA=/path/to/apidoc.json npm run setup",
    "  from a PVE host (downloads https://host:8006/pve-docs/api-viewer/apidoc.js; no login, no credentials sent):",
    "    PVEKIT_SCHEMA=https://pve1.example:8006 PVEKIT_SCHEMA_FINGERPRINT=AA:BB:…:FF npm run setup",
    "    (the SHA-256 fingerprint of the host's certificate, shown under Node > System > Certificates or by",
    "    `pvenode cert info` on the host; or PVEKIT_SCHEMA_CA=/path/to/pve-root-ca.pem; a certificate the",
    "    system trusts needs neither)",
    "  or fetch it first, then run `npm run setup`:",
    "    npx pvekit schema pull https://pve1.example:8006 --fingerprint AA:BB:…:FF --pve-version 9.2.11",
    `  or put a schema at ${target}, or provide ${shared} (a checkout with ../shared beside it)`,
  ].join("\n");
}

/** TLS settings for an https `$PVEKIT_SCHEMA`: `$PVEKIT_SCHEMA_FINGERPRINT` or `$PVEKIT_SCHEMA_CA` (a PEM file). */
export function schemaTlsFromEnv(env: NodeJS.ProcessEnv): TlsOptions | undefined {
  if (env.PVEKIT_SCHEMA_FINGERPRINT) return { fingerprint: env.PVEKIT_SCHEMA_FINGERPRINT };
  if (env.PVEKIT_SCHEMA_CA) {
    try {
      return { ca: readFileSync(env.PVEKIT_SCHEMA_CA, "utf8") };
    } catch (err) {
      throw new SchemaError(`cannot read PVEKIT_SCHEMA_CA ${env.PVEKIT_SCHEMA_CA}: ${(err as NodeJS.ErrnoException).code ?? err}`, { cause: err });
    }
  }
  return undefined;
}

/**
 * Provide schema/apidoc.json (git-ignored) from, in order: `$PVEKIT_SCHEMA` (a file, or an https URL
 * checked with `$PVEKIT_SCHEMA_FINGERPRINT` / `$PVEKIT_SCHEMA_CA`), an existing schema/apidoc.json, the
 * default in ../shared/pve-apidoc. apidoc.js input is stored as plain JSON, with its version in
 * schema/apidoc.meta.json; ../shared's named-format definitions are copied beside it when present.
 */
export async function provisionSchema(opts: ProvisionOptions = {}): Promise<Provisioned> {
  const env = opts.env ?? process.env;
  const dir = opts.schemaDir ?? join(REPO_ROOT, "schema");
  const target = join(dir, "apidoc.json");
  await mkdir(dir, { recursive: true });
  const formats = join(sharedApidocDir(env), FORMATS_FILE);
  if (existsSync(formats)) await copyFile(formats, join(dir, "formats.json"));
  if (env.PVEKIT_SCHEMA) return store(env.PVEKIT_SCHEMA, target, "env", schemaTlsFromEnv(env));
  if (existsSync(target)) {
    const loaded = await loadSchema(target);
    return { path: target, from: "existing", source: target, ...(loaded.pveVersion ? { pveVersion: loaded.pveVersion } : {}) };
  }
  const shared = join(sharedApidocDir(env), DEFAULT_SCHEMA_FILE);
  if (!existsSync(shared)) throw new SchemaError(howToGetASchema(target, shared));
  return store(shared, target, "shared");
}

async function store(source: string, target: string, from: Provisioned["from"], tls?: TlsOptions): Promise<Provisioned> {
  let loaded;
  try {
    loaded = await loadSchema(source, tls ? { tls } : {});
  } catch (err) {
    const cause = err instanceof SchemaError ? err.cause : err;
    const hint = cause instanceof PveTlsError ? " (set PVEKIT_SCHEMA_FINGERPRINT to the host certificate's SHA-256 fingerprint, or PVEKIT_SCHEMA_CA to a CA file)" : "";
    if (err instanceof SchemaError) throw new SchemaError(`${err.message}${hint}`, { cause: err });
    if (err instanceof PveError) throw new SchemaError(`PVEKIT_SCHEMA ${source}: ${err.message}`, { cause: err });
    throw err;
  }
  await writeFile(target, `${JSON.stringify(loaded.tree)}\n`);
  const meta = { pveVersion: loaded.pveVersion ?? null, source: /^https?:/i.test(source) ? loaded.source : basename(source), sha256: loaded.sha256 };
  await writeFile(target.replace(/\.json$/, ".meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
  return { path: target, from, source: loaded.source, ...(loaded.pveVersion ? { pveVersion: loaded.pveVersion } : {}) };
}
