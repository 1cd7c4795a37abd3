/**
 * PVE's built-in roles, derived the way PVE derives them. Source: pve-access-control
 * src/PVE/AccessControl.pm (`$privgroups`, `$special_roles`, `create_roles`), as of commit 5ccd07d9
 * (May 2026). Each category lists privileges by who should have them: `root` ones belong to no
 * built-in role but Administrator; `PVE<cat>Admin` gets admin+user+audit; `PVE<cat>User` gets user+audit
 * when the category has user privileges; `PVEAuditor` gets every audit privilege; `PVEAdmin` gets
 * everything but root privileges (and Mapping.Modify); `PVETemplateUser` is VM.Clone + VM.Audit.
 */
const PRIVGROUPS: Readonly<Record<string, { root: string[]; admin: string[]; user: string[]; audit: string[] }>> = {
  VM: {
    root: [],
    admin: [
      "VM.Config.Disk",
      "VM.Config.CPU",
      "VM.Config.Memory",
      "VM.Config.Network",
      "VM.Config.HWType",
      "VM.Config.Options",
      "VM.Allocate",
      "VM.Clone",
      "VM.GuestAgent.Unrestricted",
      "VM.Migrate",
      "VM.Replicate",
      "VM.Snapshot",
      "VM.Snapshot.Rollback",
    ],
    user: [
      "VM.Config.CDROM",
      "VM.Config.Cloudinit",
      "VM.Console",
      "VM.Backup",
      "VM.GuestAgent.FileRead",
      "VM.GuestAgent.FileSystemMgmt",
      "VM.GuestAgent.FileWrite",
      "VM.PowerMgmt",
    ],
    audit: ["VM.Audit", "VM.GuestAgent.Audit"],
  },
  Sys: { root: ["Sys.PowerMgmt", "Sys.Modify", "Sys.Incoming", "Sys.AccessNetwork"], admin: ["Sys.Console", "Sys.Syslog"], user: [], audit: ["Sys.Audit"] },
  Datastore: { root: [], admin: ["Datastore.Allocate", "Datastore.AllocateTemplate"], user: ["Datastore.AllocateSpace"], audit: ["Datastore.Audit"] },
  SDN: { root: [], admin: ["SDN.Allocate", "SDN.Audit"], user: ["SDN.Use"], audit: ["SDN.Audit"] },
  User: { root: ["Realm.Allocate"], admin: ["User.Modify", "Group.Allocate", "Realm.AllocateUser"], user: [], audit: [] },
  Pool: { root: [], admin: ["Pool.Allocate"], user: ["Pool.Audit"], audit: ["Pool.Audit"] },
  Mapping: { root: [], admin: ["Mapping.Modify"], user: ["Mapping.Use"], audit: ["Mapping.Audit"] },
};

/** Role name → privileges, as `pveum role list` shows the built-in roles. */
export const BUILTIN_ROLES: Readonly<Record<string, ReadonlySet<string>>> = buildRoles();

function buildRoles(): Record<string, ReadonlySet<string>> {
  const roles: Record<string, Set<string>> = {};
  const add = (role: string, privs: readonly string[]) => {
    const set = (roles[role] ??= new Set());
    for (const p of privs) set.add(p);
  };
  const all = new Set<string>(["Permissions.Modify"]);
  for (const [cat, g] of Object.entries(PRIVGROUPS)) {
    for (const p of [...g.root, ...g.admin, ...g.user, ...g.audit]) all.add(p);
    add(`PVE${cat}Admin`, [...g.admin, ...g.user, ...g.audit]);
    add("PVEAdmin", [...g.admin, ...g.user, ...g.audit]);
    if (g.user.length) add(`PVE${cat}User`, [...g.user, ...g.audit]);
    add("PVEAuditor", g.audit);
  }
  roles.PVEAdmin?.delete("Mapping.Modify");
  roles.PVETemplateUser = new Set(["VM.Clone", "VM.Audit"]);
  roles.Administrator = all;
  roles.NoAccess = new Set();
  return roles;
}

/**
 * How much a privilege allows, from PVE's own classes: audit 1, user 10, admin 100, root 1000 (a
 * privilege listed in two classes counts as the lower one). A role weighs the sum of its privileges.
 */
const WEIGHT: ReadonlyMap<string, number> = (() => {
  const w = new Map<string, number>();
  for (const g of Object.values(PRIVGROUPS)) {
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
