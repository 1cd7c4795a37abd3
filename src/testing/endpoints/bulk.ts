import { splitList } from "../../generated/property-string";
import { type BulkStep, callError, runBulk } from "../bulk-runner";
import { daemonPid } from "../event-log";
import { PveHttpError, fail, paramError } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import type { GuestState } from "../state-types";
import { type Endpoint, noun, on } from "./endpoint";

/** `order` of a guest's `startup` option (PVE::JSONSchema::pve_parse_startup_order); none: last. */
function startupOrder(g: GuestState): number {
  const m = /(?:^|,)(?:order=)?(\d+)(?:,|$)/.exec(String(g.config.startup ?? ""));
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

/** `timeout` of a guest's `down=` startup setting, else the request's, else 180 (Nodes.pm stopall). */
function downTimeout(g: GuestState, param: number | undefined): number {
  const m = /(?:^|,)down=(\d+)/.exec(String(g.config.startup ?? ""));
  return m ? Number(m[1]) : (param ?? 180);
}

/**
 * PVE::API2::Nodes::Nodeinfo::get_start_stop_list / get_filtered_vmlist (pve-manager PVE/API2/Nodes.pm):
 * guests of `node` (all nodes: undefined) or of `vms`, without templates unless asked, grouped by
 * startup order (ascending; `reverse` for shutdowns), VMIDs ascending within a group.
 */
function guestGroups(
  ctx: SimContext,
  opts: { node?: string; vms?: number[]; templates?: boolean; onboot?: boolean; reverse?: boolean; vmidsDescending?: boolean },
): GuestState[][] {
  const wanted = opts.vms && opts.vms.length ? new Set(opts.vms) : undefined;
  const byOrder = new Map<number, GuestState[]>();
  for (const g of ctx.state.guests.values()) {
    if (wanted && !wanted.has(g.vmid)) continue;
    if (opts.node && g.node !== opts.node) continue;
    if (!opts.templates && g.config.template) continue;
    if (opts.onboot && !Number(g.config.onboot ?? 0)) continue;
    const order = startupOrder(g);
    (byOrder.get(order) ?? byOrder.set(order, []).get(order))?.push(g);
  }
  const orders = [...byOrder.keys()].sort((a, b) => (opts.reverse ? b - a : a - b));
  return orders.map((o) => (byOrder.get(o) as GuestState[]).sort((a, b) => (opts.vmidsDescending ? b.vmid - a.vmid : a.vmid - b.vmid)));
}

/** Parameters for the guest's own call (`POST /nodes/{node}/qemu/{vmid}/status/shutdown`). */
const statusPath = (g: GuestState, action: string): string => `/nodes/${g.node}/${g.type}/${g.vmid}/status/${action}`;

/** The node answering cluster-wide calls (the one the client talks to). */
const localNode = (ctx: SimContext): string => ctx.state.nodes.find((n) => n.online)?.name ?? ctx.state.nodes[0]?.name ?? "localhost";

/** bulk-action `vms`: an array (repeated keys or a JSON list), legacy-normalised like RESTHandler does. */
function vmsArray(ctx: SimContext): number[] {
  const v = ctx.params.vms;
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => splitList(x)).map(Number);
}

/** BulkAction/Guest.pm check_guest_permissions: each given guest, or the privileges on /. */
function checkGuests(ctx: SimContext, vms: number[], privs: string[]): void {
  if (vms.length) for (const id of vms) ctx.check(`/vms/${id}`, privs);
  else if (!ctx.can("/", privs, true)) throw new PveHttpError(403, `Permission check failed (/, ${privs.join(", ")})`);
}

/** Nodes.pm startall/stopall: VM.PowerMgmt on /, or on each guest named in `vms`. */
function checkNodeAll(ctx: SimContext, privs: string[], label: string): number[] {
  const vms = splitList(ctx.str("vms") ?? "").map(Number);
  if (!ctx.can("/", privs, true)) {
    if (vms.length) for (const id of vms) ctx.check(`/vms/${id}`, [privs[0] as string]);
    else throw new PveHttpError(403, `Permission check failed (/, ${label})`);
  }
  return vms;
}

/** max-workers: the parameter, else PVE's default (bulk actions: 4 / 1 for migrate; node actions: CPU threads - 1, at most 8). */
function maxWorkers(ctx: SimContext, fallback: number): number {
  return ctx.int("max-workers") || ctx.int("maxworkers") || fallback;
}

