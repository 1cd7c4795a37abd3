import { propertyFormats } from "../../generated/formats";
import type { PropertyFormatMeta, RouteMeta } from "../../generated/meta-types";
import { stringifyPropertyString } from "../../generated/property-string";

/**
 * How to find every target a request names, for the allow-lists: the guests (VMIDs in any parameter,
 * volume ids, HA resource ids, ACL paths), nodes, storages and pools. Rules as data: parameter formats
 * from PVE's schema, parameters by name where the schema gives no telling format, and volume-id shapes
 * (pve-storage's parse_volname: `vm-102-disk-0`, `102/vm-102-disk-0.qcow2`, `base-9000-disk-0/vm-102-…`,
 * `subvol-102-disk-0`, `backup/vzdump-qemu-102-…`, PBS `backup/vm/102/…`, RBD `-102-…`). Property strings
 * are read key by key as PVE reads them, so a key whose format names a volume, storage or node is a target too.
 * `test/skill/policy/target-rules.test.ts` has a case for every row.
 */

/** What a parameter value names. */
export type TargetKind =
  | "vmid"
  | "vmid-list"
  | "node"
  | "node-list"
  | "storage"
  | "storage-list"
  /** `storage-pair-list`: `target`, or `source:target,…` */
  | "storage-pairs"
  | "pool"
  /** HA resource id: `vm:102`, `ct:102` or `102` */
  | "ha-sid"
  /** ACL path: `/vms/102`, `/pool/lab`, `/storage/local`, `/nodes/pve1`, or anything else (cluster-wide) */
  | "acl-path"
  /**
   * A volume id (`local-lvm:vm-102-disk-0`), a new volume (`local-lvm:32`, `local-lvm:cloudinit`) or a path:
   * its storage and its owner are targets.
   */
  | "volume"
  /** A volume id that PVE completes with the route's `storage` when it has no `storage:` prefix. */
  | "volume-in-storage";

/** Parameter formats (the schema's `format`) that name a target; list formats cover list items and arrays. */
export const TARGET_FORMATS: Readonly<Record<string, TargetKind>> = {
  "pve-vmid": "vmid",
  "pve-vmid-list": "vmid-list",
  "pve-node": "node",
  "pve-node-list": "node-list",
  "pve-storage-id": "storage",
  "pve-storage-id-list": "storage-list",
  "storage-pair-list": "storage-pairs",
  "pve-poolid": "pool",
  "pve-ha-resource-or-vm-id": "ha-sid",
  // disks, mount points, unused volumes, cicustom snippets and hookscripts (qemu-server, pve-container)
  "pve-volume-id": "volume",
  "pve-volume-id-or-qm-path": "volume",
  "pve-volume-id-or-absolute-path": "volume",
  "pve-lxc-mp-string": "volume",
};

/** Parameters that name a target although their format does not say so (`route` `"*"`: any route). */
export const TARGET_PARAMS: readonly { route: string; param: string; kind: TargetKind }[] = [
  // startall/stopall/… take a pve-vmid-list; /cluster/bulk-action/guest/* an array of VMIDs
  { route: "*", param: "vms", kind: "vmid-list" },
  { route: "PUT /access/acl", param: "path", kind: "acl-path" },
  // pve-storage API2/Storage/Content.pm real_volume_id: `backup/vzdump-qemu-100-…` means `<storage>:backup/…`
  ...(["DELETE", "PUT", "POST"] as const).map((verb) => ({
    route: `${verb} /nodes/{node}/storage/{storage}/content/{volume}`,
    param: "volume",
    kind: "volume-in-storage" as const,
  })),
  { route: "POST /nodes/{node}/storage/{storage}/content/{volume}", param: "target", kind: "volume-in-storage" },
  // `target-volume` of move_volume is a volume id: the volume scan reads it
];

/** A guest that owns a volume named in a request. */
export interface VolumeOwner {
  vmid: number;
  storage: string;
  /** a disk (vm-/base-/subvol-…); false for a backup of the guest */
  disk: boolean;
}

// storage:name, where a value starts or after = , ; or whitespace (property strings: `import-from=local:…`)
const VOLUME_ID = /(?:^|[=,;\s])([A-Za-z][A-Za-z0-9._-]*):([^,;\s=]+)/g;
// RBDPlugin.pm parse_volname takes `(base)?(vm)?-(\d+)-…`: `-102-disk-0` and `basevm-102-…` are 102's too
const DISK_OWNER = /(?:^|\/)(?:vm|base|subvol|basevol|basevm)?-(\d+)-/g;
const DIR_OWNER = /^(?:images\/)?(\d+)\//;
const BACKUP_OWNER = /(?:^|\/)vzdump-(?:qemu|lxc|openvz)-(\d+)-/;
const PBS_OWNER = /^backup\/(?:vm|ct)\/(\d+)(?:\/|$)/;
/** Volumes without an owner that still name their storage: ISO images, templates, snippets, imports. */
const CONTENT_DIR = /^(?:iso|vztmpl|snippets|import|backup)\//;

/** The guests owning the volumes named anywhere in `values` (property strings included). */
export function guestVolumeOwners(values: Readonly<Record<string, unknown>>): VolumeOwner[] {
  return scanVolumes(values).owners;
}

