import type { z } from "zod";

/**
 * Plain-language descriptions of input problems, instead of the validator's own wording ("Invalid
 * input: expected number, received NaN"): what the field needs and what was given.
 */
export function describeInputIssues(issues: readonly z.core.$ZodIssue[], input: Record<string, unknown>): string {
  return issues.map((i) => describeIssue(i, input)).join("; ");
}

function describeIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  const key = issue.path.length ? issue.path.map(String).join(".") : "input";
  const given = valueAt(input, issue.path);
  const shown = given === undefined ? "nothing" : typeof given === "string" ? JSON.stringify(given) : JSON.stringify(given) ?? String(given);
  const i = issue as z.core.$ZodIssue & { expected?: string; origin?: string; minimum?: unknown; maximum?: unknown; values?: unknown[]; keys?: string[] };
  switch (i.code) {
    case "invalid_type":
      if (given === undefined) return `${key} is required`;
      if (i.expected === "int") return `${key} must be a whole number, not ${shown}`;
      if (i.expected === "number") return `${key} must be a number, not ${shown}`;
      return `${key} must be ${article(String(i.expected))}, not ${shown}`;
    case "too_small":
      return i.origin === "string"
        ? `${key} needs at least ${String(i.minimum)} characters`
        : i.origin === "array"
          ? `${key} needs at least ${String(i.minimum)} values`
          : `${key} must be at least ${String(i.minimum)}, not ${shown}`;
    case "too_big":
      return i.origin === "string"
        ? `${key} may have at most ${String(i.maximum)} characters`
        : i.origin === "array"
          ? `${key} may have at most ${String(i.maximum)} values`
          : `${key} must be at most ${String(i.maximum)}, not ${shown}`;
    case "invalid_value":
      return `${key} must be one of ${(i.values ?? []).map(String).join(", ")}, not ${shown}`;
    case "invalid_format":
      // our own messages name what is expected ("a node name"); the validator's default ones do not
      return /^(Invalid|Too)\b/.test(i.message) ? `${key} ${shown} has the wrong format` : `${key} ${shown} is not ${i.message}`;
    case "unrecognized_keys":
      return `unknown option${(i.keys ?? []).length === 1 ? "" : "s"} ${(i.keys ?? []).join(", ")}`;
    default:
      return `${key}: ${i.message}`;
  }
}

function valueAt(input: Record<string, unknown>, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const p of path) cur = cur && typeof cur === "object" ? (cur as Record<PropertyKey, unknown>)[p] : undefined;
  return cur;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
