import type { DeclaredPermissions } from "../generated/permissions";
import type { AccessControl, AuthInfo } from "./access-control";
import { PveHttpError } from "./pve-http-error";
import type { WireParams } from "./request-params";

/** `raise_perm_exc($what)` (pve-common PVE/Exception.pm): 403 `Permission check failed ($what)`. */
const permExc = (what?: string): PveHttpError => new PveHttpError(403, what === undefined ? "Permission check failed" : `Permission check failed (${what})`);

const scalar = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v);

/** pve-common PVE/Tools.pm template_replace: `{name}` → the parameter, `-` when it is missing or empty. */
export function templateReplace(tmpl: string, params: WireParams): string {
  return tmpl.replace(/\{([^}]+)\}/g, (_m, name: string) => scalar(params[name]) || "-");
}

/** pve-access-control PVE/AccessControl.pm normalize_path; undefined for a path with other characters. */
export function normalizePath(path: string): string | undefined {
  if (!path) return undefined;
  let p = path.replace(/\/+/g, "/").replace(/\/$/, "");
  if (!p) p = "/";
  if (!p.startsWith("/")) p = `/${p}`;
  return /^[A-Za-z0-9._\-/]+$/.test(p) ? p : undefined;
}

/**
 * The permission test PVE runs before a method's handler, and before its parameters are verified
 * (pve-manager PVE/HTTPServer.pm rest_handler → pve-access-control PVE/RPCEnvironment.pm
 * check_api2_permissions / exec_api2_perm_check), with the request's raw parameters. The caller is
 * the user of a ticket or the token of a token (only root@pam's ticket passes every test).
 */
export class DeclaredPermissionCheck {
  constructor(private readonly access: AccessControl) {}

  /** Throws 403 (or the user check's 500) unless `auth` passes `perm` (undefined: root@pam only). */
  check(perm: DeclaredPermissions | undefined, auth: AuthInfo, params: WireParams): void {
    const username = auth.authid;
    if (!username) throw permExc("user != null");
    if (username === "root@pam") return;
    if (!perm) throw permExc("user != root@pam");
    if (perm.user === "all" || perm.user === "world") return;
    if (perm.check) {
      this.exec(perm.check, auth, params, false);
      return;
    }
    throw permExc();
  }

  private exec(check: readonly unknown[], auth: AuthInfo, params: WireParams, noerr: boolean): boolean {
    const [test, ...rest] = check;
    switch (test) {
      case "and":
        for (const sub of rest) this.exec(sub as unknown[], auth, params, false);
        return true;
      case "or":
        for (const sub of rest) if (this.exec(sub as unknown[], auth, params, true)) return true;
        if (noerr) return false;
        throw permExc();
      case "perm": {
        const [tmpl, privs, ...opts] = rest as [string, string[], ...unknown[]];
        const options = Object.fromEntries(pairs(opts));
        const required = options["require_param"] as string | undefined;
        if (required !== undefined && params[required] === undefined) {
          if (noerr) return false;
          throw permExc();
        }
        return this.full(auth, normalizePath(templateReplace(tmpl, params)) ?? "", privs, Boolean(options["any"]), noerr);
      }
      case "userid-group":
        return this.useridGroup(rest, auth, params, noerr);
      case "userid-param": {
        // verify_username dies on a malformed user id whatever `noerr` says; only 'self' needs the user to exist
        const userid = verifyUsername(scalar(params["userid"]));
        const [subtest] = rest as [string];
        if (subtest === "self") {
          if (this.userExists(userid, noerr) === undefined) return false;
          if (auth.authid === userid) return true;
          if (noerr) return false;
          throw permExc();
        }
        const realm = userid.slice(userid.lastIndexOf("@") + 1);
        return this.full(auth, `/access/realm/${realm}`, ["Realm.AllocateUser"], false, noerr);
      }
      case "perm-modify": {
        const path = normalizePath(templateReplace(rest[0] as string, params));
        if (path === undefined) return false;
        // RPCEnvironment check_perm_modify: Permissions.Modify, or the object's own allocation privilege
        const privs = ["Permissions.Modify"];
        if (/^\/storage\/.+$/.test(path)) privs.push("Datastore.Allocate");
        else if (/^\/vms\/.+$/.test(path)) privs.push("VM.Allocate");
        else if (/^\/pool\/.+$/.test(path)) privs.push("Pool.Allocate");
        return this.full(auth, path, privs, true, noerr);
      }
      default:
        throw new Error("unknown permission test");
    }
  }

  /** RPCEnvironment check_full: check (all, the first missing one named) or check_any (`A|B`). */
  private full(auth: AuthInfo, path: string, privs: string[], any: boolean, noerr: boolean): boolean {
    if (this.access.has(auth, path, privs, any)) return true;
    if (noerr) return false;
    this.access.check(auth, path, privs, any);
    return false;
  }

  /** exec_api2_perm_check 'userid-group': privileges on all groups, or on the groups the user is (or is to be) in. */
  private useridGroup(rest: unknown[], auth: AuthInfo, params: WireParams, noerr: boolean): boolean {
    const [privs, ...opts] = rest as [string[], ...unknown[]];
    const groupsParam = Object.fromEntries(pairs(opts))["groups_param"] as string | undefined;
    const checkExisting = groupsParam !== "create";
    const userid = scalar(params["userid"]);
    if (checkExisting && this.userExists(userid, noerr) === undefined) return false;
    if (this.access.has(auth, "/access/groups", privs, true)) return true;
    const mine = new Set([...this.access.groups.keys()].filter((g) => this.access.has(auth, `/access/groups/${g}`, privs, true)));
    if (groupsParam) {
      const wanted = (scalar(params["groups"]) ?? "").split(/[,;\s]+/).filter(Boolean);
      if (wanted.length === 0) throw permExc(`/access/groups, ${privs.join("|")}`);
      for (const g of wanted) if (!mine.has(g)) throw permExc(`/access/groups/${g}, ${privs.join("|")}`);
    }
    if (checkExisting) {
      const member = [...(this.access.users.get(userid ?? "")?.groups ?? [])].some((g) => mine.has(g));
      if (!member) {
        if (noerr) return false;
        throw permExc();
      }
    }
    return true;
  }

  /** AccessControl check_user_exist: the user id, or undefined with `noerr`. */
  private userExists(userid: string | undefined, noerr: boolean): string | undefined {
    let name: string;
    try {
      name = verifyUsername(userid);
    } catch (err) {
      if (noerr) return undefined;
      throw err;
    }
    if (this.access.users.has(name)) return name;
    if (noerr) return undefined;
    throw new PveHttpError(500, `no such user ('${name}')`);
  }
}

/** pve-access-control PVE/Auth/Plugin.pm verify_username: the user id, or a 500 naming what is wrong with it. */
function verifyUsername(userid: string | undefined): string {
  const name = userid ?? "";
  if (name.length < 3) throw new PveHttpError(500, `user name '${name}' is too short`);
  if (name.length > 64) throw new PveHttpError(500, `user name '${name}' is too long (${name.length} > 64)`);
  if (!/^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$/.test(name)) throw new PveHttpError(500, `value '${name}' does not look like a valid user name`);
  return name;
}

/** Perl's `%options` after the positional ones: `("any", 1, "require_param", "x")` → key/value pairs. */
function pairs(list: unknown[]): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (let i = 0; i + 1 < list.length; i += 2) out.push([String(list[i]), list[i + 1]]);
  return out;
}
