import type { Verb } from "../../generated/meta-types";
import { maxTier, type Tier } from "./mode";
import { guestVolumeOwners } from "./target-rules";

/**
 * The tier of every POST/PUT/DELETE, decided by the endpoint AND its parameters. One table, read top to
 * bottom by a reviewer; `test/skill/policy/endpoint-rules.test.ts` has a case for every row.
 *
 * Fail closed: a route not in this table is destructive (admin + confirm token), and so is a parameter a
 * row does not list (in `keeps` or a raise). GET is read-only, but for the few in SENSITIVE_READS below.
 * PVE's own behaviour behind each row is cited from pve-manager, qemu-server and pve-container.
 */

/** Which guests a request acts on, for the allow-lists. */
export type GuestScope =
  /** The guests, nodes, storages and pools named in the path and parameters (target-rules.ts) are the whole effect. */
  | { kind: "named" }
  /** Every guest on the path's node, or only those listed in `list` (stopall, startall, …). */
  | { kind: "node-guests"; list: string }
  /** Every guest of the cluster, or only those listed in `list` (/cluster/bulk-action/guest/…). */
  | { kind: "cluster-guests"; list: string }
  /** vzdump's selection: `pool`, else `vmid` (a list), else `all` minus `exclude`; on the path's node. */
  | { kind: "vzdump" };

/** A condition under which a row raises the tier. */
export interface Raise {
  /** The parameters this condition reads (they count as known parameters of the row). */
  params: readonly string[];
  test(params: Readonly<Record<string, unknown>>): boolean;
  to: Tier;
  /** Shown in the plan and in refusals: what the parameter does. */
  why: string;
  /** The request then also amounts to this curated operation (PVEKIT_CONFIRM_OPERATIONS naming it asks for a token). */
  alsoOperation?: string;
}

export interface EndpointRule {
  /** `"POST /nodes/{node}/qemu/{vmid}/status/shutdown"`: verb and path template as in the schema. */
  route: string;
  tier: Tier;
  /** The curated operation doing the same (PVEKIT_CONFIRM_OPERATIONS names it for both). */
  operation?: string;
  /** Parameters that keep the tier (path parameters always do); `"*"`: every parameter not in a raise. */
  keeps: readonly string[] | "*";
  raises?: readonly Raise[];
  /** Default `{ kind: "named" }`. */
  scope?: GuestScope;
  /** Why the row has this tier, when the route alone does not say it. */
  note?: string;
}

/** 1/true/yes/on, as PVE reads a boolean. */
export function isTruthy(value: unknown): boolean {
  if (value === true || value === 1) return true;
  return typeof value === "string" && /^(1|true|yes|on)$/i.test(value.trim());
}

const given = (v: unknown): boolean => v !== undefined && v !== null && v !== "";

/** Raises when `param` is 1/true. */
export function whenTruthy(param: string, to: Tier, why: string): Raise {
  return { params: [param], test: (p) => isTruthy(p[param]), to, why };
}

/** Raises when `param` has any value. */
export function whenGiven(param: string, to: Tier, why: string): Raise {
  return { params: [param], test: (p) => given(p[param]), to, why };
}

const SKIPLOCK = whenTruthy("skiplock", "destructive", "skiplock=1 ignores the guest's lock (a backup or migration in progress)");

/** A disk (vm-N-disk-M, base-N-…, subvol-N-…) of a guest other than the request's own `vmid`. */
const OTHER_GUESTS_DISK: Raise = {
  params: [],
  test: (p) => guestVolumeOwners(p).some((owner) => owner.disk && String(owner.vmid) !== String(p.vmid ?? "")),
  to: "destructive",
  why: "it attaches or imports a disk of another guest",
};

/** Option names a guest config change may carry and stay reversible (what the curated `tag` does). */
const HARMLESS_CONFIG_KEYS = ["tags", "description"];

const CONFIG_DELETES_MORE: Raise = {
  params: ["delete"],
  test: (p) =>
    given(p.delete) &&
    String(p.delete)
      .split(/[,;\s]+/)
      .some((k) => k !== "" && !HARMLESS_CONFIG_KEYS.includes(k)),
  to: "destructive",
  why: "delete= removes options other than tags and description",
};

