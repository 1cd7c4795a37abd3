import { NotFoundError } from "../errors";
import type { GuestRef, OperationContext } from "./operation";

/** No guest with that VMID exists in the cluster. Exit code 1. */
export class GuestNotFoundError extends NotFoundError {
  readonly vmid: number;
  constructor(vmid: number) {
    super("guest", `No VM or container with VMID ${vmid} exists in the cluster (checked /cluster/resources).`, "SKILL_GUEST_NOT_FOUND");
    this.vmid = vmid;
  }
}

/** A `/cluster/resources` row as far as the skill reads it. */
export interface ResourceRow {
  id?: string;
  type?: string;
  vmid?: number | string;
  node?: string;
  name?: string;
  status?: string;
  pool?: string;
  tags?: string;
  template?: number | boolean;
  maxmem?: number;
  mem?: number;
  maxcpu?: number;
  cpu?: number;
  maxdisk?: number;
  uptime?: number;
  lock?: string;
  [key: string]: unknown;
}

/** All guests (VMs and containers) of the cluster. */
export async function listGuestResources(ctx: OperationContext): Promise<ResourceRow[]> {
  const rows = (await ctx.client.request("GET", "/cluster/resources", { type: "vm" })) as ResourceRow[];
  return rows.filter((r) => r.type === "qemu" || r.type === "lxc");
}

/** Turns a resources row into a guest reference. */
export function toGuestRef(r: ResourceRow): GuestRef {
  return {
    vmid: Number(r.vmid),
    node: String(r.node),
    type: r.type === "lxc" ? "lxc" : "qemu",
    name: r.name,
    status: r.status,
    pool: r.pool || undefined,
    tags: splitTags(r.tags),
    template: r.template === 1 || r.template === true,
    maxmem: r.maxmem,
    maxcpu: typeof r.maxcpu === "number" && r.maxcpu > 0 ? r.maxcpu : undefined,
    lock: r.lock || undefined,
  };
}

/** PVE stores tags as `a;b` (also accepting `,` and spaces). */
export function splitTags(tags: string | undefined): string[] {
  return (tags ?? "").split(/[;,\s]+/).filter((t) => t.length > 0);
}

/** Finds a guest by VMID alone: node and type come from `/cluster/resources`. */
export async function locateGuest(ctx: OperationContext, vmid: number): Promise<GuestRef> {
  const known = ctx.knownGuests?.get(vmid);
  if (known) return known;
  const row = (await listGuestResources(ctx)).find((r) => Number(r.vmid) === vmid);
  if (!row) throw new GuestNotFoundError(vmid);
  return toGuestRef(row);
}

/** Path template of a guest sub-resource plus its path params, e.g. `guestPath(g, "/status/current")`. */
export function guestPath(g: GuestRef, suffix = ""): [string, { node: string; vmid: number }] {
  return [`/nodes/{node}/${g.type}/{vmid}${suffix}`, { node: g.node, vmid: g.vmid }];
}

/** `qemu/100 (web) on pve1`: how plans and audit entries name a guest. */
export function describeGuest(g: Pick<GuestRef, "type" | "vmid" | "name" | "node">): string {
  return `${g.type}/${g.vmid}${g.name ? ` (${g.name})` : ""} on ${g.node}`;
}

/** "VM" or "container". */
export function guestNoun(g: GuestRef): string {
  return g.type === "qemu" ? "VM" : "container";
}
