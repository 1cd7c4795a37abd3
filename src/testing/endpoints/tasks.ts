import { PveHttpError, fail } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import type { TaskRecord } from "../task-table";
import { isUpid } from "../../runtime/upid";
import { type Endpoint, on } from "./endpoint";
import { ownsTask, rawTaskIdentity, taskIdentity, taskListEntry, taskUser } from "./task-view";

/** pve-manager PVE/API2/Tasks.pm: the task's owner, or Sys.Audit on its node. */
function mayView(ctx: SimContext, t: TaskRecord): boolean {
  return ownsTask(t, ctx.auth.authid) || ctx.can(`/nodes/${t.node}`, ["Sys.Audit"]);
}

/** The task `{upid}` of `{node}`; unparsable or unknown ids fail like PVE. */
function task(ctx: SimContext): TaskRecord {
  const node = ctx.node();
  const upid = ctx.req("upid");
  if (!isUpid(upid)) throw new PveHttpError(400, "Parameter verification failed.", { upid: "unable to parse worker upid" });
  const t = ctx.world.tasks.get(upid);
  if (!t || t.node !== node.name) throw fail(`no such task`);
  if (!mayView(ctx, t)) ctx.check(`/nodes/${t.node}`, ["Sys.Audit"]);
  return t;
}

function outcome(t: TaskRecord): string {
  if (t.status === "running") return "running";
  if (t.exitstatus === "OK") return "ok";
  if (t.exitstatus?.startsWith("WARNINGS")) return "warning";
  return "error";
}

export const taskEndpoints: Endpoint[] = [
  on("GET /nodes/{node}/tasks", (ctx) => {
    const node = ctx.node();
    const source = ctx.str("source") ?? "archive";
    const vmid = ctx.str("vmid");
    const typefilter = ctx.str("typefilter");
    const userfilter = ctx.str("userfilter");
    const statuses = (ctx.str("statusfilter") ?? "").split(/[,; ]+/).filter(Boolean);
    const since = ctx.int("since");
    const until = ctx.int("until");
    // Tasks.pm node_tasks splits `user`/`tokenid` for the archive's (finished) tasks only: running ones come
    // from the active-task file as they are, and only their exact owner (or an auditor) sees them
    const visible = (t: TaskRecord) => (t.status === "running" ? t.user === ctx.auth.authid || ctx.can(`/nodes/${t.node}`, ["Sys.Audit"]) : mayView(ctx, t));
    const entry = (t: TaskRecord) => (t.status === "running" ? rawTaskIdentity(t) : taskListEntry(t));
    const all = ctx.world.tasks.list().filter(
      (t) =>
        t.node === node.name &&
        visible(t) &&
        (source === "all" || (source === "active") === (t.status === "running")) &&
        (vmid === undefined || t.id === vmid) &&
        (!typefilter || t.type === typefilter) &&
        (!userfilter || (t.status === "running" ? t.user : taskUser(t).user).toLowerCase().includes(userfilter.toLowerCase())) &&
        (!ctx.bool("errors") || outcome(t) === "error") &&
        (statuses.length === 0 || statuses.includes(outcome(t))) &&
        (since === undefined || t.starttime >= since) &&
        (until === undefined || t.starttime <= until),
    );
    const start = ctx.int("start") ?? 0;
    const limit = ctx.int("limit") ?? 50;
    ctx.total = all.length;
    return all.slice(start, start + limit).map(entry);
  }),
  on("GET /nodes/{node}/tasks/{upid}", (ctx) => {
    task(ctx);
    return [{ name: "log" }, { name: "status" }];
  }),
  on("GET /nodes/{node}/tasks/{upid}/status", (ctx) => {
    const t = task(ctx);
    return {
      ...taskIdentity(t),
      status: t.status,
      ...(t.status === "stopped" ? { exitstatus: t.exitstatus } : {}),
    };
  }),
  on("GET /nodes/{node}/tasks/{upid}/log", (ctx) => {
    const t = task(ctx);
    const start = ctx.int("start") ?? 0;
    const limit = ctx.int("limit") ?? 50;
    ctx.total = t.log.length;
    return t.log.slice(start, start + limit).map((line, i) => ({ n: start + i + 1, t: line }));
  }),
  on("DELETE /nodes/{node}/tasks/{upid}", (ctx) => {
    const t = task(ctx);
    if (!ownsTask(t, ctx.auth.authid)) ctx.check(`/nodes/${t.node}`, ["Sys.Modify"]);
    ctx.world.tasks.stop(t.upid);
    return null;
  }),
];