/** Rows for both guest types: `/nodes/{node}/qemu/{vmid}<suffix>` and `/nodes/{node}/lxc/{vmid}<suffix>`. */
function forBothTypes(verb: Verb, suffix: string, rule: Omit<EndpointRule, "route">): EndpointRule[] {
  return (["qemu", "lxc"] as const).map((type) => ({ route: `${verb} /nodes/{node}/${type}/{vmid}${suffix}`, ...rule }));
}

/** Several VMIDs in a `pve-vmid-list` value (`100,101`, `100;101`, `100 101`). */
function severalVmids(value: unknown): boolean {
  return (Array.isArray(value) ? value.map(String) : String(value ?? "").split(/[,;\s]+/)).filter((s) => s !== "").length > 1;
}

export const ENDPOINT_RULES: readonly EndpointRule[] = [
  // ── power: qemu-server API2/Qemu.pm and pve-container API2/LXC/Status.pm, vm_start/vm_shutdown/… ──
  ...forBothTypes("POST", "/status/start", {
    tier: "reversible",
    operation: "start",
    keeps: ["timeout", "debug"],
    raises: [SKIPLOCK],
    note: "stateuri, migratedfrom, targetstorage, force-cpu … are migration internals: unknown, so destructive",
  }),
  ...forBothTypes("POST", "/status/shutdown", {
    tier: "reversible",
    operation: "shutdown",
    keeps: ["timeout", "keepActive"],
    raises: [whenTruthy("forceStop", "destructive", "forceStop=1 hard-stops the guest when it does not shut down in time"), SKIPLOCK],
  }),
  ...forBothTypes("POST", "/status/reboot", { tier: "reversible", operation: "reboot", keeps: ["timeout"] }),
  ...forBothTypes("POST", "/status/suspend", {
    tier: "reversible",
    operation: "suspend",
    keeps: ["todisk", "statestorage"],
    raises: [SKIPLOCK],
  }),
  ...forBothTypes("POST", "/status/resume", {
    tier: "reversible",
    operation: "resume",
    keeps: [],
    raises: [SKIPLOCK, whenTruthy("nocheck", "destructive", "nocheck=1 skips PVE's checks (a migration internal)")],
  }),
  ...forBothTypes("POST", "/status/stop", { tier: "destructive", operation: "stop", keeps: "*" }),
  { route: "POST /nodes/{node}/qemu/{vmid}/status/reset", tier: "destructive", operation: "reset", keeps: "*" },

  // ── snapshots, clones, new guests ──
  ...forBothTypes("POST", "/snapshot", { tier: "reversible", operation: "snapshot", keeps: ["snapname", "description", "vmstate"] }),
  ...forBothTypes("POST", "/clone", {
    tier: "reversible",
    operation: "clone",
    keeps: ["newid", "name", "hostname", "description", "pool", "snapname", "storage", "format", "full", "target", "bwlimit"],
  }),
  // create, and restore with archive= (qemu) / ostemplate= + restore=1 (lxc); qemu-server API2/Qemu.pm create_vm:
  // "force: Allow to overwrite existing VM" (requires archive), pve-container API2/LXC.pm create_vm likewise.
  ...(["qemu", "lxc"] as const).map(
    (type): EndpointRule => ({
      route: `POST /nodes/{node}/${type}`,
      tier: "reversible",
      operation: type === "qemu" ? "create-vm" : "create-ct",
      keeps: "*",
      raises: [whenTruthy("force", "destructive", "force=1 overwrites an existing guest with the backup"), OTHER_GUESTS_DISK],
    }),
  ),
  // configuration: only tags and description stay reversible (what the curated `tag` does); the rest is `set`
  ...(["qemu", "lxc"] as const).flatMap((type) =>
    (["PUT", "POST"] as const)
      .filter((verb) => type === "qemu" || verb === "PUT")
      .map(
        (verb): EndpointRule => ({
          route: `${verb} /nodes/{node}/${type}/{vmid}/config`,
          tier: "reversible",
          operation: "tag",
          keeps: [...HARMLESS_CONFIG_KEYS, "digest"],
          raises: [CONFIG_DELETES_MORE, SKIPLOCK, OTHER_GUESTS_DISK],
          note: "any other option is a configuration change (the curated set): destructive",
        }),
      ),
  ),

  // ── backups: pve-manager API2/VZDump.pm, PVE/VZDump.pm get_included_guests; options in pve-guest-common VZDump/Common.pm ──
  {
    route: "POST /nodes/{node}/vzdump",
    tier: "reversible",
    operation: "backup",
    keeps: [
      "vmid",
      "storage",
      "mode",
      "compress",
      "notes-template",
      "protected",
      "bwlimit",
      "ionice",
      "lockwait",
      "stopwait",
      "mailnotification",
      "notification-mode",
      "quiet",
      "stdexcludes",
      "exclude-path",
      "fleecing",
      "performance",
      "pbs-change-detection-mode",
      "pigz",
      "zstd",
      "remove",
    ],
    raises: [
      whenTruthy("all", "destructive", "all=1 backs up every guest on the node"),
      whenGiven("pool", "destructive", "pool= backs up every guest in the pool"),
      whenGiven("exclude", "destructive", "exclude= means all guests but these"),
      { params: ["vmid"], test: (p) => severalVmids(p.vmid), to: "destructive", why: "vmid= lists several guests" },
      {
        params: ["prune-backups", "remove"],
        test: (p) => given(p["prune-backups"]) && (p.remove === undefined || isTruthy(p.remove)),
        to: "destructive",
        why: "prune-backups= with remove (default 1) deletes older backups by new retention rules",
      },
      whenTruthy("stop", "destructive", "stop=1 aborts the backup jobs running on the node"),
      // PVE/VZDump.pm sends the job's log (guest names, paths, errors) to these addresses
      whenGiven("mailto", "destructive", "mailto= mails the backup log to addresses of the caller's choosing"),
      // PVE/VZDump/QemuServer.pm and LXC.pm stop_vm: the guest is shut down for the backup, then started again
      {
        params: ["mode"],
        test: (p) => p.mode === "stop",
        to: "reversible",
        why: "mode=stop shuts the guest down for the backup and starts it again",
        alsoOperation: "shutdown",
      },
    ],
    scope: { kind: "vzdump" },
    note: "dumpdir, tmpdir, script, job-id and stdout are root-only: unknown, so destructive",
  },

  // ── pool membership: pve-manager API2/Pool.pm update_pool ──
  ...(["PUT /pools", "PUT /pools/{poolid}"] as const).map(
    (route): EndpointRule => ({ route, tier: "reversible", operation: "pool", keeps: ["poolid", "vms", "storage", "delete", "allow-move", "comment"] }),
  ),
  ...(["DELETE /pools", "DELETE /pools/{poolid}", "POST /pools"] as const).map(
    (route): EndpointRule => ({ route, tier: "destructive", keeps: "*" }),
  ),

  // ── many guests at once: pve-manager API2/Nodes.pm startall/stopall/suspendall/migrateall and
  //    API2/Cluster/BulkAction/Guest.pm; `vms` limits them, without it they take every guest ──
  ...(["startall", "stopall", "suspendall", "migrateall"] as const).map(
    (action): EndpointRule => ({
      route: `POST /nodes/{node}/${action}`,
      tier: "destructive",
      keeps: "*",
      scope: { kind: "node-guests", list: "vms" },
      note: "acts on many guests at once",
    }),
  ),
  ...(["start", "shutdown", "suspend", "migrate"] as const).map(
    (action): EndpointRule => ({
      route: `POST /cluster/bulk-action/guest/${action}`,
      tier: "destructive",
      keeps: "*",
      scope: { kind: "cluster-guests", list: "vms" },
      note: "acts on many guests at once",
    }),
  ),

  // ── destructive, with known targets (so they work inside allow-lists) ──
  ...forBothTypes("DELETE", "", { tier: "destructive", operation: "delete", keeps: "*" }),
  ...(["DELETE", "PUT", "POST"] as const).map(
    (verb): EndpointRule => ({ route: `${verb} /nodes/{node}/storage/{storage}/content/{volume}`, tier: "destructive", keeps: "*" }),
  ),
  { route: "POST /nodes/{node}/storage/{storage}/content", tier: "destructive", keeps: "*" },
  { route: "POST /cluster/ha/resources", tier: "destructive", keeps: "*" },
  ...(["PUT", "DELETE"] as const).map((verb): EndpointRule => ({ route: `${verb} /cluster/ha/resources/{sid}`, tier: "destructive", keeps: "*" })),
  ...(["migrate", "relocate"] as const).map(
    (action): EndpointRule => ({ route: `POST /cluster/ha/resources/{sid}/${action}`, tier: "destructive", keeps: "*" }),
  ),
  { route: "PUT /access/acl", tier: "destructive", keeps: "*", note: "the ACL path names the target (/vms/ID, /pool/ID, …)" },
];

