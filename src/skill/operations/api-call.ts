import { z } from "zod";
import type { Verb } from "../../generated/meta-types";
import type { AllowTarget } from "../policy/allow-list";
import { redactParams } from "../policy/redact";
import type { Tier } from "../policy/mode";
import { coerceParams, requireRoute } from "../route-lookup";
import { listGuestResources, toGuestRef } from "./guest-locator";
import { defineMutation, type Plan } from "./operation";
import { isUpid, runTask, taskWarnings } from "./task-runner";

/** Endpoints whose changes are reversible; every other POST/PUT/DELETE through `api` counts as destructive. */
const REVERSIBLE: readonly RegExp[] = [
  /^POST \/nodes\/\{node\}\/(qemu|lxc)\/\{vmid\}\/status\/(start|shutdown|reboot|suspend|resume)$/,
  /^POST \/nodes\/\{node\}\/(qemu|lxc)\/\{vmid\}\/snapshot$/,
  /^POST \/nodes\/\{node\}\/(qemu|lxc)\/\{vmid\}\/clone$/,
  /^POST \/nodes\/\{node\}\/(qemu|lxc)$/,
  /^POST \/nodes\/\{node\}\/vzdump$/,
];

/** The tier of a raw API call: GET is read-only; known reversible endpoints; everything else destructive. */
export function apiTier(verb: Verb, template: string): Tier {
  if (verb === "GET") return "read";
  const key = `${verb} ${template}`;
  return REVERSIBLE.some((re) => re.test(key)) ? "reversible" : "destructive";
}

interface ApiPlan extends Plan {
  verb: Verb;
  template: string;
  params: Record<string, unknown>;
}

export const apiOp = defineMutation({
  kind: "mutation",
  name: "api",
  title: "Call any API endpoint",
  description:
    "Call any PVE API endpoint, pvesh-like: api get /nodes/pve1/qemu, api post /nodes/pve1/qemu/100/status/start. GET is read-only; known reversible endpoints need operator; any other change needs admin and a confirm token.",
  tier: "read",
  input: z.object({
    method: z
      .preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.enum(["GET", "POST", "PUT", "DELETE"]))
      .describe("HTTP method: get, post, put or delete"),
    path: z.string().min(1).describe("API path, concrete (/nodes/pve1/qemu) or as a template"),
    params: z.record(z.string(), z.unknown()).default({}).describe("Parameters as key=value"),
  }),
  args: ["method", "path", "params..."],
  async plan(ctx, input): Promise<ApiPlan> {
    const verb = input.method as Verb;
    const { meta, pathParams } = requireRoute(verb, input.path);
    const params = { ...coerceParams(meta, input.params as Record<string, unknown>), ...pathParams };
    const tier = apiTier(verb, meta.path);
    const concrete = meta.path.replace(/\{([^}]+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
    const allowTargets: AllowTarget[] = [];
    if (tier !== "read") {
      const vmid = params.vmid !== undefined ? Number(params.vmid) : undefined;
      const node = typeof params.node === "string" ? params.node : undefined;
      const row = vmid !== undefined ? (await listGuestResources(ctx)).find((r) => Number(r.vmid) === vmid) : undefined;
      if (row) {
        const g = toGuestRef(row);
        allowTargets.push({ vmid: g.vmid, node: g.node, pool: g.pool, tags: g.tags });
      } else if (vmid !== undefined || node !== undefined) allowTargets.push({ vmid, node });
      if (typeof params.target === "string") allowTargets.push({ node: params.target });
    }
    return {
      target: `${verb} ${concrete}`,
      tier,
      summary: `${verb} ${concrete}${Object.keys(input.params as object).length ? " with parameters" : ""}`,
      steps: [
        `${verb} ${concrete} ${Object.entries(input.params as object)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(" ")}`.trim(),
        ...(meta.upid ? ["wait for the task"] : []),
      ],
      warnings: tier === "destructive" ? ["A raw API change outside the curated operations: pvekit cannot check its effect."] : [],
      allowTargets,
      verb,
      template: meta.path,
      params,
    };
  },
  async execute(ctx, _input, plan) {
    // Redacted like `config`: whatever an endpoint returns, secrets (cipassword, tickets…) are not printed.
    const data = redactParams(await ctx.client.request(plan.verb, plan.template, plan.params));
    const outcome = isUpid(data) ? await runTask(ctx, data) : undefined;
    return {
      status: outcome && !outcome.waited ? "started" : "done",
      summary: plan.summary,
      changes: [],
      upid: outcome?.upid,
      exitstatus: outcome?.exitstatus,
      warnings: outcome ? taskWarnings(outcome) : [],
      data,
      raw: true,
    };
  },
});
