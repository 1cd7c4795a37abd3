/** Reads `/version`: a `PveClient` or anything with its untyped `requestRaw` form. */
export interface VersionSource {
  requestRaw(verb: "GET", path: "/version"): Promise<{ data: unknown }>;
}

/** `9.2.11` → `9.2`; undefined when the text has no major.minor. */
export function releaseOf(version: string): string | undefined {
  return /^\s*(\d+)\.(\d+)/.exec(version)?.slice(1, 3).join(".");
}