/**
 * Routes under `/nodes/{node}` whose effect is not bounded by that node. A route the table above does not
 * know counts as acting on its node (allowed under a node allow-list alone); these reach the whole cluster,
 * so they are refused while any allow-list is set. `*` as verb: every verb; a template ending in `/*`: every
 * route below it. `test/skill/policy/endpoint-rules.test.ts` has a case for every row.
 */
export const BEYOND_THEIR_NODE: readonly { route: string; why: string }[] = [
  // pve-manager API2/Nodes.pm execute: each command is an API path of its own, on any node
  { route: "POST /nodes/{node}/execute", why: "it runs API calls of its own choosing, on any node" },
  // API2/Nodes.pm termproxy/vncshell/spiceshell: a root shell on a node whose /etc/pve is the cluster's
  ...(["termproxy", "vncshell", "spiceshell"] as const).map((shell) => ({
    route: `POST /nodes/{node}/${shell}`,
    why: "a shell on a node reaches the whole cluster",
  })),
  // API2/Ceph*.pm: pools, monitors, managers and OSDs serve the guests of every node
  { route: "* /nodes/{node}/ceph/*", why: "Ceph pools and services are shared by every node" },
];

/**
 * GETs that are not plain reads: they read files out of guests or backups, or make a node contact a host
 * of the caller's choosing (the node's network position, not the caller's). Every other GET is read-only.
 * `test/skill/policy/endpoint-rules.test.ts` has a case for every row.
 */
