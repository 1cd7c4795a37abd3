import type { RouteMeta } from "../generated/meta-types";
import type { AccessControl, AuthInfo } from "./access-control";
import type { VirtualClock } from "./clock";
import type { EventLog } from "./event-log";
import type { Fault } from "./faults";
import type { ConfigEnv } from "./guest-config/canonical";
import type { MacGenerator } from "./guest-config/mac";
import type { SimUpload } from "./multipart-upload";
import { PveHttpError, fail, paramError } from "./pve-http-error";
import type { WireParams } from "./request-params";
import type { ClusterState, GuestState, GuestType, NodeState } from "./state-types";
import type { TaskSpec, TaskTable } from "./task-table";

/** The parts of a simulator that endpoint handlers work on. */
export interface SimWorld {
  state: ClusterState;
  tasks: TaskTable;
  clock: VirtualClock;
  access: AccessControl;
  /** MAC addresses for NICs given without one */
  macs: MacGenerator;
  /** the nodes' journals and the cluster log */
  events: EventLog;
  /**
   * Calls another API method as `auth`: validated, privilege-checked; returns its data, throws its error.
   * `via: "http"` is a real request (PVE's cluster bulk actions call the API on localhost through
   * PVE::APIClient::LWP): every injected fault applies. `via: "handler"` runs the method's handler in
   * the worker (startall/stopall call PVE::API2::Qemu->vm_start directly): only faults of the method's
   * own behaviour apply (task-error, task-warnings, lock-timeout, and a status fault as the handler
   * dying with its message). `startAt`: virtual time a task it starts began at.
   */
  call(auth: AuthInfo, method: string, path: string, params?: Record<string, string | string[]>, opts?: { startAt?: number; via?: "http" | "handler" }): unknown;
}

/** What a request brings besides its parameters. */
export interface RequestExtras {
  /** a task fault for this request (task-error / task-warnings) */
  fault?: Fault;
  /** the file of a storage upload (size and checksum; the bytes are not kept) */
  upload?: SimUpload;
  /** virtual time the tasks it starts began at (internal calls from a finishing worker) */
  startAt?: number;
}

/** One request being handled: parsed parameters, caller, and helpers that answer like PVE. */
export class SimContext {
  /** `total` attribute of the answer (task lists), when set */
  total: number | undefined;

  constructor(
    readonly world: SimWorld,
    readonly key: string,
    readonly route: RouteMeta,
    readonly params: WireParams,
    readonly auth: AuthInfo,
    private readonly extras: RequestExtras = {},
  ) {}

  /** the file of a storage upload (size and checksum; the bytes are not kept) */
  get upload(): SimUpload | undefined {
    return this.extras.upload;
  }

  get state(): ClusterState {
    return this.world.state;
  }

  /** A parameter as a string (the last one if repeated). */
  str(name: string): string | undefined {
    const v = this.params[name];
    return Array.isArray(v) ? v[v.length - 1] : v;
  }

  /** A required string parameter (validation has already checked presence). */
  req(name: string): string {
    const v = this.str(name);
    if (v === undefined) throw paramError({ [name]: "property is missing and it is not optional" });
    return v;
  }

  int(name: string): number | undefined {
    const v = this.str(name);
    return v === undefined ? undefined : Number.parseInt(v, 10);
  }

  /** PVE booleans: 1/true/yes/on. */
  bool(name: string): boolean {
    const v = this.str(name);
    return v !== undefined && /^(1|true|yes|on)$/i.test(v);
  }

  /** Throws 403 unless the caller holds the privileges on `path`. */
  check(path: string, privs: readonly string[], any = false): void {
    this.world.access.check(this.auth, path, privs, any);
  }

  can(path: string, privs: readonly string[], any = false): boolean {
    return this.world.access.has(this.auth, path, privs, any);
  }

  /** What canonicalising a guest's options on `node` needs (storages, MACs, the caller's privilege checks). */
  configEnv(node: string): ConfigEnv {
    return { state: this.state, node, macs: this.world.macs, check: (path, privs) => this.check(path, privs) };
  }

  /** CPU threads of a node (what PVE caps a VM's reported vCPUs at); 1 for an unknown node. */
  hostCpus(node: string): number {
    return this.state.nodes.find((n) => n.name === node)?.maxcpu ?? 1;
  }

  /** The `{node}` of the path; unknown nodes fail as PVE's proxy does. */
  node(): NodeState {
    const name = this.req("node");
    const node = this.state.nodes.find((n) => n.name === name);
    if (!node) throw fail(`hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`);
    if (!node.online) throw new PveHttpError(595, `No route to host`);
    return node;
  }

  /** The guest `{vmid}` of type `type` on `{node}`; "Configuration file … does not exist" otherwise. */
  guest(type: GuestType): GuestState {
    const node = this.node();
    const vmid = Number(this.req("vmid"));
    const g = this.state.guests.get(vmid);
    if (!g || g.type !== type || g.node !== node.name) {
      throw fail(`Configuration file 'nodes/${node.name}/${type === "qemu" ? "qemu-server" : "lxc"}/${vmid}.conf' does not exist`);
    }
    return g;
  }

  /**
   * Starts a task for this request. Returns its UPID when the route returns one; otherwise
   * (older schemas where the call is synchronous) the task has run to completion and its
   * failure becomes a 500, like PVE's synchronous code path.
   */
  task(spec: Omit<TaskSpec, "user" | "node"> & { node?: string }): string | null {
    const fault = this.extras.fault;
    const forced =
      fault?.kind === "task-error" ? { error: fault.message } : fault?.kind === "task-warnings" ? { warnings: fault.count } : spec.forced;
    const node = spec.node ?? this.req("node");
    const startAt = spec.startAt ?? this.extras.startAt;
    if (this.route.upid) return this.world.tasks.start({ ...spec, node, user: this.auth.authid, ...(forced ? { forced } : {}), ...(startAt !== undefined ? { startAt } : {}) });
    // synchronous variant: check now, apply now
    spec.check?.();
    spec.run({ info: () => {}, warn: () => {} });
    return null;
  }
}
