import * as z from "zod";
import { SkillUsageError } from "../errors";
import { redactParams } from "../policy/redact";
import { guestNoun, guestPath } from "./guest-locator";
import { planForGuest } from "./guest-plan";
import { passThrough, vmid } from "./inputs";
import { defineMutation } from "./operation";
import { routes } from "../../generated/routes";
import { coerceParams, paramSchema } from "../route-lookup";
import { applyAssessment, assessRequest, routeMeta, validateRequest } from "./request-policy";
import { about } from "./catalog";

type Row = Record<string, unknown>;

/** Options that other operations own (disk size, snapshots…), refused here. */
const NOT_HERE: Record<string, string> = {
  vmid: "the first argument",
  node: "nothing: the node is discovered",
  digest: "nothing: the digest is read first",
};

/** The PUT …/config parameters for `params` and `--delete` keys, typed by the schema. */
function configParams(type: "qemu" | "lxc", params: Record<string, unknown>, del: readonly string[]): Record<string, unknown> {
  const meta = routes[`PUT /nodes/{node}/${type}/{vmid}/config` as keyof typeof routes];
  return { ...coerceParams(meta, params), ...(del.length ? { delete: del.join(",") } : {}) };
}

export const setOp = defineMutation({
  kind: "mutation",
  ...about("set"),
  input: z.object({
    vmid: vmid(),
    params: passThrough("Options to set as key=value (memory=4096 cores=2 …)").default({}),
    delete: z
      .preprocess((v) => (typeof v === "string" ? v.split(/[,\s]+/).filter(Boolean) : v), z.array(z.string()))
      .optional()
      .describe("Options to remove"),
  }),
  async plan(ctx, input) {
    const params = input.params as Record<string, unknown>;
    for (const key of Object.keys(params)) if (NOT_HERE[key]) throw new SkillUsageError(`Do not pass ${key}; give ${NOT_HERE[key]}.`);
    const del = input.delete ?? [];
    if (Object.keys(params).length === 0 && del.length === 0)
      throw new SkillUsageError("Nothing to change: pass key=value pairs and/or --delete.");
    const plan = await planForGuest(ctx, input.vmid, "destructive", (g, state) => ({
      summary: `Change the configuration of ${guestNoun(g)} ${g.vmid}${g.name ? ` (${g.name})` : ""} on ${g.node}, currently ${state}`,
    }));
    // the request is checked before any plan or token: a bad value fails now, not after a person approved it
    const [template, pp] = guestPath(plan.guest, "/config");
    const request = { ...configParams(plan.guest.type, params, del), ...pp };
    validateRequest("PUT", template, request);
    const meta = routeMeta("PUT", template);
    // PVE answers "unknown option" for a --delete of a name that is no configuration option (qemu-server API2/Qemu.pm)
    const unknown = del.filter((k) => !meta || !paramSchema(meta, k) || ["node", "vmid", "digest", "delete", "revert", "skiplock"].includes(k));
    if (unknown.length) throw new SkillUsageError(`--delete ${unknown.join(",")}: not a configuration option of ${guestNoun(plan.guest)}s.`);
    // another guest's disk named in a value (scsi1=local-lvm:vm-103-disk-0) is a target for the allow-lists
    applyAssessment(plan, await assessRequest(ctx, "PUT", template, request));
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
    await ctx.client.request("PUT", path, { ...configParams(g.type, input.params as Record<string, unknown>, input.delete ?? []), ...pp, digest: plan.digest });
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
