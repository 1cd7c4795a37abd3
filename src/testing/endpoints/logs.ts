import type { SimContext } from "../sim-context";
import type { TaskRecord } from "../task-table";
import { type Endpoint, on } from "./endpoint";

/*
 * MINIMAL node journal and cluster log, added by #14 so its `logs` and `cluster-log` commands can be tested
 * before #13's fuller event log lands; #13's src/testing/endpoints/logs.ts replaces this file.
 * Lines come from the task table, as pvedaemon logs them ("starting task UPID…", "end task UPID… OK").
 */

interface LogLine {
  time: number;
  node: string;
  user: string;
  msg: string;
}

function taskLines(ctx: SimContext): LogLine[] {
  const out: LogLine[] = [];
  const add = (t: TaskRecord) => {
    out.push({ time: t.starttime, node: t.node, user: t.user, msg: `starting task ${t.upid}` });
    if (t.status === "stopped") out.push({ time: t.endtime ?? t.starttime, node: t.node, user: t.user, msg: `end task ${t.upid} ${t.exitstatus ?? ""}`.trim() });
  };
  for (const t of ctx.world.tasks.list().reverse()) add(t);
  return out.sort((a, b) => a.time - b.time);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** journalctl's `short` form: `Dec 05 10:00:48 pve1 pvedaemon[1234]: <root@pam> starting task …`. */
function shortLine(l: LogLine): string {
  const d = new Date(l.time * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${l.node} pvedaemon[1234]: <${l.user}> ${l.msg}`;
}

function nodeLines(ctx: SimContext, since?: number, until?: number): string[] {
  const node = ctx.node();
  ctx.check(`/nodes/${node.name}`, ["Sys.Syslog"]);
  return taskLines(ctx)
    .filter((l) => l.node === node.name && (since === undefined || l.time >= since) && (until === undefined || l.time <= until))
    .map(shortLine);
}

export const logEndpoints: Endpoint[] = [
  // pve-manager PVE/API2/Nodes.pm syslog → PVE::Tools::dump_journal: {n, t} rows, `total`, "no content" when empty
  on("GET /nodes/{node}/syslog", (ctx) => {
    const lines = nodeLines(ctx);
    const start = ctx.int("start") ?? 0;
    const limit = ctx.int("limit") || 50;
    if (lines.length === 0) {
      ctx.total = 1;
      return [{ n: 1, t: "no content" }];
    }
    ctx.total = lines.length;
    return lines.slice(start, start + limit).map((t, i) => ({ n: start + i + 1, t }));
  }),
  // PVE/API2/Nodes.pm journal (mini-journalreader): the lines between a start and an end cursor
  on("GET /nodes/{node}/journal", (ctx) => {
    let lines = nodeLines(ctx, ctx.int("since"), ctx.int("until"));
    const last = ctx.int("lastentries");
    if (last) lines = lines.slice(-last);
    return ["s=simjournal;i=0", ...lines, `s=simjournal;i=${lines.length}`];
  }),
  // PVE/API2/Cluster.pm log: newest first, `id` = "<uid>:<node>"; without Sys.Syslog on / only the caller's entries
  on("GET /cluster/log", (ctx) => {
    const admin = ctx.can("/", ["Sys.Syslog"]);
    const max = ctx.int("max") || 50;
    return taskLines(ctx)
      .filter((l) => admin || l.user === ctx.auth.userid || l.user === ctx.auth.authid)
      .reverse()
      .slice(0, max)
      .map((l, i) => ({ uid: i + 1, time: l.time, pri: 6, tag: "pvedaemon", pid: 1234, node: l.node, user: l.user, msg: l.msg, id: `${i + 1}:${l.node}` }));
  }),
];
