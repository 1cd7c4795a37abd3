import { BUILTIN_ROLES as ROLE_PRIVILEGES, PRIVILEGE_GROUPS } from "../../runtime/pve-privileges";

/** Role name → privileges, as `pveum role list` shows the built-in roles (derived in runtime/pve-privileges). */
export const BUILTIN_ROLES: Readonly<Record<string, ReadonlySet<string>>> = Object.fromEntries(
  Object.entries(ROLE_PRIVILEGES).map(([name, privs]) => [name, new Set(privs)]),
);

/**
 * How much a privilege allows, from PVE's own classes: audit 1, user 10, admin 100, root 1000 (a
 * privilege listed in two classes counts as the lower one). A role weighs the sum of its privileges.
 */
const WEIGHT: ReadonlyMap<string, number> = (() => {
  const w = new Map<string, number>();
  for (const g of Object.values(PRIVILEGE_GROUPS)) {
    for (const [cls, n] of [["root", 1000], ["admin", 100], ["user", 10], ["audit", 1]] as const) for (const p of g[cls]) w.set(p, n);
  }
  return w;
})();

function weight(role: ReadonlySet<string>): number {
  let sum = 0;
  for (const p of role) sum += WEIGHT.get(p) ?? 1000;
  return sum;
}

/** Built-in roles holding every one of `privs`, the least powerful first (PVEAuditor before PVESysAdmin for Sys.Audit). */
export function rolesWith(privs: readonly string[]): string[] {
  return Object.entries(BUILTIN_ROLES)
    .filter(([, set]) => privs.every((p) => set.has(p)))
    .sort(([a, x], [b, y]) => weight(x) - weight(y) || a.localeCompare(b))
    .map(([name]) => name);
}

/**
 * Where a privilege is usually granted: the ACL path of its kind of object (`VM.*` on `/vms`,
 * `Datastore.*` on `/storage`, …; ACLs propagate down the tree). Rules as data.
 */
const PRIVILEGE_PATH: Readonly<Record<string, string>> = {
  VM: "/vms",
  Datastore: "/storage",
  Sys: "/",
  SDN: "/sdn",
  Pool: "/pool",
  Mapping: "/mapping",
  User: "/access",
  Group: "/access",
  Realm: "/access",
  Permissions: "/access",
};

/** The ACL path a privilege is normally granted on (`/` when unknown). */
export function privilegePath(priv: string): string {
  return PRIVILEGE_PATH[priv.split(".")[0] ?? ""] ?? "/";
}
