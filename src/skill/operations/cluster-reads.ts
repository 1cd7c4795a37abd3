import * as z from "zod";
import { nodeName } from "./inputs";
import { requireNode } from "./node-list";
import { defineRead } from "./operation";
import { about } from "./catalog";
import { percent } from "./percent";

type Row = Record<string, unknown>;

export const statusOp = defineRead({
  kind: "read",
  ...about("status"),
  input: z.object({}),
  async run(ctx) {
    const rows = (await ctx.client.request("GET", "/cluster/status")) as Row[];
    return { data: rows, columns: ["type", "name", "online", "ip", "quorate", "nodes", "version"] };
  },
});

export const nodesOp = defineRead({
  kind: "read",
  ...about("nodes"),
  input: z.object({}),
  async run(ctx) {
    const rows = (await ctx.client.request("GET", "/nodes")) as Row[];
    const data = rows

      .map((n): Row => ({
        ...n,
        cpuPercent: typeof n.cpu === "number" ? Math.round(n.cpu * 1000) / 10 : undefined,
        memPercent: percent(n.mem, n.maxmem),
      }))
      .sort((a, b) => String(a.node).localeCompare(String(b.node)));
    return {
      data,
      columns: [
        "node",
        "status",
        { key: "cpuPercent", label: "cpu", format: "percent" },
        { key: "memPercent", label: "mem", format: "percent" },
        { key: "maxmem", label: "memory", format: "bytes" },
        { key: "uptime", format: "duration" },
      ],
    };
  },
});

export const nodeOp = defineRead({
  kind: "read",
  ...about("node"),
  input: z.object({ node: nodeName() }),
  async run(ctx, input) {
    await requireNode(ctx, input.node);
    const s = (await ctx.client.request("GET", "/nodes/{node}/status", { node: input.node })) as Row;
    const memory = (s.memory ?? {}) as Row;
    const rootfs = (s.rootfs ?? {}) as Row;
    return {
      data: {
        node: input.node,
        pveversion: s.pveversion,
        kversion: s.kversion,
        cpuPercent: typeof s.cpu === "number" ? Math.round(s.cpu * 1000) / 10 : undefined,
        cpus: (s.cpuinfo as Row | undefined)?.cpus,
        loadavg: Array.isArray(s.loadavg) ? s.loadavg.join(" ") : s.loadavg,
        memTotal: memory.total,
        memUsed: memory.used,
        memFree: memory.free,
        memPercent: percent(memory.used, memory.total),
        rootfsPercent: percent(rootfs.used, rootfs.total),
        uptime: s.uptime,
      },
      columns: [
        "node",
        "pveversion",
        "kversion",
        { key: "cpuPercent", label: "cpu", format: "percent" },
        "cpus",
        "loadavg",
        { key: "memTotal", format: "bytes" },
        { key: "memUsed", format: "bytes" },
        { key: "memFree", format: "bytes" },
        { key: "memPercent", label: "mem", format: "percent" },
        { key: "rootfsPercent", label: "rootfs", format: "percent" },
        { key: "uptime", format: "duration" },
      ],
    };
  },
});

export const nextidOp = defineRead({
  kind: "read",
  ...about("nextid"),
  input: z.object({}),
  async run(ctx) {
    const id = await ctx.client.request("GET", "/cluster/nextid");
    return { data: { vmid: Number(id) } };
  },
});

export const poolsOp = defineRead({
  kind: "read",
  ...about("pools"),
  input: z.object({}),
  async run(ctx) {
    const rows = (await ctx.client.request("GET", "/pools")) as Row[];
    return { data: rows, columns: ["poolid", "comment"] };
  },
});
