import type { Style } from "../format/style";
import { renderTable } from "../format/table";
import type { SetOutcome, SetPlannedOutcome, SetPlanView } from "./set-outcome";

/** The machine form of a set's answer (`--json`, MCP). */
export function setOutcomeJson(o: SetOutcome | SetPlannedOutcome): unknown {
  if (o.status === "planned") return { status: o.status, operation: o.operation, plan: o.plan };
  return {
    status: o.status,
    operation: o.operation,
    target: o.target,
    summary: o.summary,
    counts: o.counts,
    results: o.results,
    ...(o.warnings?.length ? { warnings: o.warnings } : {}),
  };
}

/** The guests of a set plan as a table: state now and what will happen. */
export function renderSetGuests(plan: SetPlanView): string {
  const rows = plan.guests.map((g) => ({
    vmid: g.vmid,
    name: g.name,
    type: g.type,
    node: g.node,
    status: g.status,
    action: g.noop ? `no-op: ${g.noop}` : g.skip ? `skip: ${g.skip}` : g.action,
  }));
  return renderTable(rows, ["vmid", "name", "type", "node", "status", "action"]);
}

/** A planned (dry-run) set for people. */
export function renderSetPlanned(o: SetPlannedOutcome, style: Style): string {
  const p = o.plan;
  const out = [style.bold(`Plan (${p.tier}): ${p.summary}`), "", renderSetGuests(p)];
  if (p.steps.length) out.push("", "Steps:", ...p.steps.map((s) => `- ${s}`));
  if (p.warnings.length) out.push("", ...p.warnings.map((w) => style.warn(`Warning: ${w}`)));
  out.push("", style.dim("Nothing was changed (dry run)."));
  return out.join("\n");
}

/** A set's results for people: a line of counts, a table per guest, then each failure with its log tail. */
export function renderSetOutcome(o: SetOutcome, style: Style): string {
  const failed = o.results.filter((r) => r.outcome === "failed");
  const headline = failed.length ? style.error(o.summary) : o.status === "no-change" ? style.dim(o.summary) : style.ok(o.summary);
  const rows = o.results.map((r) => ({
    vmid: r.vmid,
    name: r.name,
    type: r.type,
    node: r.node,
    outcome: r.outcome,
    exitstatus: r.exitstatus,
    detail: r.error ?? r.reason ?? r.changes?.join("; "),
  }));
  const out = [headline, "", renderTable(rows, ["vmid", "name", "type", "node", "outcome", "exitstatus", "detail"])];
  for (const r of failed) {
    out.push("", style.error(`${r.type}/${r.vmid}${r.name ? ` (${r.name})` : ""} on ${r.node} failed: ${r.error ?? "unknown error"}`));
    if (r.upid) out.push(`  Task: ${r.upid}`);
    if (r.logTail?.length) out.push("  Task log (last lines):", ...r.logTail.map((l) => `    ${l}`));
  }
  const started = o.results.filter((r) => r.outcome === "started");
  if (started.length) out.push("", `${started.length} task(s) started, not waited for; follow them with: pvekit task <upid> --wait, or pvekit watch`);
  if (o.warnings?.length) out.push("", ...o.warnings.map((w) => style.warn(`Warning: ${w}`)));
  return out.join("\n");
}
