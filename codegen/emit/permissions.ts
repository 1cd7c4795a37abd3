import type { Model } from "../model";
import { HEADER } from "./header";

/**
 * `permissions.ts`: each method's declared permissions as PVE's RESTHandler keeps them (`user`: `all` /
 * `world`, `check`: the test PVE::RPCEnvironment::check_api2_permissions runs before the handler),
 * keyed `"VERB /path"`, parsed on first use. Only the simulator loads it (not exported from the
 * generated index); a method without an entry is root@pam's only.
 */
export function emitPermissionsText(model: Model): string {
  const perms: Record<string, { user?: string; check?: unknown[] }> = {};
  for (const m of model.methods) {
    const p = m.permissions;
    if (!p || (p.user === undefined && p.check === undefined)) continue;
    perms[m.key] = { ...(p.user !== undefined ? { user: p.user } : {}), ...(p.check !== undefined ? { check: p.check } : {}) };
  }
  return `${HEADER}import { lazyRecord } from "./lazy-record";

/** A method's declared permissions: \`user\` (\`all\`, \`world\`) and/or a \`check\` (\`["perm", "/vms/{vmid}", ["VM.Audit"]]\`, \`["or", …]\` …). */
export interface DeclaredPermissions {
  user?: string;
  check?: readonly unknown[];
}

/** Declared permissions keyed \`"VERB /path"\` (parsed on first access; methods without any are root@pam's only). */
export const permissions = lazyRecord<DeclaredPermissions>(() => JSON.parse(${JSON.stringify(JSON.stringify(perms))}));
`;
}
