import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { RouteMeta } from "../generated/meta-types";
import type { Clock } from "../runtime/clock";
import { permissions as declaredPermissions } from "../generated/permissions";
import { routes as generatedRoutes } from "../generated/routes";
import { validateParams } from "../runtime/validate";
import { AccessControl, type AuthInfo } from "./access-control";
import { type ClockOptions, VirtualClock } from "./clock";
import { type CredentialOptions, type SimCredentials, makeCredentials } from "./credentials";
import { DeclaredPermissionCheck } from "./declared-permissions";
import { defaultCluster } from "./default-cluster";
import { generateCluster } from "./generated-cluster";
import { endpoints as builtinEndpoints, type Endpoint } from "./endpoints";
import { type ListenOptions, type SimServer, listenHttps } from "./https-server";
import { type Fault, type FaultOptions, type FaultRule, FaultTable } from "./faults";
import { EventLog, daemonPid } from "./event-log";
import { MacGenerator } from "./guest-config/mac";
import { PveHttpError, authError } from "./pve-http-error";
import { collectParams } from "./request-params";
import { RouteIndex } from "./route-index";
import type { SimUpload } from "./multipart-upload";
import type { WireParams } from "./request-params";
import { type RequestExtras, SimContext, type SimWorld } from "./sim-context";
import { type SimResponse, bodylessResponse, errorResponse, okResponse } from "./sim-response";
import type { ClusterState } from "./state-types";
import { TaskTable } from "./task-table";
import { totpCode } from "./totp";

export interface SimulatorOptions {
  /** virtual clock: `{ mode: "instant" | "manual" | "real-time" | "scaled", scale }` (default instant) */
  clock?: ClockOptions;
  /** fix the default secrets (random otherwise) */
  credentials?: CredentialOptions;
  /**
   * Generate a cluster of this many nodes (pve1 … pveN) instead of the default one; with `guests`,
   * that many guests spread over them (default 10 per node). Deterministic: the same numbers (and
   * `seed`) give the same cluster. See {@link generateCluster}.
   */
  nodes?: number;
  /** number of guests of a generated cluster (with or without `nodes`: 3 nodes by default) */
  guests?: number;
  /** varies a generated cluster, reproducibly (default 1) */
  seed?: number;
  /** change the default cluster (runs on every `reset()` too) */
  setup?: (state: ClusterState) => void;
  /** schema file served as `/pve-docs/api-viewer/apidoc.js` (default `schema/apidoc.json`) */
  schemaPath?: string;
  /**
   * Every task takes this many ms of virtual time, whatever its kind (default: a duration per kind,
   * e.g. shutdown 6 s, clone 10 s). No effect on the instant clock. With `clock: { mode: "scaled" }`
   * it gives benchmarks a fixed, wall-clock-bounded task length.
   */
  taskDurationMs?: number;
  /** route table to validate against (default: the generated one, built from the same schema) */
  routes?: Readonly<Record<string, RouteMeta>>;
}

/** A request in face-neutral form. `path` is the URL path (`/api2/json/...`), `query` without `?`. */
export interface SimRequest {
  method: string;
  path: string;
  query?: string;
  /** raw body text (form or JSON, per `content-type`) or parsed parameters */
  body?: string | Record<string, unknown>;
  /** lower-case header names */
  headers?: Record<string, string>;
  /** a storage upload's file (the faces stream the multipart body; its fields go into `body`) */
  upload?: SimUpload;
}

/** Requests that need no authentication, by literal path as PVE::HTTPServer::auth_handler lists them. */
const PUBLIC = new Set(["POST /access/ticket", "GET /access/ticket", "GET /access/domains", "POST /access/vncticket"]);

/** Faults a method's handler itself can show when a worker runs it in-process (no HTTP in between). */
const HANDLER_FAULTS: ReadonlySet<Fault["kind"]> = new Set(["task-error", "task-warnings", "lock-timeout", "status"]);

/** Header marking a 501 for a schema method the simulator does not model (PVE itself would serve it). */
export const UNMODELLED_HEADER = "x-pvekit-sim-unmodelled";

