/** Request parameters as PVE sees them: strings (repeated keys: string arrays), from query and body. */
export type WireParams = Record<string, string | string[]>;

function addParam(out: WireParams, key: string, value: string): void {
  const prev = out[key];
  if (prev === undefined) out[key] = value;
  else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
}

/** Parses `a=1&b=2` (form bodies and query strings). */
export function parseUrlEncoded(text: string, out: WireParams = {}): WireParams {
  for (const [k, v] of new URLSearchParams(text)) addParam(out, k, v);
  return out;
}

/** JSON bodies carry typed values; PVE reads them as their string forms (booleans as 1/0). */
function toWire(value: unknown): string | string[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "number" || typeof value === "string") return String(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
  return JSON.stringify(value);
}

/**
 * Merges body and query parameters the way pve-http-server does (query values win).
 * `body` is the raw text with its content type, or an already-parsed object.
 */
export function collectParams(query: string | undefined, body: string | Record<string, unknown> | undefined, contentType: string | undefined): WireParams {
  const out: WireParams = {};
  if (typeof body === "object" && body !== null) {
    for (const [k, v] of Object.entries(body)) {
      const w = toWire(v);
      if (w !== undefined) out[k] = w;
    }
  } else if (typeof body === "string" && body.length > 0) {
    if (/json/i.test(contentType ?? "")) {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
        for (const [k, v] of Object.entries(parsed)) {
          const w = toWire(v);
          if (w !== undefined) out[k] = w;
        }
      }
    } else {
      parseUrlEncoded(body, out);
    }
  }
  if (query) {
    const q = parseUrlEncoded(query.replace(/^\?/, ""));
    Object.assign(out, q);
  }
  delete out["_dc"]; // ExtJS cache buster, dropped by PVE too
  return out;
}
