import type { SchemaMeta } from "../../src/generated/meta-types";
import type { Simulator } from "../../src/testing/simulator";

export interface Answer {
  status: number;
  statusText: string;
  data: any;
  json: any;
}

/** Calls the simulator core with a token (default: the full-privilege one) or explicit headers. */
export async function call(
  sim: Simulator,
  method: string,
  path: string,
  params: Record<string, string | number> = {},
  headers: Record<string, string> = { authorization: sim.credentials.token.header },
): Promise<Answer> {
  const wire = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const isRead = method === "GET" || method === "DELETE";
  const r = await sim.handle({
    method,
    path: `/api2/json${path}`,
    query: isRead ? wire : "",
    body: isRead ? undefined : wire,
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
  });
  // failed authentication answers with the status line only (no body), as PVE does
  const json = r.body === "" ? null : JSON.parse(r.body);
  return { status: r.status, statusText: r.statusText, data: json?.data, json };
}

/** Problems of `value` against a return schema (PVE's wire forms: booleans may be 0/1). Empty when it conforms. */
export function conformance(schema: SchemaMeta, value: unknown, where = "data"): string[] {
  const out: string[] = [];
  const bad = (what: string) => out.push(`${where}: ${what} (got ${JSON.stringify(value)?.slice(0, 60)})`);
  switch (schema.t) {
    case "any":
      return out;
    case "null":
      if (value !== null) bad("expected null");
      return out;
    case "boolean":
      if (!(typeof value === "boolean" || value === 0 || value === 1)) bad("expected boolean");
      return out;
    case "integer":
      if (!Number.isInteger(value)) bad("expected integer");
      else checkRange(schema, value as number, bad);
      return out;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) bad("expected number");
      else checkRange(schema, value, bad);
      return out;
    case "string":
      if (typeof value !== "string") bad("expected string");
      else if (schema.e && !schema.e.includes(value)) bad(`not in enum ${schema.e.join("|")}`);
      return out;
    case "array":
      if (!Array.isArray(value)) bad("expected array");
      else if (schema.i) value.forEach((v, i) => out.push(...conformance(schema.i as SchemaMeta, v, `${where}[${i}]`)));
      return out;
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        bad("expected object");
        return out;
      }
      const obj = value as Record<string, unknown>;
      for (const [k, s] of Object.entries(schema.props ?? {})) {
        if (obj[k] === undefined) {
          if (!s.o) out.push(`${where}.${k}: required property missing`);
        } else out.push(...conformance(s, obj[k], `${where}.${k}`));
      }
      if (typeof schema.add === "object") {
        for (const [k, v] of Object.entries(obj)) if (!schema.props?.[k]) out.push(...conformance(schema.add, v, `${where}.${k}`));
      }
      return out;
    }
  }
}

function checkRange(schema: SchemaMeta, n: number, bad: (what: string) => void): void {
  if (schema.min !== undefined && n < schema.min) bad(`below minimum ${schema.min}`);
  if (schema.max !== undefined && n > schema.max) bad(`above maximum ${schema.max}`);
}