/** What the simulator models, against the schema it validates with (see {@link Simulator.coverage}). */
export interface SimCoverage {
  /** route keys (`"VERB /path"`) answered with real behaviour */
  modelled: string[];
  /** directory-index GETs (`[{subdir}]`), answered from the schema alone */
  indexes: string[];
  /** schema methods that answer 501 `Method '…' not implemented`, as PVE does for a method it has no handler for */
  unmodelled: string[];
}

/**
 * A stateful, schema-validating Proxmox VE cluster in memory. `handle()` is the core both
 * faces use: `sim.handlers` (msw, from `pvekit/testing`) and `sim.listen()` (HTTPS).
 */
export class Simulator {
  readonly clock: VirtualClock;
  readonly credentials: SimCredentials;
  readonly tasks: TaskTable;
  readonly access: AccessControl;
  /** the nodes' journals and the cluster log */
  readonly events: EventLog;
  readonly faults = new FaultTable();
  /** MAC addresses for NICs created without one (PVE's BC:24:11 prefix) */
  readonly macs = new MacGenerator();
  /** the simulated cluster; tests may read and change it directly */
  state: ClusterState;
  private readonly routeIndex: RouteIndex;
  private readonly declared: DeclaredPermissionCheck;
  private readonly routes: Readonly<Record<string, RouteMeta>>;
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly opts: SimulatorOptions;

  constructor(opts: SimulatorOptions = {}) {
    this.opts = opts;
    this.clock = new VirtualClock(opts.clock);
    this.credentials = makeCredentials(opts.credentials);
    if (opts.taskDurationMs !== undefined && !(opts.taskDurationMs >= 0 && Number.isFinite(opts.taskDurationMs))) {
      throw new RangeError(`taskDurationMs must be a finite number of ms >= 0, got ${opts.taskDurationMs}`);
    }
    this.tasks = new TaskTable(this.clock, opts.taskDurationMs !== undefined ? { taskDurationMs: opts.taskDurationMs } : {});
    this.events = new EventLog(this.clock);
    // pvedaemon logs every worker it forks, to the node's journal and the cluster log
    this.tasks.listen({
      started: (t) => this.events.record(t.node, "pvedaemon", daemonPid(t.node), t.user, `starting task ${t.upid}`),
      ended: (t) => this.events.record(t.node, "pvedaemon", daemonPid(t.node), t.user, `end task ${t.upid} ${t.exitstatus ?? ""}`.trim()),
    });
    this.access = new AccessControl(this.clock, this.credentials);
    this.declared = new DeclaredPermissionCheck(this.access);
    this.state = this.seed();
    this.routes = opts.routes ?? generatedRoutes;
    this.routeIndex = new RouteIndex(this.routes);
    for (const e of builtinEndpoints) this.endpoints.set(e.key, e);
  }

  private seed(): ClusterState {
    const o = this.opts;
    const state =
      o.nodes !== undefined || o.guests !== undefined
        ? generateCluster(this.clock.nowSeconds(), { nodes: o.nodes ?? 3, guests: o.guests ?? 10 * (o.nodes ?? 3), ...(o.seed !== undefined ? { seed: o.seed } : {}) })
        : defaultCluster(this.clock.nowSeconds());
    this.opts.setup?.(state);
    return state;
  }

  /** Back to the initial cluster: state rebuilt, tasks and faults cleared (users and tickets kept). */
  reset(): void {
    this.state = this.seed();
    this.tasks.clear();
    this.faults.clear();
    this.events.clear();
  }

  /** Route keys (`"VERB /path"`) this simulator implements with real behaviour. */
  get implemented(): string[] {
    return [...this.endpoints.keys()].sort();
  }

  /**
   * Which schema methods the simulator models, which directory indexes it serves from the schema,
   * and which answer 501: what a test against it does and does not exercise.
   */
  coverage(): SimCoverage {
    const modelled: string[] = [];
    const indexes: string[] = [];
    const unmodelled: string[] = [];
    for (const [key, route] of Object.entries(this.routes)) {
      if (this.endpoints.has(key)) modelled.push(key);
      else if (this.directoryIndex(route)) indexes.push(key);
      else unmodelled.push(key);
    }
    return { modelled: modelled.sort(), indexes: indexes.sort(), unmodelled: unmodelled.sort() };
  }

