import { schemaInfo } from "../generated/schema-info";
import { releaseOf, type VersionSource } from "../schema/release";

/** What the generated bindings were built from. */
export interface BindingsInfo {
  /** PVE version of the schema (`9.2.11`), or null when the schema carried none */
  pveVersion: string | null;
  /** sha256 of the schema's canonical JSON */
  schemaSha256: string;
  /** number of API methods in the bindings */
  methods: number;
}

/** The PVE version and schema hash these bindings were generated from. */
export function bindingsInfo(): BindingsInfo {
  const info = schemaInfo as { pveVersion: string | null; schemaSha256: string; methods: number };
  return { pveVersion: info.pveVersion, schemaSha256: info.schemaSha256, methods: info.methods };
}

/** The server side of the comparison: `/version`'s answer, or a version string. */
export type ServerVersion = string | { version?: unknown; release?: unknown };

const REGENERATE =
  "regenerate with `pvekit schema pull <host>` then `npm run codegen` (see `pvekit schema diff` for what changed)";

/**
 * Compare the server's PVE release (major.minor) with the release the bindings were generated
 * from. Returns a warning for people, or null when they match or the server's version is unknown.
 */
export function bindingsVersionWarning(
  server: ServerVersion,
  bindings: Pick<BindingsInfo, "pveVersion"> = bindingsInfo(),
): string | null {
  const serverRelease = serverReleaseOf(server);
  if (!serverRelease) return null;
  const serverLabel = typeof server === "string" ? server : typeof server.version === "string" ? server.version : serverRelease;
  if (!bindings.pveVersion) {
    return `The bindings record no PVE version (generated from a schema without version information); the server runs PVE ${serverLabel}. To be sure they match, ${REGENERATE}.`;
  }
  const ours = releaseOf(bindings.pveVersion);
  if (!ours || ours === serverRelease) return null;
  const older = compareRelease(serverRelease, ours) < 0;
  const effect = older
    ? `endpoints and parameters added after PVE ${serverRelease} may be rejected by the server`
    : `endpoints and parameters added after PVE ${ours} are missing from the bindings, and client-side validation may reject values the server accepts`;
  return `The server runs PVE ${serverLabel} but the bindings were generated from PVE ${bindings.pveVersion}: ${effect}. To match the server, ${REGENERATE}.`;
}

/** Read the server's `/version` through `client` and compare it with the bindings (see `bindingsVersionWarning`). */
export async function checkBindingsVersion(
  client: VersionSource,
  bindings?: Pick<BindingsInfo, "pveVersion">,
): Promise<string | null> {
  const { data } = await client.requestRaw("GET", "/version");
  return bindingsVersionWarning((data ?? {}) as ServerVersion, bindings);
}

function serverReleaseOf(server: ServerVersion): string | undefined {
  if (typeof server === "string") return releaseOf(server);
  if (typeof server.release === "string" && releaseOf(server.release)) return releaseOf(server.release);
  return typeof server.version === "string" ? releaseOf(server.version) : undefined;
}

function compareRelease(a: string, b: string): number {
  const [am = 0, an = 0] = a.split(".").map(Number);
  const [bm = 0, bn = 0] = b.split(".").map(Number);
  return am - bm || an - bn;
}
