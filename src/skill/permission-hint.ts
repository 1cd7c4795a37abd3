import { privilegePath, rolesWith } from "./policy/pve-roles";

/** Who the advice is for: an API token or a user (never a secret). */
export interface Grantee {
  auth?: string;
  identity?: string;
}

/** What PVE said was missing: `Permission check failed (/vms/100, VM.PowerMgmt)` (or `A|B`: any one of them). */
export interface PermissionFailure {
  path: string;
  privileges: string[];
  /** `A|B`: PVE accepts any one of the privileges (RPCEnvironment `check_any`) */
  anyOf: boolean;
}

/** PVE's 403 text, as pve-access-control's RPCEnvironment raises it: `"$path, $priv"` or `"$path, " . join("|", @privs)`. */
const PERMISSION_FAILED = /Permission check failed \((\/[^,)]*), ([A-Za-z.|]+)\)/;

export function parsePermissionFailure(message: string): PermissionFailure | undefined {
  const m = PERMISSION_FAILED.exec(message);
  if (!m) return undefined;
  const privileges = (m[2] as string).split("|").filter(Boolean);
  return { path: m[1] as string, privileges, anyOf: privileges.length > 1 };
}

/** `pveum acl modify <path> --tokens '<id>' --roles <Role>` (or `--users` for a password login). */
export function grantCommand(path: string, role: string, who: Grantee): string {
  const token = who.auth !== "ticket";
  const id = who.identity && who.identity !== "unknown" ? who.identity : token ? "<user@realm!token>" : "<user@realm>";
  return `pveum acl modify ${path} --${token ? "tokens" : "users"} '${id}' --roles ${role}`;
}

/** Advice for one missing set of privileges on one path: the least powerful built-in role that has them, and the command. */
export function grantAdvice(path: string, privileges: readonly string[], who: Grantee): { role: string | undefined; others: string[]; command?: string } {
  const roles = rolesWith(privileges);
  const role = roles[0];
  return { role, others: roles.slice(1), ...(role ? { command: grantCommand(path, role, who) } : {}) };
}

/**
 * What to do about a 403: the missing privilege, its path, the least powerful built-in role that has it and the
 * exact `pveum acl modify` command. Undefined when the message names no privilege.
 */
export function permissionHint(message: string, who: Grantee): string | undefined {
  const f = parsePermissionFailure(message);
  if (!f) return undefined;
  // for "any of": the first privilege PVE lists that a role short of Administrator holds
  const candidates = f.anyOf ? f.privileges.map((p) => rolesWith([p])) : [rolesWith(f.privileges)];
  const best = candidates.find((roles) => roles.some((r) => r !== "Administrator")) ?? candidates.find((roles) => roles.length);
  const what = f.anyOf ? `one of the privileges ${f.privileges.join(", ")}` : `the privilege ${f.privileges.join(", ")}`;
  const lines = [`The ${who.auth === "ticket" ? "user" : "token"} lacks ${what} on ${f.path}.`];
  if (!best) {
    lines.push("No built-in role but Administrator holds it; a PVE administrator has to grant it (pveum acl modify).");
    return lines.join("\n");
  }
  const role = best[0] as string;
  lines.push(
    `The least powerful built-in role with it is ${role}${best.length > 1 ? ` (also: ${best.slice(1).join(", ")})` : ""}. A PVE administrator can grant it with:`,
    `  ${grantCommand(f.path, role, who)}`,
  );
  const broader = privilegePath(f.privileges[0] ?? "");
  if (broader !== f.path && f.path.startsWith(`${broader === "/" ? "" : broader}/`)) lines.push(`  (or on ${broader} for all of them)`);
  if (who.auth !== "ticket") lines.push("With privilege separation the token's user must hold the privilege as well.");
  return lines.join("\n");
}
