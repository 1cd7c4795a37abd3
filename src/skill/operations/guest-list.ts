import * as z from "zod";
import { listGuestResources, splitTags, toGuestRef } from "./guest-locator";
import { guestType, nodeName } from "./inputs";
import { requireNode } from "./node-list";
import { defineRead } from "./operation";
import { about } from "./catalog";

// In a module of its own (not ./guest-reads): `pvekit guests` is the read an agent runs most, one
// fresh process each time, and needs neither the other guest reads nor their zod input schemas.
export const guestsOp = defineRead({
  kind: "read",
  ...about("guests"),
  input: z.object({
    node: nodeName("Only guests on this node").optional(),
    type: guestType().optional(),
    tag: z.string().describe("Only guests with this tag").optional(),
    pool: z.string().describe("Only guests in this pool").optional(),
    status: z.string().describe("Only guests in this state (running, stopped…)").optional(),
    template: z.boolean().describe("Only templates (--template), or no templates (--no-template)").optional(),
  }),
  negatable: ["template"],
  async run(ctx, input) {
    if (input.node) await requireNode(ctx, input.node);
    const rows = await listGuestResources(ctx);
    const data = rows
      .filter((r) => !input.node || r.node === input.node)
      .filter((r) => !input.type || r.type === input.type)
      .filter((r) => !input.tag || splitTags(r.tags).includes(input.tag))
      .filter((r) => !input.pool || r.pool === input.pool)
      .filter((r) => !input.status || r.status === input.status)
      .filter((r) => input.template === undefined || (r.template === 1 || r.template === true) === input.template)
      .map((r) => {
        const g = toGuestRef(r);
        return {
          vmid: g.vmid,
          name: g.name,
          type: g.type,
          node: g.node,
          status: g.status,
          template: g.template,
          pool: g.pool,
          tags: g.tags.join(";"),
          maxmem: r.maxmem,
          mem: r.mem,
          cpus: r.maxcpu,
          uptime: r.uptime,
          lock: g.lock,
        };
      })
      .sort((a, b) => a.vmid - b.vmid);
    return {
      data,
      columns: [
        "vmid",
        "name",
        "type",
        "node",
        "status",
        "template",
        "pool",
        "tags",
        { key: "maxmem", label: "memory", format: "bytes" },
        "cpus",
        { key: "uptime", format: "duration" },
      ],
    };
  },
});
