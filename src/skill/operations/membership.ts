import * as z from "zod";
import { SkillUsageError } from "../errors";
import { splitListValue } from "../policy/allow-list";
import { guestNoun, guestPath, locateGuest } from "./guest-locator";
import { planForGuest } from "./guest-plan";
import { vmid } from "./inputs";
import { defineMutation } from "./operation";
import { about } from "./catalog";

type Row = Record<string, unknown>;

const tagList = (what: string) =>
  z
    .preprocess(
      (v) => (typeof v === "string" ? (splitListValue(v) ?? []) : v),
      z.array(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_+.-]*$/, "a tag")),
    )
    .describe(what);

export const tagOp = defineMutation({
  kind: "mutation",
  ...about("tag"),
  input: z.object({
    vmid: vmid(),
    add: tagList("Tags to add").optional(),
    remove: tagList("Tags to remove").optional(),
  }),
  async plan(ctx, input) {
    const add = input.add ?? [];
    const remove = input.remove ?? [];
    if (add.length === 0 && remove.length === 0) throw new SkillUsageError("Nothing to change: pass --add and/or --remove.");
    const plan = await planForGuest(ctx, input.vmid, "reversible", (g) => ({
      summary: `Tags of ${guestNoun(g)} ${g.vmid}${g.name ? ` (${g.name})` : ""}:${add.length ? ` add ${add.join(",")}` : ""}${remove.length ? ` remove ${remove.join(",")}` : ""}`,
    }));
    const config = (await ctx.client.request("GET", ...guestPath(plan.guest, "/config"))) as Row;
    const before = splitListValue(String(config.tags ?? "").replace(/;/g, ",")) ?? [];
    const after = [...new Set([...before.filter((t) => !remove.includes(t)), ...add])].sort();
    if (after.join(";") === [...before].sort().join(";"))
      plan.noop = `the tags of ${plan.guest.vmid} are already ${before.join(";") || "empty"}`;
    plan.steps.push(
      `PUT ${guestPath(plan.guest, "/config")[0]} tags=${after.join(";")} digest=${String(config.digest ?? "")}`,
      "re-read the tags",
    );
    return { ...plan, tagsBefore: before, tagsAfter: after, digest: config.digest as string | undefined };
  },
  async execute(ctx, _input, plan) {
    const g = plan.guest;
    const [path, pp] = guestPath(g, "/config");
    const params: Record<string, unknown> = { ...pp, digest: plan.digest };
    if (plan.tagsAfter.length) params.tags = plan.tagsAfter.join(";");
    else params.delete = "tags";
    await ctx.client.request("PUT", path, params);
    const config = (await ctx.client.request("GET", ...guestPath(g, "/config"))) as Row;
    const now = String(config.tags ?? "");
    return {
      status: "done",
      summary: `Tags of ${guestNoun(g)} ${g.vmid} are now ${now || "(none)"}.`,
      changes: [`tags: ${plan.tagsBefore.join(";") || "(none)"} → ${now || "(none)"}`],
    };
  },
});

export const poolOp = defineMutation({
  kind: "mutation",
  ...about("pool"),
  input: z.object({
    vmid: vmid(),
    pool: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, "a pool id")
      .describe("The pool to put the guest in")
      .optional(),
    remove: z.boolean().optional().describe("Take the guest out of its current pool"),
  }),
  async plan(ctx, input) {
    if (!input.pool === !input.remove) throw new SkillUsageError("Pass either a pool or --remove.");
    const plan = await planForGuest(ctx, input.vmid, "reversible", (g) => {
      const from = g.pool ? `pool ${g.pool}` : "no pool";
      if (input.remove) {
        return g.pool
          ? { summary: `Take ${guestNoun(g)} ${g.vmid} out of pool ${g.pool}` }
          : { summary: `${g.vmid} is in no pool`, noop: `${guestNoun(g)} ${g.vmid} is in no pool` };
      }
      return g.pool === input.pool
        ? { summary: `${g.vmid} is already in pool ${g.pool}`, noop: `${guestNoun(g)} ${g.vmid} is already in pool ${g.pool}` }
        : { summary: `Move ${guestNoun(g)} ${g.vmid} from ${from} to pool ${String(input.pool)}` };
    });
    const g = plan.guest;
    if (input.pool) {
      plan.allowTargets.push({ vmid: g.vmid, node: g.node, pool: input.pool, tags: g.tags });
      plan.steps.push(`PUT /pools/${input.pool} vms=${g.vmid} allow-move=1`);
    } else plan.steps.push(`PUT /pools/${String(g.pool)} vms=${g.vmid} delete=1`);
    plan.steps.push("re-check the guest's pool");
    return plan;
  },
  async execute(ctx, input, plan) {
    const g = plan.guest;
    if (input.pool) {
      await ctx.client.request("PUT", "/pools/{poolid}", { poolid: input.pool, vms: String(g.vmid), "allow-move": g.pool ? 1 : undefined });
    } else {
      await ctx.client.request("PUT", "/pools/{poolid}", { poolid: g.pool, vms: String(g.vmid), delete: 1 });
    }
    const after = await locateGuest(ctx, g.vmid);
    return {
      status: "done",
      summary: after.pool ? `${guestNoun(g)} ${g.vmid} is now in pool ${after.pool}.` : `${guestNoun(g)} ${g.vmid} is now in no pool.`,
      changes: [`pool: ${g.pool ?? "(none)"} → ${after.pool ?? "(none)"}`],
    };
  },
});
