/**
 * Path parameter values that would change which path a request goes to: `.` and `..` survive
 * encodeURIComponent and are resolved away by URL normalisation (`/nodes/../access/…`). Anything else
 * is encoded into one segment (`/` as %2F: PVE volume ids such as `local:backup/vzdump-…` need that,
 * and PVE routes before it decodes). Refused before sending.
 */
export function pathValueProblem(value: string): string | undefined {
  if (value === "." || value === "..") return `'${value}' would change the request's path`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return "a path parameter must not contain control characters";
  return undefined;
}

/** The first segment of a concrete path (`/nodes/pve1/../x`) that is `.` or `..` once decoded, if any. */
export function dotSegment(path: string): string | undefined {
  for (const raw of path.split("/")) {
    let seg = raw;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      // not percent-encoding: leave it as it is
    }
    if (seg === "." || seg === "..") return raw;
  }
  return undefined;
}