/** `up` of a guest's `startup` setting (seconds to wait after starting it), when set. */
function startupUp(g: GuestState): number | undefined {
  const m = /(?:^|,)up=(\d+)/.exec(String(g.config.startup ?? ""));
  return m ? Number(m[1]) : undefined;
}

/** What a cluster bulk action does with one guest, decided from its status as the API tells it. */
type Decision = { skip: string } | { path: string; params?: Record<string, string>; line: string };

/**
 * One guest of a cluster bulk action (pve-manager PVE/API2/Cluster/BulkAction/Guest.pm): the worker talks
 * to the API on localhost over HTTP (PVE::APIClient::LWP, as the caller): it reads the guest's status
 * (`GET …/status/current`; a failure leaves it unknown), posts the action, and polls the task's status
 * (`make_get_request` with 3 retries; when none answers: `could not query task status`). Injected faults
 * apply to each of these requests.
 */
function apiStep(
  ctx: SimContext,
  g: GuestState,
  opts: { decide: (status: () => Record<string, unknown> | undefined) => Decision; failed: (error: string) => string; startupDelay?: boolean },
): BulkStep {
  const base = `/nodes/${g.node}/${g.type}/${g.vmid}`;
  const get = (path: string): Record<string, unknown> => ctx.world.call(ctx.auth, "GET", path, {}, { via: "http" }) as Record<string, unknown>;
  return {
    vmid: g.vmid,
    start: (startAt, log) => {
      const d = opts.decide(() => {
        try {
          return get(`${base}/status/current`);
        } catch {
          return undefined; // Guest.pm: eval { make_get_request(…) } — the action is tried anyway
        }
      });
      if ("skip" in d) {
        log.warn(d.skip);
        return null;
      }
      log.info(d.line);
      return { upid: String(ctx.world.call(ctx.auth, "POST", d.path, d.params ?? {}, { startAt, via: "http" })) };
    },
    outcome: (record) => {
      for (let attempt = 0; attempt < 4; attempt++) {
        try {
          return String(get(`/nodes/${record.node}/tasks/${encodeURIComponent(record.upid)}/status`).exitstatus);
        } catch {
          // retried (make_get_request's retry count 3)
        }
      }
      return undefined;
    },
    ended: (exitstatus, failed, log) => {
      if (failed) {
        log.warn(opts.failed(exitstatus ?? "could not query task status"));
        return;
      }
      // Guest.pm start's check_task: the guest's startup delay, before the worker goes on
      const up = opts.startupDelay ? startupUp(g) : undefined;
      if (!up) return;
      log.info(`Waiting for ${up} seconds (startup delay)`);
      return up * 1000;
    },
    refused: (error, log) => log.warn(callError(error)), // Guest.pm: log_warn("$@") of PVE::APIClient's exception
  };
}

/**
 * One guest of a node bulk action (pve-manager PVE/API2/Nodes.pm): the worker runs the guest's API
 * method in-process (`PVE::API2::Qemu->vm_start({…})`), prints what it does to its log and reports a
 * failure there; startall then waits the guest's startup delay (`up`, else 3 s for a VM "to reduce
 * load") before it starts the next one.
 */
function handlerStep(
  ctx: SimContext,
  g: GuestState,
  opts: {
    path: (g: GuestState) => string;
    params?: Record<string, string>;
    skip?: () => { warn?: string; info?: string } | undefined;
    starting: string | string[];
    failed: (error: string) => string;
    startupDelay?: boolean;
  },
): BulkStep {
  return {
    vmid: g.vmid,
    start: (startAt, log) => {
      const why = opts.skip?.();
      if (why) {
        if (why.warn) log.warn(why.warn);
        if (why.info) log.info(why.info);
        return null;
      }
      for (const line of [opts.starting].flat()) log.info(line);
      const upid = String(ctx.world.call(ctx.auth, "POST", opts.path(g), opts.params ?? {}, { startAt, via: "handler" }));
      if (!opts.startupDelay) return { upid };
      const up = startupUp(g);
      if (up) log.info(`Waiting for ${up} seconds (startup delay)`);
      return { upid, waitMs: (up ?? (g.type === "qemu" ? 3 : 0)) * 1000 };
    },
    ended: (exitstatus, failed, log) => {
      if (failed) log.info(opts.failed(exitstatus ?? "unknown"));
    },
    refused: (error, log) => log.info(error instanceof Error ? error.message : String(error)), // Nodes.pm: warn $@
  };
}

