import { existsSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SchemaError } from "./errors";
import { loadSchema } from "./load";

/** The repository root (codegen/ lives directly below it). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SCHEMA_PATH = join(REPO_ROOT, "schema", "apidoc.json");
export const FORMATS_PATH = join(REPO_ROOT, "schema", "formats.json");
export const DEFAULT_SCHEMA_FILE = "pve-9.2.11.json";
const FORMATS_FILE = "formats-9.1-proxmox-rs.json";

/** `../shared/pve-apidoc` beside the checkout (or `$PVEKIT_SHARED_APIDOC`). */
export function sharedApidocDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.PVEKIT_SHARED_APIDOC ?? join(REPO_ROOT, "..", "shared", "pve-apidoc"));
}

/** Named-format definitions: the provisioned copy, else the shared file, else none. */
export function defaultFormatsPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (existsSync(FORMATS_PATH)) return FORMATS_PATH;
  const shared = join(sharedApidocDir(env), FORMATS_FILE);
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
 * schema/apidoc.json, the default in ../shared/pve-apidoc. apidoc.js input is stored as plain JSON.
 */
export async function provisionSchema(env: NodeJS.ProcessEnv = process.env): Promise<Provisioned> {
  await mkdir(dirname(SCHEMA_PATH), { recursive: true });
  await provisionFormats(env);
  const fromEnv = env.PVEKIT_SCHEMA;
  if (fromEnv) return store(fromEnv, "env");
  if (existsSync(SCHEMA_PATH)) {
    const loaded = await loadSchema(SCHEMA_PATH);
    return { path: SCHEMA_PATH, from: "existing", source: SCHEMA_PATH, ...(loaded.pveVersion ? { pveVersion: loaded.pveVersion } : {}) };
  }
  const shared = join(sharedApidocDir(env), DEFAULT_SCHEMA_FILE);
  if (!existsSync(shared)) {
    throw new SchemaError(
      `no PVE schema found: set PVEKIT_SCHEMA to an apidoc file, put one at ${SCHEMA_PATH}, or provide ${shared}`,
    );
  }
  return store(shared, "shared");
}

async function store(source: string, from: Provisioned["from"]): Promise<Provisioned> {
  const loaded = await loadSchema(source);
  await writeFile(SCHEMA_PATH, `${JSON.stringify(loaded.tree)}\n`);
  const meta = { pveVersion: loaded.pveVersion ?? null, source: basename(source), sha256: loaded.sha256 };
  await writeFile(SCHEMA_PATH.replace(/\.json$/, ".meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
  return { path: SCHEMA_PATH, from, source, ...(loaded.pveVersion ? { pveVersion: loaded.pveVersion } : {}) };
}

async function provisionFormats(env: NodeJS.ProcessEnv): Promise<void> {
  const shared = join(sharedApidocDir(env), FORMATS_FILE);
  if (existsSync(shared)) await copyFile(shared, FORMATS_PATH);
}
