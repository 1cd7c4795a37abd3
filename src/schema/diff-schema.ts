import type { ChangeKind } from "./diff-types";
import type { NormSchema, NormType } from "./norm-types";

/**
 * Which way data flows. Callers send parameters, so narrowing what a parameter accepts breaks them;
 * callers read return values, so taking away or retyping what they read breaks them. Wider return
 * value sets (a new enum value, a dropped enum) are reported as non-breaking: PVE's return schemas
 * are descriptive, and the generated `Returns<…>` types still compile against old code.
 */
export type Side = "param" | "return";

/** A change found inside one schema, before the endpoint is attached. */
export interface SchemaDelta {
  kind: ChangeKind;
  name: string;
  breaking: boolean;
  message: string;
  before?: unknown;
  after?: unknown;
}

type Emit = (d: SchemaDelta) => void;

const NUMERIC = new Set<NormType>(["integer", "number"]);

/** Compare two schemas of the same parameter or return property (recursively). */
export function compareSchema(before: NormSchema, after: NormSchema, name: string, side: Side, emit: Emit): void {
  if (before.type !== after.type) {
    emit({
      kind: "type-changed",
      name,
      breaking: !typeChangeIsSafe(before.type, after.type, side),
      message: `type ${before.type} → ${after.type}`,
      before: before.type,
      after: after.type,
    });
    // integer ↔ number is the same TypeScript type: keep comparing the rest
    if (!(NUMERIC.has(before.type) && NUMERIC.has(after.type))) return;
  }
  compareEnum(before, after, name, side, emit);
  if (side === "param") {
    compareConstraints(before, after, name, emit);
    compareDefault(before, after, name, emit);
  }
  compareFormat(before, after, name, side, emit);
  compareMembers(before.properties, after.properties, name, ".", side, emit);
  if (before.items && after.items) compareSchema(before.items, after.items, `${name}[]`, side, emit);
  if (isSchema(before.additional) && isSchema(after.additional)) {
    compareSchema(before.additional, after.additional, `${name}{}`, side, emit);
  }
}

/**
 * Compare two member maps (parameters, object properties, property-string keys): members added,
 * removed, made required or optional, and the members present on both sides.
 */
export function compareMembers(
  before: Record<string, NormSchema> | undefined,
  after: Record<string, NormSchema> | undefined,
  parent: string,
  sep: string,
  side: Side,
  emit: Emit,
): void {
  if (!before || !after) return;
  const what = side === "param" ? "parameter" : "return property";
  const join = (key: string): string => (parent ? `${parent}${sep}${key}` : key);
  for (const [key, old] of Object.entries(before)) {
    const name = join(key);
    const next = after[key];
    if (!next) {
      emit({ kind: "removed", name, breaking: true, message: `${what} removed` });
      continue;
    }
    const wasRequired = isRequired(old);
    const isNowRequired = isRequired(next);
    if (!wasRequired && isNowRequired) {
      // a caller that omitted it now fails; a reader now always gets it
      emit({ kind: "became-required", name, breaking: side === "param", message: `${what} became required` });
    } else if (wasRequired && !isNowRequired) {
      emit({ kind: "became-optional", name, breaking: side === "return", message: `${what} became optional` });
    }
    compareSchema(old, next, name, side, emit);
  }
  for (const [key, next] of Object.entries(after)) {
    if (before[key]) continue;
    const required = isRequired(next);
    emit({
      kind: "added",
      name: join(key),
      breaking: side === "param" && required,
      message: `${what} added${side === "param" ? (required ? " (required)" : " (optional)") : ""}`,
      after: next.type,
    });
  }
}

/** Property-string alias entries (`e1000` → macaddr) carry no `optional` flag but are never required. */
function isRequired(s: NormSchema): boolean {
  return !s.optional && s.alias === undefined;
}

function isSchema(v: true | NormSchema | undefined): v is NormSchema {
  return typeof v === "object";
}

function typeChangeIsSafe(from: NormType, to: NormType, side: Side): boolean {
  if (side === "param") return to === "any" || (from === "integer" && to === "number");
  // a reader of `null`/`any` relied on nothing; integer and number are both `number`
  return from === "any" || from === "null" || (NUMERIC.has(from) && NUMERIC.has(to));
}