const listText = (vms: number[], prefix: string, suffix = ""): string =>
  vms.length ? `${prefix} guests${suffix}: ${vms.join(", ")}` : `${prefix} all guests${suffix}`;

/** pve-manager PVE/API2/Cluster/BulkAction/Guest.pm: bulk start / shutdown / suspend / migrate across the cluster. */
const bulkActions: Endpoint[] = [
  on("GET /cluster/bulk-action", () => [{ name: "guest" }]),
  on("GET /cluster/bulk-action/guest", () => [{ name: "start" }, { name: "shutdown" }, { name: "migrate" }, { name: "suspend" }]),
  on("POST /cluster/bulk-action/guest/start", (ctx) => {
    const vms = vmsArray(ctx);
    checkGuests(ctx, vms, ["VM.PowerMgmt"]);
    const timeout = ctx.str("timeout");
    const groups = guestGroups(ctx, { vms }).map((list) =>
      list.map((g) =>
        apiStep(ctx, g, {
          // a running guest whose status has no qmpstatus (a container) is resumed, as Guest.pm does
          decide: (status) => {
            const s = status();
            const resume = s?.status === "running";
            if (resume && s?.qmpstatus !== undefined && s.qmpstatus !== "paused") return { skip: `Skipping ${noun(g.type)} ${g.vmid}, already running.` };
            return {
              path: statusPath(g, resume ? "resume" : "start"),
              ...(timeout !== undefined && g.type === "qemu" && !resume ? { params: { timeout } } : {}),
              line: `Starting ${noun(g.type)} ${g.vmid}`,
            };
          },
          failed: (e) => `Starting ${noun(g.type)} ${g.vmid} failed: ${e}`,
          startupDelay: true,
        }),
      ),
    );
    return runBulk(ctx.world, {
      node: localNode(ctx),
      type: "bulk-start",
      auth: ctx.auth,
      groups,
      maxWorkers: maxWorkers(ctx, 4),
      startLog: [listText(vms, "Starting")],
      failure: (failed) => (failed.length ? `Some guests failed to start: ${failed.join(", ")}` : undefined),
    });
  }),
  on("POST /cluster/bulk-action/guest/shutdown", (ctx) => {
    const vms = vmsArray(ctx);
    checkGuests(ctx, vms, ["VM.PowerMgmt"]);
    const forceStop = ctx.str("force-stop") === undefined ? true : ctx.bool("force-stop");
    const groups = guestGroups(ctx, { vms, reverse: true }).map((list) =>
      list.map((g) => {
        const timeout = downTimeout(g, ctx.int("timeout"));
        return apiStep(ctx, g, {
          decide: (status) => {
            const s = status();
            if (s && s.status !== "running") return { skip: `Skipping ${noun(g.type)} ${g.vmid}, not running.` };
            if (s?.qmpstatus === "paused" && !forceStop) return { skip: `Skipping ${noun(g.type)} ${g.vmid}, resume paused VM before shutdown.` };
            return {
              path: statusPath(g, "shutdown"),
              params: { forceStop: forceStop ? "1" : "0", timeout: String(timeout) },
              line: `Shutting down ${noun(g.type)} ${g.vmid} (Timeout = ${timeout} seconds)`,
            };
          },
          failed: (e) => `Stopping ${noun(g.type)} ${g.vmid} failed: ${e}`,
        });
      }),
    );
    return runBulk(ctx.world, {
      node: localNode(ctx),
      type: "bulk-shutdown",
      auth: ctx.auth,
      groups,
      maxWorkers: maxWorkers(ctx, 4),
      startLog: [listText(vms, "Shutting down")],
      failure: (failed) => (failed.length ? `Some guests failed to shutdown ${failed.join(", ")}` : undefined),
    });
  }),
  on("POST /cluster/bulk-action/guest/suspend", (ctx) => {
    const vms = vmsArray(ctx);
    checkGuests(ctx, vms, ["VM.PowerMgmt"]);
    const toDisk = ctx.bool("to-disk");
    if (toDisk) {
      checkGuests(ctx, vms, ["VM.Config.Disk"]);
      const statestorage = ctx.str("statestorage");
      if (statestorage) ctx.check(`/storage/${statestorage}`, ["Datastore.AllocateSpace"]);
    }
    const params: Record<string, string> = {
      todisk: toDisk ? "1" : "0",
      ...(toDisk && ctx.str("statestorage") ? { statestorage: ctx.str("statestorage") as string } : {}),
    };
    const groups = guestGroups(ctx, { vms, reverse: true }).map((list) =>
      list.map((g) =>
        apiStep(ctx, g, {
          decide: (status) => {
            if (g.type !== "qemu") return { skip: `skipping ${g.vmid}, only VMs can be suspended` };
            const s = status();
            if (s && s.status !== "running") return { skip: `Skipping VM ${g.vmid}, not running.` };
            return { path: statusPath(g, "suspend"), params, line: `Suspending VM ${g.vmid}` };
          },
          failed: (e) => `Stopping ${noun(g.type)} ${g.vmid} failed: ${e}`,
        }),
      ),
    );
    return runBulk(ctx.world, {
      node: localNode(ctx),
      type: "bulk-suspend",
      auth: ctx.auth,
      groups,
      maxWorkers: maxWorkers(ctx, 4),
      startLog: [listText(vms, "Suspending")],
      failure: (failed) => (failed.length ? `Some guests failed to suspend ${failed.join(", ")}` : undefined),
    });
  }),
  on("POST /cluster/bulk-action/guest/migrate", (ctx) => {
    const vms = vmsArray(ctx);
    checkGuests(ctx, vms, ["VM.Migrate"]);
    const target = ctx.req("target");
    if (!ctx.state.nodes.some((n) => n.name === target)) throw fail(`no such cluster node '${target}'`);
    const online = ctx.str("online");
    const steps = guestGroups(ctx, { vms, templates: true })
      .flat()
      .map((g) =>
        apiStep(ctx, g, {
          decide: () => {
            if (g.node === target) return { skip: `${noun(g.type)} ${g.vmid} already on ${g.node}, skipping.` };
            return {
              path: `/nodes/${g.node}/${g.type}/${g.vmid}/migrate`,
              params: {
                target,
                ...(online !== undefined ? (g.type === "lxc" ? { restart: online } : { online }) : {}),
                ...(g.type === "qemu" && ctx.str("with-local-disks") !== undefined ? { "with-local-disks": ctx.str("with-local-disks") as string } : {}),
              },
              line: `Migrating ${noun(g.type)} ${g.vmid}`,
            };
          },
          failed: (e) => `Migrating ${noun(g.type)} ${g.vmid} failed: ${e}`,
        }),
      );
    return runBulk(ctx.world, {
      node: localNode(ctx),
      type: "bulk-migrate",
      auth: ctx.auth,
      groups: [steps],
      maxWorkers: maxWorkers(ctx, 1),
      startLog: [listText(vms, "Migrating", ` to ${target}`)],
      failure: (failed) => (failed.length ? `Some guests failed to migrate ${failed.join(", ")}` : undefined),
    });
  }),
];

