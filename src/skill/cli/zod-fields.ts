import type { z } from "zod";

/** What the CLI needs to know about one input field of an operation. */
export interface FieldInfo {
  key: string;
  kind: "boolean" | "number" | "string" | "enum" | "array" | "record" | "other";
  optional: boolean;
  description?: string;
  choices?: string[];
  defaultValue?: unknown;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  out?: z.ZodType;
  in?: z.ZodType;
  entries?: Record<string, string>;
  options?: z.ZodType[];
  defaultValue?: unknown;
  values?: unknown[];
}

const defOf = (s: z.ZodType): Def => (s as unknown as { def: Def }).def;

/** Reads the fields of an operation's input schema (zod 4), unwrapping optional/default/preprocess. */
export function describeFields(schema: z.ZodObject): FieldInfo[] {
  return Object.entries(schema.shape).map(([key, s]) => describeField(key, s as z.ZodType));
}

function describeField(key: string, schema: z.ZodType): FieldInfo {
  let s = schema;
  let optional = false;
  let defaultValue: unknown;
  let description = s.description;
  for (;;) {
    const d = defOf(s);
    if (d.type === "optional" && d.innerType) {
      optional = true;
      s = d.innerType;
    } else if (d.type === "default" && d.innerType) {
      optional = true;
      defaultValue = typeof d.defaultValue === "function" ? (d.defaultValue as () => unknown)() : d.defaultValue;
      s = d.innerType;
    } else if (d.type === "pipe" && d.out) {
      s = defOf(d.in!).type === "transform" ? d.out : d.in!;
      if (defOf(s).type === "transform") s = d.out;
    } else break;
    description ??= s.description;
  }
  const d = defOf(s);
  const info: FieldInfo = { key, kind: "other", optional, description, defaultValue };
  if (d.type === "boolean") info.kind = "boolean";
  else if (d.type === "number" || d.type === "int") info.kind = "number";
  else if (d.type === "string") info.kind = "string";
  else if (d.type === "enum") {
    info.kind = "enum";
    info.choices = Object.values(d.entries ?? {});
  } else if (d.type === "array") info.kind = "array";
  else if (d.type === "record") info.kind = "record";
  else if (d.type === "union") info.kind = "string";
  return info;
}

/** `withLocalDisks` → `with-local-disks`. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