function compareEnum(before: NormSchema, after: NormSchema, name: string, side: Side, emit: Emit): void {
  const old = before.enum;
  const next = after.enum;
  if (old && next) {
    const removed = old.filter((v) => !next.includes(v));
    const added = next.filter((v) => !old.includes(v));
    if (removed.length) {
      emit({
        kind: "enum-values-removed",
        name,
        breaking: side === "param",
        message: `enum values removed: ${removed.join(", ")}`,
        before: removed,
      });
    }
    if (added.length) {
      emit({ kind: "enum-values-added", name, breaking: false, message: `enum values added: ${added.join(", ")}`, after: added });
    }
  } else if (!old && next) {
    emit({
      kind: "constraint-tightened",
      name,
      breaking: side === "param",
      message: `now limited to: ${next.join(", ")}`,
      after: next,
    });
  } else if (old && !next) {
    emit({ kind: "constraint-loosened", name, breaking: false, message: `no longer limited to: ${old.join(", ")}`, before: old });
  }
}

type Bound = "minimum" | "maximum" | "minLength" | "maxLength";
const BOUNDS: readonly [Bound, 1 | -1][] = [
  ["minimum", 1],
  ["maximum", -1],
  ["minLength", 1],
  ["maxLength", -1],
];

/** Ranges, lengths, patterns and `requires` of a parameter: narrower breaks callers, wider does not. */
function compareConstraints(before: NormSchema, after: NormSchema, name: string, emit: Emit): void {
  for (const [key, dir] of BOUNDS) {
    const old = before[key];
    const next = after[key];
    if (old === next) continue;
    // a lower bound that rises, or an upper bound that falls (or appears), narrows what is accepted
    const tighter = old === undefined || (next !== undefined && (next - old) * dir > 0);
    emit({
      kind: tighter ? "constraint-tightened" : "constraint-loosened",
      name,
      breaking: tighter,
      message: `${key} ${old ?? "none"} → ${next ?? "none"}`,
      before: old,
      after: next,
    });
  }
  if (before.pattern !== after.pattern) {
    // a changed regex cannot be compared; report it as possibly breaking unless it was dropped
    const dropped = after.pattern === undefined;
    emit({
      kind: "pattern-changed",
      name,
      breaking: !dropped,
      message: dropped ? "pattern removed" : before.pattern === undefined ? "pattern added" : "pattern changed",
      before: before.pattern,
      after: after.pattern,
    });
  }
  if (before.requires !== after.requires && after.requires !== undefined) {
    emit({
      kind: "constraint-tightened",
      name,
      breaking: true,
      message: `now requires parameter ${after.requires}`,
      before: before.requires,
      after: after.requires,
    });
  }
}

function compareDefault(before: NormSchema, after: NormSchema, name: string, emit: Emit): void {
  const old = before.default ?? before.defaultText;
  const next = after.default ?? after.defaultText;
  if (old === next) return;
  // the request still works, but leaving the parameter out now means something else
  emit({
    kind: "default-changed",
    name,
    breaking: false,
    message: `default ${fmt(old)} → ${fmt(next)}`,
    before: old,
    after: next,
  });
}

/** Named formats and inline property-string keys. */
function compareFormat(before: NormSchema, after: NormSchema, name: string, side: Side, emit: Emit): void {
  if (before.formatKeys && after.formatKeys) {
    compareMembers(before.formatKeys, after.formatKeys, name, ".", side, emit);
    return;
  }
  const old = formatLabel(before);
  const next = formatLabel(after);
  if (old === next) return;
  // a list format accepting the old one, or a format dropped, accepts more; anything else may not
  const wider = next === undefined || next === `${old}-list`;
  emit({
    kind: "format-changed",
    name,
    breaking: side === "param" ? !wider : false,
    message: `format ${old ?? "none"} → ${next ?? "none"}`,
    before: old,
    after: next,
  });
}

function formatLabel(s: NormSchema): string | undefined {
  if (s.format) return s.format;
  return s.formatKeys ? "(property string)" : undefined;
}

function fmt(v: unknown): string {
  return v === undefined ? "none" : JSON.stringify(v);
}
