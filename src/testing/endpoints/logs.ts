import type { SimContext } from "../sim-context";
import { type Endpoint, on } from "./endpoint";

/** `YYYY-MM-DD[ HH:MM[:SS]]` (journalctl --since/--until, local time = UTC here) → seconds. */
function dateSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)) / 1000;
}

/** The journal lines of the request's node that pass `service`, `since` and `until`. */
function journalLines(ctx: SimContext, since?: number, until?: number): string[] {
  const node = ctx.node();
  ctx.check(`/nodes/${node.name}`, ["Sys.Syslog"]);
  const service = ctx.str("service");
  return ctx.world.events
    .journal(node.name)
    .filter((l) => (since === undefined || l.time >= since) && (until === undefined || l.time <= until) && (!service || l.text.includes(` ${service}[`)))
    .map((l) => l.text);
}

export const logEndpoints: Endpoint[] = [
  // pve-manager PVE/API2/Nodes.pm syslog → PVE::Tools::dump_journal: {n, t} rows, `total`, "no content" when empty
  on("GET /nodes/{node}/syslog", (ctx) => {
    const lines = journalLines(ctx, dateSeconds(ctx.str("since")), dateSeconds(ctx.str("until")));
    const start = ctx.int("start") ?? 0;
    const limit = ctx.int("limit") || 50;
    if (lines.length === 0) {
      ctx.total = 1;
      return [{ n: 1, t: "no content" }];
    }
    ctx.total = lines.length;
    return lines.slice(start, start + limit).map((t, i) => ({ n: start + i + 1, t }));
  }),
  // PVE/API2/Nodes.pm journal (mini-journalreader -j): lines between a start and an end cursor, the
  // flat form proxmox-widget-toolkit's JournalView.js still reads (first and last entries are cursors)
  on("GET /nodes/{node}/journal", (ctx) => {
    let lines = journalLines(ctx, ctx.int("since"), ctx.int("until"));
    const last = ctx.int("lastentries");
    if (last) lines = lines.slice(-last);
    const total = ctx.world.events.journal(ctx.req("node")).length;
    return [`s=simjournal;i=${Math.max(0, total - lines.length)}`, ...lines, `s=simjournal;i=${total}`];
  }),
  // PVE/API2/Cluster.pm log: newest first, `id` = "<uid>:<node>"; without Sys.Syslog on / only the caller's entries
  on("GET /cluster/log", (ctx) => {
    const admin = ctx.can("/", ["Sys.Syslog"]);
    const max = ctx.int("max") || 50;
    return ctx.world.events
      .clusterLog(admin ? max : Number.MAX_SAFE_INTEGER)
      .filter((e) => admin || e.user === ctx.auth.userid || e.user === ctx.auth.authid)
      .slice(0, max)
      .map((e) => ({ ...e, id: `${e.uid}:${e.node}` }));
  }),
];