  /** Injects a fault for requests matching `pattern` (`"POST /nodes/*\/qemu/*\/status/start"`, once by default). */
  fault(pattern: string | RegExp, fault: Fault, opts?: FaultOptions): FaultRule {
    return this.faults.add(pattern, fault, opts);
  }

  /**
   * A clock for `new PveClient({ clock })` whose `sleep` advances this simulator's virtual
   * time: `tasks.wait` and retries then run instantly and deterministically in tests.
   */
  get clientClock(): Clock {
    return {
      now: () => this.clock.now(),
      sleep: async (ms, signal) => {
        if (signal?.aborted) throw signal.reason;
        this.clock.advance(ms);
      },
      random: () => 0.5,
    };
  }

  /** The current TOTP code of a user with a second factor (on the virtual clock). */
  totp(user = this.credentials.tfa): string {
    if (!user.totpSecret) throw new Error(`user ${user.username} has no TOTP secret`);
    return totpCode(user.totpSecret, this.clock.now());
  }

  /**
   * Serves the simulator over HTTPS on 127.0.0.1 (port 0: a free one) with a self-signed
   * certificate made now. Returns `{ url, fingerprint, cert, close }`.
   */
  listen(opts: ListenOptions = {}): Promise<SimServer> {
    return listenHttps((req) => this.handle(req), opts, { authorizeUpload: (path, headers) => this.authorizeUpload(path, headers) });
  }

  /**
   * For an upload, what PVE checks before it reads the body (PVE::HTTPServer::auth_handler): the caller
   * is authenticated and holds Datastore.AllocateTemplate on the storage. An error answer, or undefined.
   */
  authorizeUpload(path: string, headers: Record<string, string>): SimResponse | undefined {
    const m = /^\/api2\/json\/nodes\/([^/]+)\/storage\/([^/]+)\/upload\/?$/.exec(path);
    if (!m) return undefined;
    try {
      const auth = this.access.authenticate(headers, "POST", { csrf: false });
      this.access.check(auth, `/storage/${decodeURIComponent(m[2] as string)}`, ["Datastore.AllocateTemplate"]);
      return undefined;
    } catch (err) {
      if (err instanceof PveHttpError) return pveErrorResponse(err);
      throw err;
    }
  }

  /** Handles one request and returns the answer PVE would give. */
  async handle(req: SimRequest): Promise<SimResponse> {
    this.tasks.tick();
    const method = req.method.toUpperCase();
    if (method === "GET" && req.path === "/pve-docs/api-viewer/apidoc.js") return this.apidoc();
    const m = /^\/api2\/json(\/.*)?$/.exec(req.path);
    if (!m) return errorResponse(501, `Unsupported format or path '${req.path}'`);
    const path = (m[1] ?? "/").replace(/\/+$/, "") || "/";
    const fault = this.faults.take(method, path);
    const faulted = this.applyFault(fault);
    if (faulted) return faulted;
    try {
      const res = this.dispatch(method, path, req, fault);
      if (fault?.kind === "latency") res.delayMs = fault.ms;
      return res;
    } catch (err) {
      if (err instanceof PveHttpError) return pveErrorResponse(err);
      return errorResponse(500, err instanceof Error ? err.message : String(err));
    }
  }

  private applyFault(fault: Fault | undefined): SimResponse | undefined {
    switch (fault?.kind) {
      case "reset":
        return { ...errorResponse(502, "connection reset"), reset: true };
      case "status":
        return errorResponse(fault.status, fault.message ?? defaultReason(fault.status));
      case "malformed-body":
        return { status: 200, statusText: "OK", headers: { "content-type": "application/json;charset=UTF-8" }, body: '{"data": [{"vmid": 100, "sta' };
      default:
        return undefined;
    }
  }

