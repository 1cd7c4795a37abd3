import type { RouteMeta, Verb } from "../../generated/meta-types";
import { hasAllowLists, type AllowLists, type AllowTarget, type UnknownReach } from "./allow-list";
import { beyondTheirNode, isTruthy, type EndpointRule, type GuestScope } from "./endpoint-rules";
import { namedTargets, vmidsOf } from "./target-rules";

/** A guest as `/cluster/resources` lists it, as far as the policy needs it. */
export interface GuestInfo {
  vmid: number;
  node: string;
  pool?: string;
  tags: readonly string[];
}

/** What one request reaches, for the allow-lists and the plan. */
export interface RequestScope {
  /** Everything the allow-lists must accept: guests with their node, pool and tags, nodes, storages, pools. */
  targets: AllowTarget[];
  /** The guests a node- or cluster-wide action selects, in order (shown in the plan; bound into the token). */
  selected?: number[];
  /** Set when the affected guests cannot be known (refused under an allow-list). */
  unknown?: UnknownReach;
  /**
   * Parameters that replace the request's selection with the `selected` guests, so that what runs is
   * exactly what the allow-lists checked (only under an allow-list; `undefined` values drop a parameter).
   */
  pin?: Record<string, unknown>;
}

export interface ScopeRequest {
  verb: Verb;
  template: string;
  params: Readonly<Record<string, unknown>>;
  meta: RouteMeta | undefined;
  /** The endpoint rule, when the table has one. */
  rule: EndpointRule | undefined;
  lists: AllowLists;
  /** Reads the cluster's guests (`/cluster/resources`); called at most once, only when needed. */
  guests: () => Promise<readonly GuestInfo[]>;
}

/**
 * Works out which guests, nodes, storages and pools a request reaches: the targets its path and
 * parameters name, expanded for node- and cluster-wide actions by reading `/cluster/resources`. A route
 * the endpoint rules do not know reaches only what its path bounds: with `{vmid}` the named targets, with
 * only `{node}` an unknown set on that node, otherwise an unknown set in the cluster.
 */
export async function resolveScope(req: ScopeRequest): Promise<RequestScope> {
  const scope: GuestScope = req.rule?.scope ?? { kind: "named" };
  const selectors = selectorParams(scope);
  const named = namedTargets(req.meta, req.params, selectors);
  let all: readonly GuestInfo[] | undefined;
  const guests = async (): Promise<readonly GuestInfo[]> => (all ??= await req.guests());
  const byId = async (): Promise<Map<number, GuestInfo>> => new Map((await guests()).map((g) => [g.vmid, g]));

  const out: RequestScope = { targets: [] };
  const node = typeof req.params.node === "string" ? req.params.node : undefined;
  if (!req.rule && !req.template.includes("{vmid}")) {
    const wider = beyondTheirNode(req.verb, req.template);
    out.unknown = wider
      ? { why: `${req.verb} ${req.template} acts beyond node ${node ?? ""}: ${wider}` }
      : node
        ? { why: `${req.verb} ${req.template} acts on node ${node}`, node }
        : { why: `${req.verb} ${req.template} acts on the cluster` };
  }
  if (named.clusterWide) out.unknown = { why: named.clusterWide };
  else if (named.nodeWide && !out.unknown) out.unknown = { why: named.nodeWide, node: named.nodes[0] };

  let selected: number[] | undefined;
  if (scope.kind !== "named") {
    const listed = req.params[selectors[0] as string];
    const explicit = scope.kind !== "vzdump" && listed !== undefined && listed !== "" ? vmidsOf(listed) : undefined;
    selected = explicit ?? (await select(scope, req.params, node, await guests()));
    out.selected = selected;
    if (hasAllowLists(req.lists) && !explicit) out.pin = pinParams(scope, selected);
  }

  const guestIds = [...new Set([...named.vmids, ...(selected ?? [])])];
  if (guestIds.length) {
    const known = await byId();
    const newPool = typeof req.params.pool === "string" && req.meta?.params.pool?.f === "pve-poolid" ? req.params.pool : undefined;
    const newTags = typeof req.params.tags === "string" ? req.params.tags.split(/[;,\s]+/).filter(Boolean) : [];
    const newNode = typeof req.params.target === "string" ? req.params.target : node;
    const created = createdVmids(req);
    for (const vmid of guestIds) {
      const g = known.get(vmid);
      // a guest the request creates (create, restore to a new VMID, clone's newid) takes the request's node, pool
      // and tags; any other guest /cluster/resources does not list (PVE hides those the token may not audit) has
      // neither pool nor tags, so pool and tag lists refuse it
      if (g) out.targets.push({ vmid, node: g.node, pool: g.pool, tags: g.tags });
      else if (created.has(vmid)) out.targets.push({ vmid, node: newNode, pool: newPool, tags: newTags });
      else out.targets.push({ vmid, node, pool: undefined, tags: [] });
    }
    if (isPoolMembership(req)) out.targets.push(...(await poolMembershipTargets(req, known)));
  }
  for (const n of named.nodes) out.targets.push({ node: n });
  if (node && !named.nodes.includes(node)) out.targets.push({ node });
  for (const s of named.storages) out.targets.push({ storage: s });
  for (const p of named.pools) out.targets.push({ pool: p });
  return out;
}

