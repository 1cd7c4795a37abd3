import { z } from "zod";
import { SkillUsageError } from "../errors";
import { redactParams } from "../policy/redact";
import { guestNoun, guestPath } from "./guest-locator";
import { planForGuest } from "./guest-plan";
import { passThrough, vmid } from "./inputs";
import { defineMutation } from "./operation";
import { routes } from "../../generated/routes";
import { coerceParams } from "../route-lookup";

type Row = Record<string, unknown>;

/** Options that other operations own (disk size, snapshots…), refused here. */
const NOT_HERE: Record<string, string> = {
  vmid: "the first argument",
  node: "nothing: the node is discovered",
  digest: "nothing: the digest is read first",
};

export const setOp = defineMutation({
  kind: "mutation",
  name: "set",
  title: "Change configuration",
  description:
    "Change configuration options of a VM or container (key=value, --delete key). Uses the config digest, so a concurrent edit makes it fail instead of being overwritten.",
  tier: "destructive",
  input: z.object({
    vmid: vmid(),
    params: passThrough("Options to set as key=value (memory=4096 cores=2 …)").default({}),
    delete: z
      .preprocess((v) => (typeof v === "string" ? v.split(/[,\s]+/).filter(Boolean) : v), z.array(z.string()))
      .optional()
      .describe("Options to remove"),
  }),
  args: ["vmid", "params..."],
  async plan(ctx, input) {
    const params = input.params as Record<string, unknown>;
    for (const key of Object.keys(params)) if (NOT_HERE[key]) throw new SkillUsageError(`Do not pass ${key}; give ${NOT_HERE[key]}.`);
    const del = input.delete ?? [];
    if (Object.keys(params).length === 0 && del.length === 0)
      throw new SkillUsageError("Nothing to change: pass key=value pairs and/or --delete.");
    const plan = await planForGuest(ctx, input.vmid, "destructive", (g, state) => ({
      summary: `Change the configuration of ${guestNoun(g)} ${g.vmid}${g.name ? ` (${g.name})` : ""} on ${g.node}, currently ${state}`,
    }));
    const config = (await ctx.client.request("GET", ...guestPath(plan.guest, "/config"))) as Row;
    const shown = redactParams({ ...config, ...params });
    const changes = [
      ...Object.keys(params).map((k) => `${k}: ${String(redactParams(config)[k] ?? "(unset)")} → ${String(shown[k])}`),
      ...del.map((k) => `${k}: ${String(redactParams(config)[k] ?? "(unset)")} → (deleted)`),
    ];
    plan.steps.push(
      ...changes.map((c) => `set ${c}`),
      `PUT ${guestPath(plan.guest, "/config")[0]} with digest ${String(config.digest ?? "")}`,
    );
    if (plan.before === "running")
      plan.warnings.push("Some options only take effect after the guest is restarted (PVE marks them as pending).");
    return { ...plan, digest: config.digest as string | undefined, configBefore: config, preview: changes };
  },
  async execute(ctx, input, plan) {
    const g = plan.guest;
    const [path, pp] = guestPath(g, "/config");
    const meta = routes[`PUT /nodes/{node}/${g.type}/{vmid}/config` as keyof typeof routes];
    await ctx.client.request("PUT", path, {
      ...coerceParams(meta, input.params as Record<string, unknown>),
      ...pp,
      delete: input.delete?.length ? input.delete.join(",") : undefined,
      digest: plan.digest,
    });
    const after = redactParams((await ctx.client.request("GET", ...guestPath(g, "/config"))) as Row);
    const before = redactParams(plan.configBefore);
    const keys = [...Object.keys(input.params as Record<string, unknown>), ...(input.delete ?? [])];
    return {
      status: "done",
      summary: `Configuration of ${guestNoun(g)} ${g.vmid} updated.`,
      changes: keys.map((k) => `${k}: ${String(before[k] ?? "(unset)")} → ${String(after[k] ?? "(unset)")}`),
    };
  },
});