  private dispatch(method: string, path: string, req: SimRequest, fault: Fault | undefined): SimResponse {
    const headers = req.headers ?? {};
    // PVE::APIServer::AnyEvent authenticates before PVE::HTTPServer::rest_handler looks for a handler,
    // so an unknown path answers 401 to a stranger and 501 to a logged-in caller.
    let auth: AuthInfo | undefined;
    if (!PUBLIC.has(`${method} ${path}`)) {
      // uploads skip the CSRF check (PVE::HTTPServer::auth_handler: hard to send with HTML forms)
      auth = this.access.authenticate(headers, method, { csrf: !isUploadPath(method, path), path });
      if (fault?.kind === "expired-ticket") {
        if (auth.ticket) this.access.expireTicket(auth.ticket);
        throw authError("Authentication failed!");
      }
    }
    const found = this.routeIndex.lookup(method, path);
    // PVE/HTTPServer.pm rest_handler: no handler for the method and path (unknown path included) →
    // `501 Method 'GET /path' not implemented`.
    if (found.kind !== "found") return errorResponse(501, `Method '${method} ${path}' not implemented`);
    const { key, route, pathParams } = found;

    let params;
    try {
      params = collectParams(req.query, req.body, headers["content-type"]);
    } catch {
      throw new PveHttpError(400, "malformed JSON body");
    }
    // pve-manager PVE/HTTPServer.pm rest_handler, in this order: path and body parameters merged, tokens
    // refused where the method allows none, the method's declared permissions checked with the raw
    // parameters — and only then does the handler verify its parameters (PVE::RESTHandler::handle)
    for (const [name, value] of Object.entries(pathParams)) {
      const given = params[name];
      if (given !== undefined && (Array.isArray(given) ? given.some((v) => v !== value) : given !== value)) {
        throw new PveHttpError(400, "Parameter verification failed.", { [name]: "duplicate parameter (already defined in URI) with conflicting values!" });
      }
    }
    Object.assign(params, pathParams);
    if (auth?.via === "token" && route.tok === 0) {
      throw new PveHttpError(403, `Permission check failed (URI '${path}' not available with API token, need proper ticket.\n)`);
    }
    if (auth) this.declared.check(declaredPermissions[key], auth, params);
    const endpoint = this.endpoints.get(key);
    if (!endpoint) {
      this.validate(route, params);
      const index = this.directoryIndex(route);
      if (index) return okResponse(index, {});
      const res = errorResponse(501, `Method '${method} ${path}' not implemented`);
      res.headers[UNMODELLED_HEADER] = key;
      return res;
    }
    if (fault?.kind === "lock-timeout") {
      this.validate(route, params);
      const vmid = params["vmid"] ?? "0";
      const dir = key.includes("/lxc") ? "lxc" : "qemu-server";
      throw new PveHttpError(500, `can't lock file '/var/lock/${dir}/lock-${vmid}.conf' - got timeout`);
    }
    const ctx = this.invoke(endpoint, route, params, auth ?? { userid: "", authid: "", via: "ticket" }, {
      ...(fault ? { fault } : {}),
      ...(req.upload ? { upload: req.upload } : {}),
    });
    return okResponse(ctx.data, ctx.total === undefined ? {} : { total: ctx.total });
  }

  private validate(route: RouteMeta, params: WireParams): void {
    const problems = validateParams(route, params, { wire: true });
    if (problems.length > 0) {
      const errors: Record<string, string> = {};
      for (const p of problems) errors[p.param] ??= p.message;
      throw new PveHttpError(400, "Parameter verification failed.", errors);
    }
  }

  /** Validates and runs an endpoint; returns its data and `total`. */
  private invoke(endpoint: Endpoint, route: RouteMeta, params: WireParams, auth: AuthInfo, extras: RequestExtras): { data: unknown; total: number | undefined } {
    this.validate(route, params);
    const world: SimWorld = {
      state: this.state,
      tasks: this.tasks,
      clock: this.clock,
      access: this.access,
      macs: this.macs,
      events: this.events,
      call: (a, m, p, ps, o) => this.internalCall(a, m, p, ps ?? {}, o ?? {}),
    };
    const ctx = new SimContext(world, endpoint.key, route, params, auth, extras);
    const data = endpoint.handle(ctx);
    return { data, total: ctx.total };
  }

