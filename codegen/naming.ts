import type { Verb } from "../src/schema/norm-types";

/** Names the generated files export themselves; format types must not take them. */
export const RESERVED_NAMES: readonly string[] = [
  "ApiRoot",
  "Bool",
  "Endpoints",
  "IndexedOptions",
  "Params",
  "Returns",
  "Args",
  "RouteKey",
  "Upid",
  "PropertyFormatTypes",
];

/** `pve-vm-cpu-conf` → `PveVmCpuConf`; `hello_multiplier` → `HelloMultiplier`. */
export function pascal(s: string): string {
  const words = s.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const out = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  return /^[0-9]/.test(out) ? `_${out}` : out || "_";
}

/** `QemuNet` → `qemu-net`. */
export function kebab(typeName: string): string {
  return typeName
    .replace(/^_/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase();
}

/**
 * `POST /nodes/{node}/qemu/{vmid}/status/start` → `PostNodesByNodeQemuByVmidStatusStart`.
 * Placeholders become `By…` so `/fabrics/node/{id}` and `/nodes/{node}` cannot meet.
 */
export function methodTypeName(verb: Verb, path: string): string {
  const segs = path
    .split("/")
    .filter(Boolean)
    .map((seg) => (seg.startsWith("{") ? `By${pascal(seg.slice(1, -1))}` : pascal(seg)));
  return pascal(verb.toLowerCase()) + (segs.join("") || "Root");
}

/** A property key as TS source: bare when it is an identifier, quoted otherwise. */
export function propKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