/** Routes whose `vmid` is a guest they create (qemu-server and pve-container create_vm, restores included). */
const CREATE_ROUTES = new Set(["POST /nodes/{node}/qemu", "POST /nodes/{node}/lxc"]);

/** The VMIDs a request creates: `newid` (clone), and `vmid` of a create route. */
function createdVmids(req: ScopeRequest): Set<number> {
  const ids = new Set<number>();
  if (req.params.newid !== undefined) ids.add(Number(req.params.newid));
  if (CREATE_ROUTES.has(`${req.verb} ${req.template}`) && req.params.vmid !== undefined) ids.add(Number(req.params.vmid));
  return ids;
}

/** The parameters a scope reads as its selection (not targets). */
function selectorParams(scope: GuestScope): string[] {
  switch (scope.kind) {
    case "named":
      return [];
    case "node-guests":
    case "cluster-guests":
      return [scope.list];
    case "vzdump":
      return ["vmid", "pool", "all", "exclude"];
  }
}

/** The guests an implicit selection takes, as PVE would pick them now. */
async function select(scope: GuestScope, params: Readonly<Record<string, unknown>>, node: string | undefined, guests: readonly GuestInfo[]): Promise<number[]> {
  const ids = (list: readonly GuestInfo[]) => list.map((g) => g.vmid).sort((a, b) => a - b);
  switch (scope.kind) {
    case "named":
      return [];
    case "node-guests":
      return ids(guests.filter((g) => g.node === node));
    case "cluster-guests":
      return ids(guests);
    case "vzdump": {
      // PVE/VZDump.pm get_included_guests: pool, else vmid, else all minus exclude; API2/VZDump.pm then keeps this node's
      if (typeof params.pool === "string" && params.pool) return ids(guests.filter((g) => g.pool === params.pool && g.node === node));
      if (params.vmid !== undefined && params.vmid !== "") return vmidsOf(params.vmid);
      if (isTruthy(params.all)) {
        const exclude = new Set(vmidsOf(params.exclude));
        return ids(guests.filter((g) => g.node === node && !exclude.has(g.vmid)));
      }
      return [];
    }
  }
}

function pinParams(scope: GuestScope, selected: number[]): Record<string, unknown> {
  switch (scope.kind) {
    case "named":
      return {};
    case "node-guests":
      return { [scope.list]: selected.join(",") };
    case "cluster-guests":
      return { [scope.list]: selected };
    case "vzdump":
      return { vmid: selected.join(","), all: undefined, pool: undefined, exclude: undefined };
  }
}

function isPoolMembership(req: ScopeRequest): boolean {
  return req.verb === "PUT" && (req.template === "/pools" || req.template === "/pools/{poolid}") && req.params.vms !== undefined;
}

/**
 * Pool membership (pve-manager API2/Pool.pm): a guest added to a pool must be allowed as it is now AND as a
 * member of that pool, so a foreign guest cannot be pulled into an allowed pool to become a target.
 */
async function poolMembershipTargets(req: ScopeRequest, known: Map<number, GuestInfo>): Promise<AllowTarget[]> {
  if (isTruthy(req.params.delete)) return [];
  const pool = String(req.params.poolid ?? "");
  return vmidsOf(req.params.vms).map((vmid) => {
    const g = known.get(vmid);
    return { vmid, node: g?.node, pool, tags: g?.tags ?? [] };
  });
}