function scanVolumes(values: Readonly<Record<string, unknown>>): { owners: VolumeOwner[]; storages: string[] } {
  const owners: VolumeOwner[] = [];
  const storages: string[] = [];
  for (const text of strings(values)) {
    for (const m of text.matchAll(VOLUME_ID)) {
      const storage = m[1] as string;
      const name = m[2] as string;
      const found: VolumeOwner[] = [];
      for (const d of name.matchAll(DISK_OWNER)) found.push({ vmid: Number(d[1]), storage, disk: true });
      const dir = DIR_OWNER.exec(name);
      if (dir) found.push({ vmid: Number(dir[1]), storage, disk: true });
      const backup = BACKUP_OWNER.exec(name) ?? PBS_OWNER.exec(name);
      if (backup) found.push({ vmid: Number(backup[1]), storage, disk: false });
      owners.push(...found);
      if (found.length || CONTENT_DIR.test(name)) storages.push(storage);
    }
  }
  return { owners, storages };
}

function strings(values: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  Object.values(values).forEach(visit);
  return out;
}

/** Everything a request names, before the guests are looked up. */
export interface NamedTargets {
  vmids: number[];
  nodes: string[];
  storages: string[];
  pools: string[];
  /** Set when a parameter names something wider than guests, pools, storages or nodes (an ACL on `/`). */
  clusterWide?: string;
  /** Set when a parameter names a whole node (an ACL on `/nodes/pve1`). */
  nodeWide?: string;
}

/** Splits a VMID list (`100,101`, `100;101`, arrays, ranges `100-105`) into VMIDs. */
export function vmidsOf(value: unknown): number[] {
  const items = Array.isArray(value) ? value.map(String) : String(value ?? "").split(/[,;\s]+/);
  const out: number[] = [];
  for (const item of items.map((s) => s.trim()).filter(Boolean)) {
    const range = /^(\d+)-(\d+)$/.exec(item);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      // PVE has no ranges here; a huge one is nobody's intent and would make a huge target list
      if (to < from || to - from > 100_000) throw new RangeError(`VMID range "${item}" is not a range pvekit can check`);
      for (let id = from; id <= to; id++) out.push(id);
    } else if (/^\d+$/.test(item)) out.push(Number(item));
    else throw new RangeError(`"${item}" is not a VMID`);
  }
  return out;
}

function listOf(value: unknown): string[] {
  return (Array.isArray(value) ? value.map(String) : String(value ?? "").split(/[,;\s]+/)).map((s) => s.trim()).filter(Boolean);
}

/** The kind of target parameter `name` names on `route`, by name first, then by its schema format. */
export function targetKindOf(meta: RouteMeta | undefined, name: string): TargetKind | undefined {
  const route = meta ? `${meta.v} ${meta.path}` : "";
  const byName = TARGET_PARAMS.find((r) => r.param === name && (r.route === "*" || r.route === route));
  if (byName) return byName.kind;
  const schema = meta?.params[name];
  const format = schema?.f ?? schema?.i?.f;
  if (!format) return undefined;
  return TARGET_FORMATS[format] ?? (format.endsWith("-list") ? listKind(TARGET_FORMATS[format.slice(0, -"-list".length)]) : undefined);
}

function listKind(kind: TargetKind | undefined): TargetKind | undefined {
  return kind === "vmid" ? "vmid-list" : kind === "node" ? "node-list" : kind === "storage" ? "storage-list" : undefined;
}

/**
 * Every target named in `params` (path parameters included), by the tables above. `selectors` are
 * parameters a scope rule reads instead (vzdump's `exclude` names guests that are NOT acted on).
 */
export function namedTargets(meta: RouteMeta | undefined, params: Readonly<Record<string, unknown>>, selectors: readonly string[] = []): NamedTargets {
  const out: NamedTargets = { vmids: [], nodes: [], storages: [], pools: [] };
  const scanned: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "" || selectors.includes(name)) continue;
    scanned[name] = value;
    addTarget(out, targetKindOf(meta, name), value, params);
    const ps = propertyFormatOf(meta, name);
    if (ps) for (const [key, v] of propertyEntries(ps, value)) addTarget(out, propertyKeyKind(ps, key), v, params);
  }
  const volumes = scanVolumes(scanned);
  out.vmids.push(...volumes.owners.map((o) => o.vmid));
  out.storages.push(...volumes.storages);
  return { vmids: uniq(out.vmids), nodes: uniq(out.nodes), storages: uniq(out.storages), pools: uniq(out.pools), ...wide(out) };
}