export const SENSITIVE_READS: readonly { route: string; tier: Tier; why: string }[] = [
  // qemu-server API2/Qemu/Agent.pm file-read: any file of the guest, through the guest agent, as root
  {
    route: "GET /nodes/{node}/qemu/{vmid}/agent/file-read",
    tier: "destructive",
    why: "agent/file-read reads any file inside the guest (keys, password hashes) through the guest agent",
  },
  // pve-manager / pve-storage API2/Storage/FileRestore.pm: files out of a backup; `list` starts a restore VM
  {
    route: "GET /nodes/{node}/storage/{storage}/file-restore/download",
    tier: "destructive",
    why: "file-restore/download copies files out of a guest's backup",
  },
  {
    route: "GET /nodes/{node}/storage/{storage}/file-restore/list",
    tier: "reversible",
    why: "file-restore/list starts a file-restore VM on the node and reads a guest's backup",
  },
  // pve-manager API2/Nodes.pm query_url_metadata: the node sends a HEAD request to the URL
  { route: "GET /nodes/{node}/query-url-metadata", tier: "reversible", why: "query-url-metadata makes the node fetch a URL of the caller's choosing" },
  // pve-manager API2/ACME*.pm / proxmox-acme: the node fetches the directory URL given
  ...(["meta", "tos"] as const).map((what) => ({
    route: `GET /cluster/acme/${what}`,
    tier: "reversible" as const,
    why: `acme/${what} makes the node fetch the ACME directory URL given`,
  })),
  // pve-storage API2/Storage/Scan.pm: the node contacts the server given (with the credentials given, for cifs/pbs)
  ...(["nfs", "cifs", "iscsi", "pbs"] as const).map((kind) => ({
    route: `GET /nodes/{node}/scan/${kind}`,
    tier: "reversible" as const,
    why: `scan/${kind} makes the node contact the server given`,
  })),
];

