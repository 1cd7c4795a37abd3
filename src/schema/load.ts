import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { PveConnectionError, PveError } from "../runtime/errors";
import type { TlsOptions } from "../runtime/tls";
import { APIDOC_PATH, downloadApidoc } from "./download";
import { SchemaError } from "./errors";
import type { RawNode } from "./raw-types";

/** A schema as read from disk or a URL, before any interpretation. */
export interface LoadedSchema {
  tree: RawNode[];
  /** Where it came from (path or URL), for messages and the summary. */
  source: string;
  /** sha256 of the canonical JSON of the tree (independent of indentation or the apidoc.js wrapper). */
  sha256: string;
  /** PVE version when known (sidecar `<file>.meta.json`, `apidoc.meta.json`, or a `pve-X.Y[.Z]` file name). */
  pveVersion?: string;
}

export interface LoadOptions {
  /** record this version instead of looking for one */
  pveVersion?: string;
  /** for https URLs: a CA or the certificate's fingerprint (a PVE host's self-signed certificate) */
  tls?: TlsOptions;
}

/**
 * Load an apidoc tree from a file path or an http(s) URL; JSON or PVE's `apidoc.js` are accepted.
 * A URL without a path (`https://pve1:8006`) means the host's own `/pve-docs/api-viewer/apidoc.js`.
 */
export async function loadSchema(source: string, opts: LoadOptions = {}): Promise<LoadedSchema> {
  const text = /^https?:\/\//i.test(source) ? await fetchText(source, opts.tls) : await readText(source);
  const tree = parseApidocText(text, source);
  const pveVersion = opts.pveVersion ?? (await versionFor(source));
  return { tree, source, sha256: hashTree(tree), ...(pveVersion ? { pveVersion } : {}) };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new SchemaError(`cannot read schema file ${path}: ${code}`, { cause: err });
  }
}

async function fetchText(source: string, tls?: TlsOptions): Promise<string> {
  let url: URL;
  try {
    url = new URL(source);
  } catch (err) {
    throw new SchemaError(`cannot fetch schema from ${source}: not a URL`, { cause: err });
  }
  if (url.pathname === "/" || url.pathname === "") url = new URL(APIDOC_PATH, url.origin);
  try {
    return await downloadApidoc(url, tls ? { tls } : {});
  } catch (err) {
    throw new SchemaError(`cannot fetch schema from ${url.href}: ${failureReason(err)}`, { cause: err });
  }
}

function failureReason(err: unknown): string {
  if (err instanceof PveError && err.status !== undefined) return `HTTP ${err.status} ${err.reason ?? ""}`.trim();
  if (err instanceof PveConnectionError) {
    const code = (err.cause as { code?: unknown } | undefined)?.code;
    if (typeof code === "string") return code;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Parse JSON or `apidoc.js` text (`const apiSchema = [...];` followed by any other code) into a checked tree. */
export function parseApidocText(text: string, source = "schema"): RawNode[] {
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  const json = trimmed.startsWith("[") || trimmed.startsWith("{") ? trimmed : extractApiSchema(trimmed, source);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new SchemaError(`${source} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return assertApidocTree(value, source);
}

/** Cut the array literal assigned to `apiSchema` out of PVE's apidoc.js, respecting strings. */
function extractApiSchema(text: string, source: string): string {
  const m = /\bapiSchema\s*=\s*/.exec(text);
  const start = m ? text.indexOf("[", m.index + m[0].length) : -1;
  if (!m || start < 0) {
    throw new SchemaError(`${source} is neither JSON nor PVE's apidoc.js (no "apiSchema = [" found)`);
  }
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  throw new SchemaError(`${source}: the apiSchema array in apidoc.js is not closed (truncated file?)`);
}

/** Check the outline of an apidoc tree so later stages can rely on it. */
export function assertApidocTree(value: unknown, source = "schema"): RawNode[] {
  if (!Array.isArray(value)) {
    const got = value === null ? "null" : typeof value;
    throw new SchemaError(`${source} is not a PVE apidoc tree: expected an array of {path, info, children} nodes, got ${got}`);
  }
  let methods = 0;
  const visit = (nodes: unknown[], where: string): void => {
    nodes.forEach((node, i) => {
      const n = node as RawNode;
      if (typeof n !== "object" || n === null || typeof n.path !== "string" || !n.path.startsWith("/")) {
        throw new SchemaError(`${source} is not a PVE apidoc tree: ${where}[${i}] has no "path" starting with "/"`);
      }
      if (n.info !== undefined && (typeof n.info !== "object" || n.info === null)) {
        throw new SchemaError(`${source}: node ${n.path} has an "info" that is not an object`);
      }
      methods += Object.keys(n.info ?? {}).length;
      if (n.children !== undefined) {
        if (!Array.isArray(n.children)) throw new SchemaError(`${source}: node ${n.path} has "children" that is not an array`);
        visit(n.children, `${n.path} children`);
      }
    });
  };
  visit(value, "root");
  if (methods === 0) throw new SchemaError(`${source} is not a PVE apidoc tree: it defines no API methods`);
  return value as RawNode[];
}

/** Hash a canonical form (sorted keys) so the same schema always gives the same hash. */
export function hashTree(tree: unknown): string {
  return createHash("sha256").update(canonicalJson(tree)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

async function versionFor(source: string): Promise<string | undefined> {
  if (!/^https?:/i.test(source)) {
    for (const sidecar of [`${source}.meta.json`, source.replace(/\.(json|js)$/, ".meta.json")]) {
      if (sidecar === source) continue;
      try {
        const meta = JSON.parse(await readFile(sidecar, "utf8")) as { pveVersion?: unknown };
        if (typeof meta.pveVersion === "string") return meta.pveVersion;
      } catch {
        // no sidecar: fall back to the file name
      }
    }
  }
  return versionFromName(basename(source));
}

/** `pve-9.2.11.json` → `9.2.11`; `pve-8.4-final.json` → `8.4`. */
export function versionFromName(name: string): string | undefined {
  return /pve-(\d+\.\d+(?:\.\d+)?)/i.exec(name)?.[1];
}
