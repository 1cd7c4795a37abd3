import * as z from "zod";
import type { Verb } from "../../generated/meta-types";
import { redactAnswer, redactParams } from "../policy/redact";
import { coerceParams, requireRoute } from "../route-lookup";
import { defineMutation, type Plan } from "./operation";
import { sensitiveRead } from "../policy/endpoint-rules";
import { assessRequest, validateRequest } from "./request-policy";
import { isUpid, runTask, taskWarnings } from "./task-runner";
import { about } from "./catalog";

interface ApiPlan extends Plan {
  verb: Verb;
  template: string;
  params: Record<string, unknown>;
}

export const apiOp = defineMutation({
  kind: "mutation",
  ...about("api"),
  input: z.object({
    method: z
      .preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.enum(["GET", "POST", "PUT", "DELETE"]))
      .describe("HTTP method: get, post, put or delete"),
    path: z.string().min(1).describe("API path, concrete (/nodes/pve1/qemu) or as a template"),
    params: z.record(z.string(), z.unknown()).default({}).describe("Parameters as key=value"),
  }),
  async plan(ctx, input): Promise<ApiPlan> {
    const verb = input.method as Verb;
    const { meta, pathParams } = requireRoute(verb, input.path);
    const given = { ...coerceParams(meta, input.params as Record<string, unknown>), ...pathParams };
    // invalid values end here, before any plan or confirm token (the client would refuse them only after approval)
    validateRequest(verb, meta.path, given);
    const concrete = meta.path.replace(/\{([^}]+)\}/g, (_, k: string) => String(given[k] ?? `{${k}}`));
    if (verb === "GET" && !sensitiveRead(meta.path)) {
      return { target: `GET ${concrete}`, tier: "read", summary: `GET ${concrete}`, steps: [], warnings: [], allowTargets: [], verb, template: meta.path, params: given };
    }
    const a = await assessRequest(ctx, verb, meta.path, given);
    const params = a.pin ? dropUndefined({ ...given, ...a.pin }) : given;
    const shown = Object.entries(redactParams(withoutPath(params, meta.pp)))
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : String(v)}`)
      .join(" ");
    const steps = [`${verb} ${concrete} ${shown}`.trim()];
    if (a.selected) steps.push(`acts on ${a.selected.length} guest(s): ${a.selected.join(", ") || "none"}`);
    if (a.pin) steps.push("the selection is sent as that explicit list, so no other guest is reached");
    if (meta.upid) steps.push("wait for the task");
    const warnings = [...a.reasons.map((r) => `${r}.`)];
    if (a.tier === "destructive") warnings.push("A raw API change outside the curated operations: pvekit cannot check its effect.");
    // the selection of a many-guest action is part of what a token confirms and the audit log records
    const selection = a.selected ? ` (${a.selected.length} guest${a.selected.length === 1 ? "" : "s"}${a.selected.length <= 10 ? `: ${a.selected.join(", ")}` : ""})` : "";
    return {
      target: `${verb} ${concrete}${selection}`,
      tier: a.tier,
      tierReasons: a.reasons,
      summary: `${verb} ${concrete}${shown ? ` with ${shown}` : ""}`,
      steps,
      warnings,
      allowTargets: a.targets,
      reach: a.unknown,
      confirm: a.confirm,
      confirmScope: a.selected,
      // an empty explicit list would mean "all guests" to PVE
      noop: a.pin && a.selected?.length === 0 ? "the request selects no guest" : undefined,
      verb,
      template: meta.path,
      params,
    };
  },
  async execute(ctx, _input, plan) {
    // Redacted like `config`: whatever an endpoint returns, secrets (cipassword, tickets, a new token's value…) are not printed.
    const data = redactAnswer(plan.verb, plan.template, await ctx.client.request(plan.verb, plan.template, plan.params));
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

function withoutPath(params: Record<string, unknown>, pathParams: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([k]) => !pathParams.includes(k)));
}

function dropUndefined(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
}
