import * as z from "zod";
import { SkillUsageError } from "../errors";
import { taskEndStatus } from "../progress/events";
import { nodeName, vmid } from "./inputs";
import { requireNode } from "./node-list";
import { defineRead } from "./operation";
import { waitForTask } from "./task-runner";
import { about } from "./catalog";

type Row = Record<string, unknown>;

export const tasksOp = defineRead({
  kind: "read",
  ...about("tasks"),
  input: z.object({
    node: nodeName("Only tasks of this node").optional(),
    vmid: vmid().optional().describe("Only tasks of this guest"),
    limit: z.coerce.number().int().min(1).max(1000).default(20).describe("How many tasks (default 20)"),
    errors: z.boolean().optional().describe("Only failed tasks"),
  }),
  async run(ctx, input) {
    let rows: Row[];
    if (input.node) {
      await requireNode(ctx, input.node);
      rows = (await ctx.client.request("GET", "/nodes/{node}/tasks", {
        node: input.node,
        limit: input.limit,
        vmid: input.vmid,
        errors: input.errors ? 1 : undefined,
      })) as Row[];
    } else {
      rows = (await ctx.client.request("GET", "/cluster/tasks")) as Row[];
      if (input.vmid !== undefined) rows = rows.filter((r) => String(r.id) === String(input.vmid));
      if (input.errors) rows = rows.filter((r) => r.status !== undefined && r.status !== "OK");
    }
    const data = rows
      .map((r) => ({
        upid: r.upid,
        node: r.node,
        type: r.type,
        id: r.id,
        user: withToken(r),
        status: r.status ?? (r.endtime ? undefined : "running"),
        starttime: r.starttime,
        endtime: r.endtime,
      }))
      .sort((a, b) => Number(b.starttime ?? 0) - Number(a.starttime ?? 0))
      .slice(0, input.limit);
    return { data, columns: [{ key: "starttime", label: "started", format: "time" }, "node", "type", "id", "user", "status", "upid"] };
  },
});

export const taskOp = defineRead({
  kind: "read",
  ...about("task"),
  input: z.object({
    upid: z.string().startsWith("UPID:", "a task id (UPID:…)").describe("The task id (UPID:node:…)"),
    wait: z.boolean().optional().describe("Wait until the task has finished"),
    log: z.boolean().optional().describe("Include the task log"),
  }),
  async run(ctx, input) {
    if (!/^UPID:[^:]+:/.test(input.upid)) throw new SkillUsageError(`"${input.upid}" is not a task id (UPID:node:…).`);
    let endReported = false;
    if (input.wait) {
      try {
        await waitForTask(ctx, input.upid);
      } catch (err) {
        // A failed task is still a task whose status the user asked for; report it below, but keep timeouts and API errors.
        if ((err as Error).name !== "TaskFailedError") throw err;
        endReported = true; // waitForTask reported its end
      }
    }
    const status = (await ctx.client.tasks.status(input.upid)) as Row;
    const data: Row = {
      upid: input.upid,
      node: status.node,
      type: status.type,
      id: status.id,
      user: withToken(status),
      status: status.status,
      exitstatus: status.exitstatus,
      starttime: status.starttime,
    };
    if (input.log) {
      const log = (await ctx.client.tasks.log(input.upid)) as unknown;
      // The runtime answers { lines, total }; PVE's raw form is [{ n, t }].
      const lines = Array.isArray(log) ? log : ((log as { lines?: unknown[] } | null)?.lines ?? []);
      data.log = lines.map((l) => (typeof l === "string" ? l : String((l as Row).t ?? "")));
    }
    const exit = typeof status.exitstatus === "string" ? status.exitstatus : undefined;
    if (input.wait && !endReported && exit !== undefined) ctx.emit?.({ event: "task-end", upid: input.upid, exitstatus: exit, status: taskEndStatus(exit) });
    const failed = status.status === "stopped" && exit !== undefined && exit !== "OK" && !exit.startsWith("WARNINGS");
    return {
      data,
      columns: ["upid", "node", "type", "id", "user", "status", "exitstatus", { key: "starttime", label: "started", format: "time" }],
      failure: failed ? `Task failed: ${exit}` : undefined,
    };
  },
});

/** Who started a task: PVE lists a token's tasks as `user` + `tokenid` (pve-manager PVE/API2/Tasks.pm); pvekit shows `user!tokenid`. */
function withToken(r: Row): unknown {
  return r.tokenid !== undefined && r.user !== undefined ? `${String(r.user)}!${String(r.tokenid)}` : r.user;
}
