/**
 * Path parameter values that would change which path a request goes to: `.` and `..` survive
 * encodeURIComponent and are resolved away by URL normalisation (`/nodes/../access/…`). Anything else
 * is encoded into one segment (`/` as %2F: PVE volume ids such as `local:backup/vzdump-…` need that,
 * and PVE routes before it decodes). Refused before sending.
 */
export function pathValueProblem(value: string): string | undefined {
  return value === "." || value === ".." ? `'${value}' would change the request's path` : undefined;
}

// a whole segment of one or two dots, also as %2e (WHATWG URL parsing resolves both)
const DOT_SEGMENT = /(?:^|\/)((?:\.|%2e){1,2})(?=\/|$)/i;

/** The first segment of a concrete path (`/nodes/pve1/../x`, `/a/%2e%2e/b`) that is `.` or `..`, if any. */
export function dotSegment(path: string): string | undefined {
  return DOT_SEGMENT.exec(path)?.[1];
}
