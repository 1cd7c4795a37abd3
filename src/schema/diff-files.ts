import { basename } from "node:path";
import { diffSchemas } from "./diff";
import type { SchemaDiff } from "./diff-types";
import { loadSchema } from "./load";
import { normalize } from "./normalize";

/**
 * Load two schemas (paths or URLs; JSON or apidoc.js), normalise them and diff them. The PVE
 * version of each side comes from its `.meta.json` sidecar or its file name (see `loadSchema`).
 * Throws `SchemaError` when a side cannot be read or is not an apidoc tree.
 */
export async function diffSchemaSources(oldSource: string, newSource: string): Promise<SchemaDiff> {
  const [before, after] = await Promise.all([loadSchema(oldSource), loadSchema(newSource)]);
  const label = (source: string): string => (/^https?:\/\//i.test(source) ? source : basename(source));
  return diffSchemas(normalize(before.tree), normalize(after.tree), {
    old: { label: label(oldSource), sha256: before.sha256, ...(before.pveVersion ? { pveVersion: before.pveVersion } : {}) },
    new: { label: label(newSource), sha256: after.sha256, ...(after.pveVersion ? { pveVersion: after.pveVersion } : {}) },
  });
}
