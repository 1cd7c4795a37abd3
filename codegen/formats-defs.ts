import { readFile } from "node:fs/promises";
import { SchemaError } from "../src/schema/errors";
import type { NormSchema } from "../src/schema/norm-types";
import { normalizeSchema } from "../src/schema/normalize";
import type { RawSchema } from "../src/schema/raw-types";
import { NAMED_FORMATS } from "./data/named-formats";

/**
 * Read the named-format definitions (`formats-*.json`, Proxmox's own schema dump): apidoc leaves formats
 * such as `pve-vm-cpu-conf` as bare names. Only object-valued entries are property-string formats; the
 * others are validators written in Perl (`"<perl-code-validator>"`).
 */
export async function loadFormatDefs(path: string): Promise<Record<string, Record<string, NormSchema>>> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new SchemaError(`cannot read format definitions ${path}: ${(err as Error).message}`, { cause: err });
  }
  const formats = (data as { formats?: unknown }).formats;
  if (!formats || typeof formats !== "object") {
    throw new SchemaError(`${path} has no "formats" map (expected Proxmox's format definitions dump)`);
  }
  const out: Record<string, Record<string, NormSchema>> = {};
  for (const [name, def] of Object.entries(formats as Record<string, unknown>)) {
    if (!def || typeof def !== "object") continue;
    out[name] = Object.fromEntries(
      Object.entries(def as Record<string, RawSchema>).map(([k, v]) => [k, normalizeSchema(v)]),
    );
  }
  return out;
}

/** The project's own definitions (codegen/data/named-formats.ts), normalised: always there, whatever the schema's origin. */
export function builtinFormatDefs(): Record<string, Record<string, NormSchema>> {
  return Object.fromEntries(
    Object.entries(NAMED_FORMATS).map(([name, keys]) => [name, Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, normalizeSchema(v)]))]),
  );
}