/** Adds what one value of `kind` names to `out`. */
function addTarget(out: NamedTargets, kind: TargetKind | undefined, value: unknown, params: Readonly<Record<string, unknown>>): void {
  switch (kind) {
    case "vmid":
    case "vmid-list":
      out.vmids.push(...vmidsOf(value));
      break;
    case "node":
    case "node-list":
      out.nodes.push(...listOf(value));
      break;
    case "storage":
    case "storage-list":
      out.storages.push(...listOf(value));
      break;
    case "storage-pairs":
      for (const pair of listOf(value)) out.storages.push(...pair.split(":").filter((s) => s && s !== "1"));
      break;
    case "pool":
      out.pools.push(String(value));
      break;
    case "ha-sid": {
      const m = /^(?:(?:vm|ct):)?(\d+)$/.exec(String(value).trim());
      if (m) out.vmids.push(Number(m[1]));
      else out.clusterWide = `HA resource "${String(value)}" is not a guest`;
      break;
    }
    case "acl-path":
      aclTarget(String(value), out);
      break;
    case "volume":
    case "volume-in-storage":
      for (const v of Array.isArray(value) ? value : [value]) {
        volumeTarget(String(v), kind === "volume-in-storage" && typeof params.storage === "string" ? params.storage : undefined, out);
      }
      break;
    case undefined:
      break;
  }
}

// pve-storage Storage.pm parse_volume_id
const STORAGE_PREFIX = /^([A-Za-z][A-Za-z0-9._-]*[A-Za-z0-9]|[A-Za-z]):(.+)$/;

/**
 * One volume value: `storage:name` names its storage and the owner of `name`; without a prefix it is
 * `relativeTo:name` (storage content routes) or a path, whose owner is read from its file name.
 */
function volumeTarget(value: string, relativeTo: string | undefined, out: NamedTargets): void {
  const text = value.trim();
  const m = STORAGE_PREFIX.exec(text);
  const storage = m ? m[1] : text.startsWith("/") ? undefined : relativeTo;
  const name = m ? (m[2] as string) : text;
  if (storage) out.storages.push(storage);
  for (const d of name.matchAll(DISK_OWNER)) out.vmids.push(Number(d[1]));
  const owner = (storage ? DIR_OWNER.exec(name) : null) ?? BACKUP_OWNER.exec(name) ?? (storage ? PBS_OWNER.exec(name) : null);
  if (owner) out.vmids.push(Number(owner[1]));
}

/** The property-string format of parameter `name` (`scsi0` → qemu-scsi), when it has one. */
function propertyFormatOf(meta: RouteMeta | undefined, name: string): PropertyFormatMeta | undefined {
  if (!meta) return undefined;
  const indexed = /^([A-Za-z_-]+?)(\d+)$/.exec(name);
  const schema = meta.params[name] ?? (indexed ? meta.params[`${indexed[1]}[n]`] : undefined);
  const ps = schema?.ps ?? schema?.i?.ps;
  return ps ? (propertyFormats as Record<string, PropertyFormatMeta>)[ps] : undefined;
}

/**
 * The key/value pairs of a property string as PVE reads them (pve-common JSONSchema.pm
 * parse_property_string: split on every comma, `key=value` or a value of the default key, aliases
 * resolved); an object (as MCP clients send it) is first printed the way the client sends it.
 */
function propertyEntries(fmt: PropertyFormatMeta, value: unknown): [string, string][] {
  const texts = (Array.isArray(value) ? value : [value]).map((v) =>
    v && typeof v === "object" ? stringifyPropertyString(fmt, v as Record<string, unknown>) : String(v),
  );
  const defaultKey = Object.keys(fmt.keys).find((k) => fmt.keys[k]?.dk);
  const out: [string, string][] = [];
  for (const part of texts.flatMap((t) => t.split(","))) {
    if (/^\s*$/.test(part)) continue;
    const kv = /^([^=]+)=(.+)$/.exec(part);
    const key = kv ? (kv[1] as string) : defaultKey;
    if (key === undefined) continue;
    out.push([fmt.keys[key]?.alias ?? key, kv ? (kv[2] as string) : part]);
  }
  return out;
}

/** The kind of target a property-string key names, by its format. */
function propertyKeyKind(fmt: PropertyFormatMeta, key: string): TargetKind | undefined {
  const format = fmt.keys[key]?.f;
  return format ? TARGET_FORMATS[format] : undefined;
}

/** pve-access-control's ACL paths: `/vms/{vmid}`, `/pool/{pool}`, `/storage/{storage}`, `/nodes/{node}`; anything else is wider. */
function aclTarget(path: string, out: NamedTargets): void {
  const p = path.replace(/\/+$/, "");
  let m: RegExpExecArray | null;
  if ((m = /^\/vms\/(\d+)$/.exec(p))) out.vmids.push(Number(m[1]));
  else if ((m = /^\/pool\/([^/]+)$/.exec(p))) out.pools.push(m[1] as string);
  else if ((m = /^\/storage\/([^/]+)$/.exec(p))) out.storages.push(m[1] as string);
  else if ((m = /^\/nodes\/([^/]+)$/.exec(p))) {
    out.nodes.push(m[1] as string);
    out.nodeWide = `an ACL on ${p} covers every guest on that node`;
  } else out.clusterWide = `an ACL on "${path}" reaches beyond single guests, pools, storages and nodes`;
}

function wide(t: NamedTargets): Pick<NamedTargets, "clusterWide" | "nodeWide"> {
  return { ...(t.clusterWide ? { clusterWide: t.clusterWide } : {}), ...(t.nodeWide ? { nodeWide: t.nodeWide } : {}) };
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
