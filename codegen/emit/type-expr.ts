import type { FormatModel, MSchema } from "../model";
import { propKey } from "../naming";

/** "in" = what callers may send (booleans as 0|1 too, objects for property strings); "out" = what PVE returns. */
export type Mode = "in" | "out";

export interface TypeContext {
  mode: Mode;
  formats: ReadonlyMap<string, FormatModel>;
}

/** The TS type of one schema node. */
export function typeExpr(s: MSchema, ctx: TypeContext, name?: string): string {
  if (s.enum && s.enum.length) {
    const numeric = s.type === "integer" || s.type === "number";
    return s.enum.map((v) => (numeric && v.trim() !== "" && Number.isFinite(Number(v)) ? v : JSON.stringify(v))).join(" | ");
  }
  if (s.oneOf?.length) return unique(s.oneOf.map((v) => typeExpr(v, ctx, name))).join(" | ");
  switch (s.type) {
    case "string":
      return stringType(s, ctx, name);
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return ctx.mode === "in" ? "Bool" : "boolean";
    case "null":
      return "null";
    case "any":
      return "unknown";
    case "array":
      return `Array<${s.items ? typeExpr(s.items, ctx) : "unknown"}>`;
    case "object":
      return objectType(s, ctx);
  }
}

function stringType(s: MSchema, ctx: TypeContext, name?: string): string {
  if (ctx.mode === "out" && name === "upid") return "Upid";
  if (ctx.mode === "in") {
    const fmt = s.ps ? ctx.formats.get(s.ps) : undefined;
    if (fmt) return `string | ${fmt.typeName}`;
    if (s.list) return "string | string[]";
  }
  return "string";
}

/** An object type, including indexed options and discriminated unions. */
export function objectType(s: MSchema, ctx: TypeContext): string {
  const props = s.properties ?? {};
  const names = Object.keys(props);
  const parts: string[] = [];
  const union = discriminatedUnion(props, ctx);
  const body = membersOf(
    Object.fromEntries(names.filter((n) => !union.variantOnly.has(n)).map((n) => [n, props[n]!])),
    ctx,
  );
  if (body.members) parts.push(`{ ${body.members} }`);
  parts.push(...body.indexed);
  if (union.text) parts.push(union.text);
  if (s.additional === true) parts.push("{ [key: string]: unknown }");
  else if (s.additional) parts.push(`Record<string, ${typeExpr(s.additional, ctx)}>`);
  if (!parts.length) return names.length ? "{}" : "Record<string, unknown>";
  return parts.length === 1 ? parts[0]! : parts.map((p) => (p.includes(" | ") && !p.startsWith("{") ? `(${p})` : p)).join(" & ");
}

/** Member lines (`name?: T;` with JSDoc) plus `IndexedOptions<…>` parts for `name[n]` keys. */
export function membersOf(props: Record<string, MSchema>, ctx: TypeContext): { members: string; indexed: string[] } {
  const lines: string[] = [];
  const indexed: string[] = [];
  for (const [name, p] of Object.entries(props)) {
    const t = typeExpr(p, ctx, name);
    if (p.indexed && p.n !== undefined) {
      indexed.push(`IndexedOptions<${JSON.stringify(p.indexed)}, Index${p.n}, ${t}>`);
      continue;
    }
    const doc = docOf(p);
    lines.push(`${doc}${propKey(name)}${p.optional ? "?" : ""}: ${t};`);
  }
  return { members: lines.join("\n"), indexed };
}

/**
 * PVE 9 section-config objects: properties tagged with `instanceTypes` exist only when the
 * `typeProperty` sibling has one of those values. Emits `({tp: "a"; …} | {tp: "b"; …})`.
 */
function discriminatedUnion(
  props: Record<string, MSchema>,
  ctx: TypeContext,
): { text?: string; variantOnly: Set<string> } {
  const tagged = Object.entries(props).filter(([, p]) => p.typeProperty && (p.instanceTypes || p.oneOf?.some((v) => v.instanceTypes)));
  const tp = tagged[0]?.[1].typeProperty;
  const selector = tp ? props[tp] : undefined;
  if (!tp || !selector?.enum?.length) return { variantOnly: new Set() };
  const variantOnly = new Set<string>([tp, ...tagged.map(([n]) => n)]);
  const cases = selector.enum.map((value) => {
    const members: Record<string, MSchema> = {};
    for (const [n, p] of tagged) {
      if (p.oneOf?.some((v) => v.instanceTypes)) {
        const variants = p.oneOf.filter((v) => v.instanceTypes?.includes(value));
        if (variants.length) members[n] = { ...p, oneOf: variants, optional: p.optional || variants.every((v) => v.optional) };
      } else if (p.instanceTypes?.includes(value)) members[n] = p;
    }
    const m = membersOf(members, ctx);
    const tpLine = `${propKey(tp)}${selector.optional ? "?" : ""}: ${JSON.stringify(value)};`;
    return `{ ${tpLine}\n${m.members} }${m.indexed.map((x) => ` & ${x}`).join("")}`;
  });
  return { text: `(${cases.join(" | ")})`, variantOnly };
}

/** JSDoc for a property: description plus the facts callers check (range, default, pattern). */
export function docOf(p: MSchema): string {
  const lines: string[] = [];
  if (p.description) lines.push(p.description);
  const facts: string[] = [];
  if (p.minimum !== undefined || p.maximum !== undefined) facts.push(`range ${p.minimum ?? "…"}..${p.maximum ?? "…"}`);
  if (p.maxLength !== undefined) facts.push(`max length ${p.maxLength}`);
  if (p.format && typeof p.format === "string") facts.push(`format ${p.format}`);
  if (p.default !== undefined) facts.push(`default ${JSON.stringify(p.default)}`);
  else if (p.defaultText) facts.push(`default: ${p.defaultText}`);
  if (p.requires) facts.push(`requires ${p.requires}`);
  if (facts.length) lines.push(facts.join("; "));
  if (!lines.length) return "";
  return `/** ${lines.join("\n\n").replace(/\*\//g, "*\\/").split("\n").join("\n * ")} */\n`;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
