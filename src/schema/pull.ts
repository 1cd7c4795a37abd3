import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { SchemaError } from "./errors";
import { releaseOf, type VersionSource } from "./release";
import { hashTree, parseApidocText } from "./load";
import { parseBaseUrl } from "../runtime/base-url";
import { PveError } from "../runtime/errors";
import type { Sender } from "../runtime/sender";
import type { TlsOptions } from "../runtime/tls";
import { APIDOC_PATH, downloadApidoc } from "./download";

export { APIDOC_PATH } from "./download";

/** What PVE's `GET /version` answers. */
export interface PveVersionInfo {
  /** full version, e.g. `9.2.11` */
  version: string;
  /** major.minor, e.g. `9.2` */
  release: string;
  repoid?: string;
}

export { releaseOf, type VersionSource } from "./release";

export interface SchemaPullOptions {
  /** The host as for `PveClient`: a URL, a host or host:port (default port 8006). */
  baseUrl: string;
  /** TLS settings as for `PveClient` (verified by default). Ignored when `sender` is given. */
  tls?: TlsOptions;
  /** Records the host's version; without it the pulled schema has no version. */
  client?: VersionSource;
  /** Download deadline (default 120 s: apidoc.js is several MB). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Carries the download instead of a fresh undici pool (tests, or a client's own sender). */
  sender?: Sender;
}

/** A schema downloaded from a live host and checked to be an apidoc tree. */
export interface PulledSchema {
  /** the apidoc tree (the array inside `const apiSchema = …;`) */
  tree: unknown[];
  /** sha256 of the tree's canonical JSON (the same hash the codegen records) */
  sha256: string;
  /** the URL it came from */
  source: string;
  /** number of API methods (verb + path) in the tree */
  methods: number;
  /** the host's `/version`, when a client was given */
  version?: PveVersionInfo;
}

/**
 * Download `/pve-docs/api-viewer/apidoc.js` from a host, strip the JS wrapper, check that it is a
 * PVE apidoc tree, and read the host's `/version` through `client`. The schema file itself needs
 * no login on PVE, so no credentials are sent with it.
 */
export async function pullSchema(opts: SchemaPullOptions): Promise<PulledSchema> {
  const api = parseBaseUrl(opts.baseUrl);
  const url = new URL(APIDOC_PATH, api.origin);
  const text = await downloadApidoc(url, opts);
  let tree: unknown[];
  try {
    tree = parseApidocText(text, url.href);
  } catch (err) {
    const why = err instanceof SchemaError ? err.message : String(err);
    throw new PveError(`${url.href} did not return a PVE API schema: ${why}`, "PVE_ERR_RESPONSE", {
      method: "GET",
      path: APIDOC_PATH,
      cause: err,
    });
  }
  const version = opts.client ? await readVersion(opts.client) : undefined;
  return { tree, sha256: hashTree(tree), source: url.href, methods: countMethods(tree), ...(version ? { version } : {}) };
}

function countMethods(nodes: unknown[]): number {
  let n = 0;
  for (const node of nodes as { info?: object; children?: unknown[] }[]) {
    n += Object.keys(node.info ?? {}).length;
    if (Array.isArray(node.children)) n += countMethods(node.children);
  }
  return n;
}

async function readVersion(client: VersionSource): Promise<PveVersionInfo> {
  const { data } = await client.requestRaw("GET", "/version");
  const v = (data && typeof data === "object" ? data : {}) as Record<string, unknown>;
  const version = typeof v.version === "string" ? v.version : undefined;
  const release = typeof v.release === "string" ? v.release : version ? releaseOf(version) : undefined;
  if (!version || !release) {
    throw new PveError(`GET /version returned no PVE version (got ${JSON.stringify(data)})`, "PVE_ERR_RESPONSE", {
      method: "GET",
      path: "/version",
    });
  }
  return { version, release, ...(typeof v.repoid === "string" ? { repoid: v.repoid } : {}) };
}

/** The sidecar the codegen reads the version from: `apidoc.json` → `apidoc.meta.json`, `x` → `x.meta.json`. */
export function metaPathFor(schemaPath: string): string {
  return /\.(json|js)$/.test(schemaPath) ? schemaPath.replace(/\.(json|js)$/, ".meta.json") : `${schemaPath}.meta.json`;
}

/** What `writePulledSchema` wrote. */
export interface WrittenSchema {
  schemaPath: string;
  metaPath: string;
}

/**
 * Write a pulled schema as plain JSON plus its `.meta.json` sidecar (`{pveVersion, source, sha256}`),
 * each through a temporary file and a rename so a failure never leaves half a schema behind.
 */
export async function writePulledSchema(pulled: PulledSchema, schemaPath = "schema/apidoc.json"): Promise<WrittenSchema> {
  const metaPath = metaPathFor(schemaPath);
  const meta = { pveVersion: pulled.version?.version ?? null, source: pulled.source, sha256: pulled.sha256 };
  await mkdir(dirname(schemaPath), { recursive: true });
  await atomicWrite(schemaPath, `${JSON.stringify(pulled.tree)}\n`);
  await atomicWrite(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  return { schemaPath, metaPath };
}

async function atomicWrite(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