/** pve-manager PVE/API2/Nodes.pm startall / stopall / suspendall / migrateall: one node's guests. */
const nodeActions: Endpoint[] = [
  on("POST /nodes/{node}/startall", (ctx) => {
    const node = ctx.node();
    const vms = checkNodeAll(ctx, ["VM.PowerMgmt"], "VM.PowerMgmt");
    const force = ctx.bool("force");
    const groups = guestGroups(ctx, { node: node.name, vms, onboot: !force }).map((list) =>
      list.map((g) =>
        handlerStep(ctx, g, {
          path: (x) => statusPath(x, "start"),
          skip: () => (g.status === "running" ? {} : undefined),
          starting: `Starting ${noun(g.type)} ${g.vmid}`,
          failed: (e) => `Starting ${noun(g.type)} ${g.vmid} failed: ${e}`,
          startupDelay: true,
        }),
      ),
    );
    return runBulk(ctx.world, {
      node: node.name,
      type: "startall",
      auth: ctx.auth,
      groups,
      maxWorkers: maxWorkers(ctx, Math.min(Math.max(1, node.maxcpu - 1), 8)),
      startLog: [],
    });
  }),
  on("POST /nodes/{node}/stopall", (ctx) => {
    const node = ctx.node();
    const vms = checkNodeAll(ctx, ["VM.PowerMgmt"], "VM.PowerMgmt");
    const forceStop = ctx.str("force-stop") === undefined ? true : ctx.bool("force-stop");
    const groups = guestGroups(ctx, { node: node.name, vms, reverse: true, vmidsDescending: true }).map((list) =>
      list.map((g) => {
        const timeout = downTimeout(g, ctx.int("timeout"));
        return handlerStep(ctx, g, {
          path: (x) => statusPath(x, "shutdown"),
          params: { timeout: String(timeout), forceStop: forceStop ? "1" : "0" },
          skip: () => (g.status !== "running" ? {} : undefined),
          starting: `Stopping ${noun(g.type)} ${g.vmid} (timeout = ${timeout} seconds)`,
          failed: (e) => `Stopping ${noun(g.type)} ${g.vmid} failed: ${e}`,
        });
      }),
    );
    return runBulk(ctx.world, {
      node: node.name,
      type: "stopall",
      auth: ctx.auth,
      groups,
      maxWorkers: maxWorkers(ctx, Math.min(Math.max(1, node.maxcpu - 1), 8)),
      startLog: [],
      // Nodes.pm stopall: syslog('info', "all VMs and CTs stopped")
      failure: () => void ctx.world.events.record(node.name, "pvedaemon", daemonPid(node.name), "", "all VMs and CTs stopped", { local: true }),
    });
  }),
  on("POST /nodes/{node}/suspendall", (ctx) => {
    const node = ctx.node();
    const vms = checkNodeAll(ctx, ["VM.PowerMgmt", "VM.Config.Disk"], "VM.PowerMgmt && VM.Config.Disk");
    const groups = guestGroups(ctx, { node: node.name, vms, reverse: true, vmidsDescending: true }).map((list) =>
      list.map((g) =>
        handlerStep(ctx, g, {
          path: (x) => statusPath(x, "suspend"),
          params: { todisk: "1" },
          skip: () => {
            if (g.type !== "qemu") return { warn: `skipping ${g.vmid}, only VMs can be suspended` };
            if (g.status !== "running") return { info: `VM ${g.vmid} not running, skipping suspension` };
            return undefined;
          },
          starting: `Suspending VM ${g.vmid}`,
          failed: (e) => `Suspending VM ${g.vmid} failed: ${e}`,
        }),
      ),
    );
    return runBulk(ctx.world, {
      node: node.name,
      type: "suspendall",
      auth: ctx.auth,
      groups,
      maxWorkers: maxWorkers(ctx, Math.min(Math.max(1, node.maxcpu - 1), 8)),
      startLog: [],
    });
  }),
  on("POST /nodes/{node}/migrateall", (ctx) => {
    const node = ctx.node();
    const vms = checkNodeAll(ctx, ["VM.Migrate"], "VM.Migrate");
    const target = ctx.req("target");
    if (target === node.name) throw paramError({ target: "target is local node." });
    if (!ctx.state.nodes.some((n) => n.name === target)) throw fail(`no such cluster node '${target}'`);
    const workers = ctx.int("max-workers") || ctx.int("maxworkers");
    if (!workers) throw fail("either 'max-workers' parameter or max_workers in datacenter.cfg must be set!");
    const steps = guestGroups(ctx, { node: node.name, vms, templates: true })
      .flat()
      .map((g) =>
        handlerStep(ctx, g, {
          path: (x) => `/nodes/${x.node}/${x.type}/${x.vmid}/migrate`,
          params: {
            target,
            ...(g.type === "qemu" ? { online: g.status === "running" ? "1" : "0" } : { restart: g.status === "running" ? "1" : "0" }),
            ...(g.type === "qemu" && ctx.str("with-local-disks") !== undefined ? { "with-local-disks": ctx.str("with-local-disks") as string } : {}),
          },
          starting: g.type === "qemu" ? [`Check VM ${g.vmid}: precondition check passed`, `Migrating VM ${g.vmid}`] : `Migrating CT ${g.vmid}`,
          failed: (e) => `Migrating ${noun(g.type)} ${g.vmid} failed: ${e}`,
        }),
      );
    if (steps.length === 0) {
      return runBulk(ctx.world, {
        node: node.name,
        type: "migrateall",
        auth: ctx.auth,
        groups: [],
        maxWorkers: workers,
        startLog: ["no virtual guests matched, nothing to do.."],
      });
    }
    return runBulk(ctx.world, { node: node.name, type: "migrateall", auth: ctx.auth, groups: [steps], maxWorkers: workers, startLog: [] });
  }),
];

export const bulkEndpoints: Endpoint[] = [...bulkActions, ...nodeActions];
