import { existsSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SchemaError } from "../src/schema/errors";
import { loadSchema } from "../src/schema/load";

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

/**
 * Provide schema/apidoc.json (git-ignored) from, in order: `$PVEKIT_SCHEMA`, an existing
 * schema/apidoc.json, the default in ../shared/pve-apidoc. apidoc.js input is stored as plain JSON,
 * with its version in schema/apidoc.meta.json; the named-format definitions are copied beside it.
 */
export async function provisionSchema(opts: ProvisionOptions = {}): Promise<Provisioned> {
  const env = opts.env ?? process.env;
  const dir = opts.schemaDir ?? join(REPO_ROOT, "schema");
  const target = join(dir, "apidoc.json");
  await mkdir(dir, { recursive: true });
  const formats = join(sharedApidocDir(env), FORMATS_FILE);
  if (existsSync(formats)) await copyFile(formats, join(dir, "formats.json"));
  if (env.PVEKIT_SCHEMA) return store(env.PVEKIT_SCHEMA, target, "env");
  if (existsSync(target)) {
    const loaded = await loadSchema(target);
    return { path: target, from: "existing", source: target, ...(loaded.pveVersion ? { pveVersion: loaded.pveVersion } : {}) };
  }
  const shared = join(sharedApidocDir(env), DEFAULT_SCHEMA_FILE);
  if (!existsSync(shared)) {
    throw new SchemaError(`no PVE schema found: set PVEKIT_SCHEMA to an apidoc file, put one at ${target}, or provide ${shared}`);
  }
  return store(shared, target, "shared");
}

async function store(source: string, target: string, from: Provisioned["from"]): Promise<Provisioned> {
  const loaded = await loadSchema(source);
  await writeFile(target, `${JSON.stringify(loaded.tree)}\n`);
  const meta = { pveVersion: loaded.pveVersion ?? null, source: basename(source), sha256: loaded.sha256 };
  await writeFile(target.replace(/\.json$/, ".meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
  return { path: target, from, source, ...(loaded.pveVersion ? { pveVersion: loaded.pveVersion } : {}) };
}
