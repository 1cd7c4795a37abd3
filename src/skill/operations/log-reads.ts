import * as z from "zod";
import { SkillUsageError } from "../errors";
import { nodeName } from "./inputs";
import { requireNode } from "./node-list";
import { defineRead, type OperationContext } from "./operation";
import { parseSince } from "./since";
import { about } from "./catalog";

type Row = Record<string, unknown>;

const lines = (what: string) => z.coerce.number().int().min(1).max(5000).default(50).describe(what);
const since = () => z.string().describe("Only entries since: 30m, 2h, 1d, a date (2026-01-02), a date and time (UTC) or epoch seconds").optional();

/** journald cursors frame mini-journalreader's output (PVE/API2/Nodes.pm journal): `s=…;i=…;b=…`. */
const CURSOR = /^s=[^;\s]+;i=[0-9a-f]+/;

/** The node pvekit talks to: the one /cluster/status marks `local` (over HTTPS: the node answering; in local mode: this node). */
async function defaultNode(ctx: OperationContext): Promise<string> {
  try {
    const status = (await ctx.client.request("GET", "/cluster/status")) as Row[];
    const local = status.find((r) => r.type === "node" && (r.local === 1 || r.local === true));
    if (local?.name) return String(local.name);
  } catch {
    // without Sys.Audit on / there is no cluster status; fall back to the node list
  }
  const nodes = (await ctx.client.request("GET", "/nodes")) as Row[];
  if (nodes.length === 1) return String(nodes[0]?.node);
  throw new SkillUsageError(`Which node? The cluster has several (${nodes.map((n) => String(n.node)).sort().join(", ")}); pass --node.`);
}

export const logsOp = defineRead({
  kind: "read",
  ...about("logs"),
  input: z.object({
    node: nodeName("The node (default: the one pvekit talks to)").optional(),
    since: since(),
    lines: lines("How many lines, the last ones (default 50)"),
  }),
  async run(ctx, input) {
    const node = input.node ? await requireNode(ctx, input.node) : await defaultNode(ctx);
    // PVE's journal call takes either a time range or a count ("lastentries: conflicts with a range")
    const params: Record<string, unknown> = { node };
    if (input.since !== undefined) params.since = parseSince(input.since, ctx.now());
    else params.lastentries = input.lines;
    const raw = (await ctx.client.request("GET", "/nodes/{node}/journal", params)) as unknown[];
    const text = (Array.isArray(raw) ? raw : []).map(String).filter((l, i, all) => !((i === 0 || i === all.length - 1) && CURSOR.test(l)));
    const tail = text.slice(-input.lines);
    return {
      data: tail.map((line) => ({ node, line })),
      text: tail.length ? tail.join("\n") : `(no log lines on ${node}${input.since ? ` since ${input.since}` : ""})`,
    };
  },
});

export const clusterLogOp = defineRead({
  kind: "read",
  ...about("cluster-log"),
  input: z.object({
    node: nodeName("Only entries of this node").optional(),
    since: since(),
    lines: lines("How many entries (default 50)"),
  }),
  async run(ctx, input) {
    if (input.node) await requireNode(ctx, input.node);
    const from = input.since !== undefined ? parseSince(input.since, ctx.now()) : undefined;
    // filters apply after PVE's `max`, so ask for more when filtering
    const max = input.node || from !== undefined ? Math.max(input.lines, 5000) : input.lines;
    const rows = (await ctx.client.request("GET", "/cluster/log", { max })) as Row[];
    const data = rows
      .filter((r) => !input.node || r.node === input.node)
      .filter((r) => from === undefined || Number(r.time) >= from)
      .slice(0, input.lines)
      .map((r) => ({ time: r.time, node: r.node, user: r.user, tag: r.tag, pri: r.pri, pid: r.pid, msg: r.msg }));
    return { data, columns: [{ key: "time", format: "time" }, "node", "user", "tag", "msg"] };
  },
});
