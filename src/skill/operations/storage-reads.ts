import * as z from "zod";
import { percent } from "./percent";
import { nodeName, storageId, vmid } from "./inputs";
import { NotFoundError } from "../errors";
import { requireNode, targetNodes } from "./node-list";
import { defineRead, type OperationContext } from "./operation";
import { about } from "./catalog";

type Row = Record<string, unknown>;

export const storageOp = defineRead({
  kind: "read",
  ...about("storage"),
  input: z.object({ node: nodeName("Only this node").optional() }),
  async run(ctx, input) {
    const data: Row[] = [];
    for (const node of await targetNodes(ctx, input.node)) {
      const rows = (await ctx.client.request("GET", "/nodes/{node}/storage", { node })) as Row[];
      for (const s of rows) {
        data.push({
          node,
          storage: s.storage,
          type: s.type,
          content: s.content,
          active: s.active,
          shared: s.shared,
          used: s.used,
          total: s.total,
          avail: s.avail,
          usedPercent: percent(s.used, s.total),
        });
      }
    }
    return {
      data,
      columns: [
        "node",
        "storage",
        "type",
        "content",
        "active",
        { key: "usedPercent", label: "used", format: "percent" },
        { key: "avail", label: "free", format: "bytes" },
        { key: "total", format: "bytes" },
      ],
    };
  },
});

export const contentOp = defineRead({
  kind: "read",
  ...about("content"),
  input: z.object({
    storage: storageId(),
    node: nodeName("Node (default: the first online node that has the storage)").optional(),
    content: z.string().describe("Only this content type: images, rootdir, iso, vztmpl, backup, snippets").optional(),
    vmid: vmid().optional().describe("Only volumes of this guest"),
  }),
  async run(ctx, input) {
    const node = input.node ? await requireNode(ctx, input.node) : await nodeWithStorage(ctx, input.storage);
    const rows = (await ctx.client.request("GET", "/nodes/{node}/storage/{storage}/content", {
      node,
      storage: input.storage,
      content: input.content,
      vmid: input.vmid,
    })) as Row[];
    const data = rows.map((r) => ({
      node,
      volid: r.volid,
      content: r.content,
      format: r.format,
      size: r.size,
      vmid: r.vmid,
      ctime: r.ctime,
      notes: r.notes,
    }));
    return {
      data,
      columns: ["volid", "content", "format", { key: "size", format: "bytes" }, "vmid", { key: "ctime", label: "created", format: "time" }],
    };
  },
});

async function nodeWithStorage(ctx: OperationContext, storage: string): Promise<string> {
  for (const node of await targetNodes(ctx, undefined)) {
    const rows = (await ctx.client.request("GET", "/nodes/{node}/storage", { node })) as Row[];
    if (rows.some((s) => s.storage === storage)) return node;
  }
  throw new NotFoundError("storage", `There is no storage "${storage}" on any online node (see: pvekit storage).`);
}

export const backupsOp = defineRead({
  kind: "read",
  ...about("backups"),
  input: z.object({
    storage: storageId("Only this storage").optional(),
    node: nodeName("Only this node").optional(),
    vmid: vmid().optional().describe("Only backups of this guest"),
  }),
  async run(ctx, input) {
    const data = await listBackups(ctx, input);
    return {
      data,
      columns: ["volid", "vmid", { key: "size", format: "bytes" }, { key: "ctime", label: "created", format: "time" }, "node", "notes"],
    };
  },
});

/** Backup volumes; shared storages are listed once. */
export async function listBackups(ctx: OperationContext, filter: { storage?: string; node?: string; vmid?: number }): Promise<Row[]> {
  const seen = new Set<string>();
  const out: Row[] = [];
  for (const node of await targetNodes(ctx, filter.node)) {
    const storages = (await ctx.client.request("GET", "/nodes/{node}/storage", { node, content: "backup" })) as Row[];
    for (const s of storages) {
      if (filter.storage && s.storage !== filter.storage) continue;
      if (
        !String(s.content ?? "backup")
          .split(",")
          .includes("backup")
      )
        continue;
      if (s.active === 0) continue;
      const rows = (await ctx.client.request("GET", "/nodes/{node}/storage/{storage}/content", {
        node,
        storage: s.storage,
        content: "backup",
        vmid: filter.vmid,
      })) as Row[];
      for (const r of rows) {
        const key = s.shared ? String(r.volid) : `${node}:${String(r.volid)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          volid: r.volid,
          vmid: r.vmid,
          size: r.size,
          ctime: r.ctime,
          format: r.format,
          node,
          storage: s.storage,
          notes: r.notes,
        });
      }
    }
  }
  return out.sort((a, b) => Number(a.ctime ?? 0) - Number(b.ctime ?? 0));
}
