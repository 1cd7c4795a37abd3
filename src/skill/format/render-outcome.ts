import { renderSetGuests, renderSetOutcome, renderSetPlanned, setOutcomeJson } from "../fleet/render-set";
import { redactParams } from "../policy/redact";
import type { ConfirmationOutcome, MutationOutcome, ReadOutcome, SkillOutcome } from "../skill-outcome";
import type { Style } from "./style";
import { renderRecord, renderTable } from "./table";

/** The machine form of an outcome (`--json`, MCP structured content). */
export function outcomeJson(outcome: SkillOutcome): unknown {
  if (outcome.kind === "read") return (outcome as ReadOutcome).result.data;
  if (outcome.kind === "set") return setOutcomeJson(outcome);
  if (outcome.status === "confirmation-required") {
    const c = outcome as ConfirmationOutcome;
    return {
      status: c.status,
      operation: c.operation,
      plan: c.plan,
      confirmToken: c.confirmToken,
      expiresAt: c.expiresAt,
      ...(c.reason ? { reason: c.reason } : {}),
    };
  }
  const m = outcome as MutationOutcome;
  const r = m.result;
  if (r.raw && m.status === "done") return r.data ?? null;
  return {
    status: m.status,
    operation: m.operation,
    target: m.target,
    summary: r.summary,
    changes: r.changes,
    ...(r.upid ? { upid: r.upid } : {}),
    ...(r.exitstatus ? { exitstatus: r.exitstatus } : {}),
    ...(r.warnings?.length ? { warnings: r.warnings } : {}),
    ...(r.notes?.length ? { notes: r.notes } : {}),
    ...(r.data !== undefined ? { data: redactParams(r.data) } : {}),
  };
}

/** The human form: Markdown-friendly tables and bullet lists. `rerun` is the command to repeat with the token. */
export function renderOutcome(outcome: SkillOutcome, style: Style, rerun?: (token: string) => string): string {
  if (outcome.kind === "read") return renderRead(outcome as ReadOutcome);
  if (outcome.kind === "set") return outcome.status === "planned" ? renderSetPlanned(outcome, style) : renderSetOutcome(outcome, style);
  if (outcome.status === "confirmation-required") return renderConfirmation(outcome as ConfirmationOutcome, style, rerun);
  const m = outcome as MutationOutcome;
  const r = m.result;
  if (r.raw && m.status === "done") return renderData(r.data, undefined, undefined);
  const out: string[] = [m.status === "no-change" ? style.dim(r.summary) : style.ok(r.summary)];
  if (r.changes.length) out.push("", "Changes:", ...r.changes.map((c) => `- ${c}`));
  if (r.upid)
    out.push("", `Task: ${r.upid}${r.exitstatus ? ` (${r.exitstatus})` : " (not waited for; check with: pvekit task <upid> --wait)"}`);
  if (r.warnings?.length) out.push("", ...r.warnings.map((w) => style.warn(`Warning: ${w}`)));
  if (r.notes?.length) out.push("", ...r.notes);
  return out.join("\n");
}

function renderRead(o: ReadOutcome): string {
  if (o.result.text !== undefined) return o.result.text;
  return renderData(o.result.data, o.result.columns, o.result.notes);
}

function renderData(data: unknown, columns: ReadOutcome["result"]["columns"], notes: readonly string[] | undefined): string {
  const parts: string[] = [];
  if (Array.isArray(data) && data.every((r) => r && typeof r === "object" && !Array.isArray(r)))
    parts.push(renderTable(data as Record<string, unknown>[], columns ?? unionKeys(data as Record<string, unknown>[])));
  else if (Array.isArray(data)) parts.push(data.map((v) => String(v)).join("\n"));
  else if (data && typeof data === "object") {
    const rec = data as Record<string, unknown>;
    parts.push(renderRecord(rec, columns));
    if (Array.isArray(rec.log)) parts.push("", "Log:", ...rec.log.map((l) => `    ${String(l)}`));
  } else parts.push(data === undefined || data === null ? "(no data)" : String(data));
  if (notes?.length) parts.push("", ...notes);
  return parts.join("\n");
}

function renderConfirmation(c: ConfirmationOutcome, style: Style, rerun?: (token: string) => string): string {
  const p = c.plan;
  const out = [style.warn(style.bold(`Confirmation required (${p.tier}): ${p.summary}`))];
  if (c.reason) out.push(style.warn(c.reason));
  out.push("", `Target: ${p.target}`);
  if ("guests" in p) out.push("", renderSetGuests(p));
  if (p.steps.length) out.push("", "Plan:", ...p.steps.map((s) => `- ${s}`));
  if (p.warnings.length) out.push("", ...p.warnings.map((w) => style.warn(`Warning: ${w}`)));
  out.push("", `To proceed, run the same command again with --confirm ${c.confirmToken}`, `(single use, valid until ${c.expiresAt}).`);
  if (rerun) out.push("", `    ${rerun(c.confirmToken)}`);
  return out.join("\n");
}

/** Every key of the rows, in first-seen order (API rows differ in which keys they carry). */
function unionKeys(rows: readonly Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) keys.add(k);
  return [...keys];
}