/** The SENSITIVE_READS row of a GET on `template`, if any. */
export function sensitiveRead(template: string): { tier: Tier; why: string } | undefined {
  return SENSITIVE_READS.find((r) => r.route === `GET ${template}`);
}

/** Why `verb template` reaches beyond its node, when a BEYOND_THEIR_NODE row says so. */
export function beyondTheirNode(verb: Verb, template: string): string | undefined {
  return BEYOND_THEIR_NODE.find((r) => {
    const [v, path] = r.route.split(" ") as [string, string];
    if (v !== "*" && v !== verb) return false;
    return path.endsWith("/*") ? template.startsWith(path.slice(0, -1)) : template === path;
  })?.why;
}

let byRoute: Map<string, EndpointRule> | undefined;

/** The rule for `verb` on a path template, or undefined when the table does not know it. */
export function endpointRule(verb: Verb, template: string): EndpointRule | undefined {
  byRoute ??= new Map(ENDPOINT_RULES.map((r) => [r.route, r]));
  return byRoute.get(`${verb} ${template}`);
}

/** How dangerous one request is, and why. */
export interface TierAssessment {
  tier: Tier;
  /** Why the tier is above the row's (or why the request is destructive at all): for plans and refusals. */
  reasons: string[];
  /** The curated operation the request amounts to (`shutdown`), when the table names one. */
  operation?: string;
  /** Other curated operations the request also amounts to, by its parameters (a backup in stop mode: `shutdown`), each with why. */
  also?: { operation: string; why: string }[];
  rule?: EndpointRule;
}

/**
 * The tier of `verb template` with `params` (path parameters included): GET is read (SENSITIVE_READS aside); a known row gives
 * its tier, raised by its conditions and by any parameter it does not list; an unknown route is destructive.
 */
export function assessTier(verb: Verb, template: string, params: Readonly<Record<string, unknown>>, pathParams: readonly string[] = []): TierAssessment {
  if (verb === "GET") {
    const sensitive = sensitiveRead(template);
    return sensitive ? { tier: sensitive.tier, reasons: [sensitive.why] } : { tier: "read", reasons: [] };
  }
  const rule = endpointRule(verb, template);
  if (!rule) return { tier: "destructive", reasons: [`${verb} ${template} is not in pvekit's endpoint rules, so it counts as destructive`] };
  let tier = rule.tier;
  const reasons: string[] = [];
  const raiseParams = new Set((rule.raises ?? []).flatMap((r) => r.params));
  const also: { operation: string; why: string }[] = [];
  for (const r of rule.raises ?? []) {
    if (!r.test(params)) continue;
    if (maxTier(rule.tier, r.to) !== rule.tier) reasons.push(r.why);
    if (r.alsoOperation) also.push({ operation: r.alsoOperation, why: r.why });
    tier = maxTier(tier, r.to);
  }
  if (rule.keeps !== "*") {
    const keeps = new Set([...rule.keeps, ...raiseParams, ...pathParams, ...pathParamsOf(template)]);
    const unknown = Object.keys(params).filter((k) => given(params[k]) && !keeps.has(k));
    if (unknown.length && tier !== "destructive") {
      tier = "destructive";
      reasons.push(`${unknown.join(", ")}: not a parameter the rules for ${rule.route} know, so the call counts as destructive`);
    }
  }
  if (rule.note && rule.tier === "destructive" && rule.scope && rule.scope.kind !== "named") reasons.push(rule.note);
  return { tier, reasons, rule, ...(rule.operation ? { operation: rule.operation } : {}), ...(also.length ? { also } : {}) };
}

function pathParamsOf(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
}
