import type { GuestRef, OperationContext } from "../operations/operation";
import { parseUpid } from "../../runtime/upid";
import { runTask } from "../operations/task-runner";
import type { BatchSpec } from "./set-actions";
import type { GuestResult } from "./set-outcome";

type Params = Record<string, unknown>;
type Row = Record<string, unknown>;

/** One of PVE's per-node bulk endpoints and the task it starts for each guest. */
interface NodeBulk {
  path: string;
  params(params: Params): Params;
  /** the task type PVE starts per guest (what the node's task list shows) */
  child: Record<"qemu" | "lxc", string>;
  /** the state a guest is in when its task succeeded */
  after(g: GuestRef, params: Params): string;
}

/**
 * pve-manager PVE/API2/Nodes.pm, per node: `startall` (force=1: also guests without onboot; runs
 * guests in startup order, max-workers at once), `stopall` (a graceful shutdown per guest; force-stop=0
 * so a guest that does not shut down in time is not hard-stopped — our `shutdown` never pulls the plug),
 * `migrateall` (running VMs online, running containers restart-migrated). Not used: `suspendall`, which
 * suspends to disk (hibernates), unlike `suspend`.
 */
const NODE_BULK: Readonly<Record<string, NodeBulk>> = {
  start: { path: "/nodes/{node}/startall", params: () => ({ force: 1 }), child: { qemu: "qmstart", lxc: "vzstart" }, after: () => "status: stopped → running" },
  shutdown: {
    path: "/nodes/{node}/stopall",
    params: () => ({ "force-stop": 0 }),
    child: { qemu: "qmshutdown", lxc: "vzshutdown" },
    after: () => "status: running → stopped",
  },
  migrate: {
    path: "/nodes/{node}/migrateall",
    params: (p) => ({ target: p.target, "with-local-disks": p.withLocalDisks ? 1 : undefined }),
    child: { qemu: "qmigrate", lxc: "vzmigrate" },
    after: (g, p) => `node: ${g.node} → ${String(p.target)}`,
  },
};

const TAIL = 10;

/** The guest a line of a bulk task's log is about ("Stopping VM 100 (timeout = 180 seconds)", "Starting CT 200"). */
const GUEST_IN_LINE = /\b(?:VM|CT) (\d+)\b/;

/** True when PVE has a per-node bulk endpoint that does exactly what set operation `name` does. */
export function hasNodeBulk(name: string): boolean {
  return Object.hasOwn(NODE_BULK, name);
}

/**
 * `--bulk`: one request per node to PVE's bulk endpoint listing that node's guests (`vms`), PVE
 * running at most `max-workers` (= --per-node) of them at once. Each guest's outcome is the task PVE
 * started for it, read back from ONE `/nodes/{node}/tasks` listing after the bulk task; a failed
 * guest's log tail is read from its own task.
 */
export function nodeBulk(name: string, perNode: number): BatchSpec {
  const spec = NODE_BULK[name]!;
  return {
    describe: `one ${spec.path.replace("/nodes/{node}/", "")} per node listing its guests (PVE runs at most ${perNode} per node at once); each guest's outcome read from its own task`,
    key: (g) => g.node,
    // a migration also loads its target: one bulk job at a time per node, target included
    nodes: (guests, params) => (name === "migrate" ? [guests[0]!.node, String(params.target)] : [guests[0]!.node]),
    async run({ ctx, emitFor }, guests, params) {
      const node = guests[0]!.node;
      const byId = new Map(guests.map((g) => [g.vmid, g]));
      const base = (g: GuestRef) => ({ vmid: g.vmid, node: g.node, type: g.type, ...(g.name ? { name: g.name } : {}) });
      const upid = String(
        await ctx.client.request("POST", spec.path, { node, vms: guests.map((g) => g.vmid).join(","), "max-workers": perNode, ...spec.params(params) }),
      );
      const notes = new Map<number, string>();
      let current: GuestRef | undefined;
      const sub: OperationContext = {
        ...ctx,
        emit: (e) => {
          if (e.event === "task-log") {
            // PVE's bulk workers log a line naming the guest, then what happened to it
            const m = GUEST_IN_LINE.exec(e.line);
            current = m ? (byId.get(Number(m[1])) ?? current) : current;
            if (current && !/^TASK (OK|ERROR|WARNINGS)/.test(e.line)) notes.set(current.vmid, e.line);
          }
          emitFor(e.event === "task-log" ? current : undefined)(e);
        },
      };
      let bulkError: string | undefined;
      try {
        const outcome = await runTask(sub, upid);
        if (!outcome.waited) return guests.map((g) => ({ ...base(g), outcome: "started", upid }));
      } catch (err) {
        bulkError = `${(err as Error).name}: ${(err as Error).message}`;
      }
      const since = parseUpid(upid).starttime;
      const rows = (await ctx.client.request("GET", "/nodes/{node}/tasks", { node, since, source: "all", limit: Math.max(50, guests.length * 4) })) as Row[];
      const childOf = new Map<number, Row>();
      // newest first: the first matching row is the guest's task of this bulk run
      for (const r of rows) {
        const g = byId.get(Number(r.id));
        if (g && r.type === spec.child[g.type] && !childOf.has(g.vmid)) childOf.set(g.vmid, r);
      }
      const results: GuestResult[] = [];
      for (const g of guests) {
        const child = childOf.get(g.vmid);
        if (!child) {
          const note = notes.get(g.vmid);
          results.push(
            bulkError
              ? { ...base(g), outcome: "failed", upid, error: note ?? bulkError }
              : { ...base(g), outcome: "skipped", upid, reason: note ?? "PVE's bulk task started no task for it" },
          );
          continue;
        }
        const exitstatus = child.status === undefined ? undefined : String(child.status);
        const childUpid = String(child.upid);
        if (exitstatus === "OK" || exitstatus?.startsWith("WARNINGS")) {
          results.push({ ...base(g), outcome: "ok", upid: childUpid, exitstatus, changes: [spec.after(g, params)] });
        } else if (exitstatus === undefined) {
          results.push({ ...base(g), outcome: "started", upid: childUpid });
        } else {
          const log = (await ctx.client.tasks.log(childUpid, { start: 0, limit: 500 }).catch(() => ({ lines: [] }))) as { lines?: string[] };
          results.push({ ...base(g), outcome: "failed", upid: childUpid, exitstatus, error: exitstatus, logTail: (log.lines ?? []).slice(-TAIL) });
        }
      }
      return results;
    },
  };
}