  /**
   * An API call made inside the cluster (bulk actions, startall …): the same checks, and the faults that
   * apply to it (see {@link SimWorld.call}: all of them for a request over HTTP, the method's own for a
   * handler run in the worker).
   */
  private internalCall(auth: AuthInfo, method: string, path: string, params: Record<string, string | string[]>, opts: { startAt?: number; via?: "http" | "handler" }): unknown {
    const found = this.routeIndex.lookup(method, path);
    if (found.kind !== "found") throw new PveHttpError(501, `Method '${method} ${path}' not implemented`);
    const endpoint = this.endpoints.get(found.key);
    if (!endpoint) throw new PveHttpError(501, `Method '${method} ${path}' not implemented`);
    const fault = opts.via ? this.faults.take(method, path, opts.via === "http" ? undefined : HANDLER_FAULTS) : undefined;
    switch (fault?.kind) {
      case "reset": // PVE::APIClient::LWP: LWP's own answer to a dropped connection
        throw new PveHttpError(500, "Server closed connection without sending any data back");
      case "status":
        if (opts.via === "handler") throw new Error(fault.message ?? defaultReason(fault.status));
        throw new PveHttpError(fault.status, fault.message ?? defaultReason(fault.status));
      case "malformed-body": // PVE::APIClient::LWP decodes the body with from_json
        throw new Error("malformed JSON string, neither tag, array, object, number, string or atom, at character offset 0");
      case "expired-ticket":
        if (auth.ticket) this.access.expireTicket(auth.ticket);
        throw authError("Authentication failed!");
    }
    const all = { ...params, ...found.pathParams };
    // over HTTP the request meets pveproxy's permission check; a handler run in-process does not
    if (opts.via === "http") this.declared.check(declaredPermissions[found.key], auth, all);
    if (fault?.kind === "lock-timeout") {
      this.validate(found.route, all);
      throw new PveHttpError(500, `can't lock file '/var/lock/${found.key.includes("/lxc") ? "lxc" : "qemu-server"}/lock-${all["vmid"] ?? "0"}.conf' - got timeout`);
    }
    return this.invoke(endpoint, found.route, all, auth, { ...(opts.startAt !== undefined ? { startAt: opts.startAt } : {}), ...(fault ? { fault } : {}) }).data;
  }

  /**
   * PVE's directory indexes (`GET /nodes/{node}/qemu/{vmid}` → `[{subdir: "config"}, …]`) answer with the
   * path's children; they hold no state, so every one of them is served from the schema alone.
   */
  private directoryIndex(route: RouteMeta): Array<{ subdir: string }> | undefined {
    const item = route.v === "GET" && route.ret.t === "array" ? route.ret.i : undefined;
    const keys = Object.keys(item?.props ?? {});
    if (keys.length !== 1 || keys[0] !== "subdir") return undefined;
    const children = this.routeIndex.childSegments(route.path);
    return children.length ? children.map((subdir) => ({ subdir })) : undefined;
  }

  private async apidoc(): Promise<SimResponse> {
    const file = resolve(this.opts.schemaPath ?? "schema/apidoc.json");
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      return errorResponse(404, `no such file '/pve-docs/api-viewer/apidoc.js'`);
    }
    // accept either a JSON tree or an apidoc.js file as the source
    const json = text.trimStart().startsWith("[") ? text.trim() : (/=\s*(\[[\s\S]*\])\s*;/.exec(text)?.[1] ?? "[]");
    return {
      status: 200,
      statusText: "OK",
      headers: { "content-type": "application/javascript" },
      body: `const apiSchema = ${json};\n`,
    };
  }
}

/** The answer for a PVE error: status line and `{data, message, errors?}`, or the status line alone for failed authentication. */
function pveErrorResponse(err: PveHttpError): SimResponse {
  return err.bodyless ? bodylessResponse(err.status, err.message) : errorResponse(err.status, err.message, err.errors);
}

function defaultReason(status: number): string {
  const reasons: Record<number, string> = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    595: "Connection refused",
    596: "Connection timed out",
  };
  return reasons[status] ?? "Simulated failure";
}

const isUploadPath = (method: string, path: string): boolean => method === "POST" && /^\/nodes\/[^/]+\/storage\/[^/]+\/upload$/.test(path);

/** Creates a simulator (see {@link SimulatorOptions}). The HTTPS face is `listen()` in `pvekit/testing`. */
export function createSimulator(options?: SimulatorOptions): Simulator {
  return new Simulator(options);
}
