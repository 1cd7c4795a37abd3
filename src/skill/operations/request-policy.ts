import type { RouteMeta, Verb } from "../../generated/meta-types";
import { routes } from "../../generated/routes";
import { PveValidationError } from "../../runtime/errors";
import { SkillUsageError } from "../errors";
import { validateParams } from "../../runtime/validate";
import { assessTier, type TierAssessment } from "../policy/endpoint-rules";
import { maxTier } from "../policy/mode";
import { resolveScope, type RequestScope } from "../policy/request-scope";
import { listGuestResources, toGuestRef } from "./guest-locator";
import type { OperationContext, Plan } from "./operation";

/** What the endpoint and target rules say about one concrete request. */
export interface RequestAssessment extends TierAssessment, RequestScope {
  /** The request is an action named in PVEKIT_CONFIRM_OPERATIONS (e.g. `shutdown` through `api`). */
  confirm: boolean;
}

/** The schema of `verb template`, when the bindings have it. */
export function routeMeta(verb: Verb, template: string): RouteMeta | undefined {
  return (routes as Record<string, RouteMeta>)[`${verb} ${template}`];
}

/**
 * Validates a request against the schema before any plan or confirm token exists (the same check the
 * client runs before sending); throws PveValidationError, a usage error (exit 2).
 */
export function validateRequest(verb: Verb, template: string, params: Record<string, unknown>): void {
  const meta = routeMeta(verb, template);
  if (!meta) return;
  const problems = validateParams(meta, params);
  if (problems.length) throw new PveValidationError(problems, { method: verb, path: template });
}

/**
 * Tier (endpoint rules), targets and reach (target rules, with the cluster's guests read once when the
 * request names or selects guests) of the request an operation is about to send.
 */
export async function assessRequest(ctx: OperationContext, verb: Verb, template: string, params: Record<string, unknown>): Promise<RequestAssessment> {
  const meta = routeMeta(verb, template);
  const tier = assessTier(verb, template, params, meta?.pp);
  const confirmed = ctx.settings.confirmOperations;
  const asAlso = (tier.also ?? []).filter((a) => confirmed.includes(a.operation));
  const confirm = (tier.operation !== undefined && confirmed.includes(tier.operation)) || asAlso.length > 0;
  // say why a token is asked for when the request amounts to a confirmed operation by its parameters
  if (asAlso.length) tier.reasons.push(...asAlso.map((a) => `${a.why} (PVEKIT_CONFIRM_OPERATIONS names ${a.operation})`));
  if (verb === "GET" && tier.tier === "read") return { ...tier, targets: [], confirm: false };
  let scope: RequestScope;
  try {
    scope = await resolveScope({
      verb,
      template,
      params,
      meta,
      rule: tier.rule,
      lists: ctx.settings.allow,
      guests: async () => (await listGuestResources(ctx)).map(toGuestRef),
    });
  } catch (err) {
    if (err instanceof RangeError) throw new SkillUsageError(`${verb} ${template}: ${err.message}.`);
    throw err;
  }
  return { ...tier, ...scope, confirm };
}

/** Raises a curated operation's plan to what the rules say about the request it sends. */
export function applyAssessment(plan: Plan, a: RequestAssessment): void {
  if (maxTier(plan.tier, a.tier) !== plan.tier) plan.tierReasons = [...(plan.tierReasons ?? []), ...a.reasons];
  plan.tier = maxTier(plan.tier, a.tier);
  plan.allowTargets.push(...a.targets);
  if (a.unknown) plan.reach = a.unknown;
  if (a.confirm) plan.confirm = true;
}
