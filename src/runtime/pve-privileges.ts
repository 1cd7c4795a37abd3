/**
 * PVE's privileges and built-in roles, derived as pve-access-control src/PVE/AccessControl.pm does it
 * (`$privgroups`, `$special_roles`, `create_roles`; libpve-access-control 9.1.1, which pve-manager 9.2.11
 * depends on). One table for the simulator (what a role allows) and the skill (which role to suggest).
 * Each category lists its privileges by who should hold them: `root` ones belong to no built-in role but
 * Administrator; `PVE<cat>Admin` gets admin + user + audit; `PVE<cat>User` gets user + audit when the
 * category has user privileges; `PVEAuditor` gets every audit privilege; `PVEAdmin` gets everything but
 * the root privileges and Mapping.Modify; `PVETemplateUser` is VM.Clone + VM.Audit.
 */
export const PRIVILEGE_GROUPS: Readonly<Record<string, { root: readonly string[]; admin: readonly string[]; user: readonly string[]; audit: readonly string[] }>> = {
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

/** Every privilege PVE knows (`$valid_privs`: the categories' privileges plus Permissions.Modify), sorted. */
export const ALL_PRIVILEGES: readonly string[] = [
  ...new Set(["Permissions.Modify", ...Object.values(PRIVILEGE_GROUPS).flatMap((g) => [...g.root, ...g.admin, ...g.user, ...g.audit])]),
].sort();

/** Role name -> privileges (sorted), as `pveum role list` shows the built-in roles. */
export const BUILTIN_ROLES: Readonly<Record<string, readonly string[]>> = (() => {
  const roles: Record<string, Set<string>> = { NoAccess: new Set(), Administrator: new Set(ALL_PRIVILEGES) };
  const add = (role: string, privs: readonly string[]) => {
    const set = (roles[role] ??= new Set());
    for (const p of privs) set.add(p);
  };
  for (const [cat, g] of Object.entries(PRIVILEGE_GROUPS)) {
    add(`PVE${cat}Admin`, [...g.admin, ...g.user, ...g.audit]);
    add("PVEAdmin", [...g.admin, ...g.user, ...g.audit]);
    if (g.user.length) add(`PVE${cat}User`, [...g.user, ...g.audit]);
    add("PVEAuditor", g.audit);
  }
  roles.PVEAdmin?.delete("Mapping.Modify");
  roles.PVETemplateUser = new Set(["VM.Clone", "VM.Audit"]);
  return Object.fromEntries(Object.entries(roles).map(([name, set]) => [name, [...set].sort()]));
})();
