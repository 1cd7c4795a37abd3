import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { VirtualClock } from "./clock";
import type { SimCredentials } from "./credentials";
import { PveHttpError, authError, permissionError } from "./pve-http-error";
import { ALL_PRIVILEGES, BUILTIN_ROLES as ROLES } from "../runtime/pve-privileges";
import { verifyTotp } from "./totp";

/** Who is calling: a user, or a user's API token (`authid` = `user@realm!name`). */
export interface AuthInfo {
  userid: string;
  authid: string;
  via: "ticket" | "token";
  /** ticket value, when authenticated by ticket (for fault injection: expiring it) */
  ticket?: string;
}

/** A user as user.cfg keeps it (pve-access-control PVE::AccessControl parse_user_config). */
export interface UserRecord {
  userid: string;
  enable: boolean;
  /** seconds since epoch, 0/undefined: never */
  expire?: number;
  firstname?: string;
  lastname?: string;
  email?: string;
  comment?: string;
  keys?: string;
  groups: Set<string>;
  /** pve-realm password (pam users: the simulator's stand-in for the host's) */
  password?: string;
  totpSecret?: string;
}

export interface TokenRecord {
  /** `user@realm!name` */
  authid: string;
  userid: string;
  name: string;
  secret: string;
  privsep: boolean;
  expire?: number;
  comment?: string;
}

export interface GroupRecord {
  groupid: string;
  comment?: string;
}

/** An authentication realm (domains.cfg). */
export interface RealmRecord {
  realm: string;
  type: string;
  comment?: string;
  default?: boolean;
  /** further domains.cfg options (server1, base_dn …) */
  options?: Record<string, string | number>;
}

export interface RoleRecord {
  privs: Set<string>;
  /** built-in role (PVE::AccessControl role_is_special): cannot be changed or deleted */
  special: boolean;
}

export interface AclEntry {
  path: string;
  ugid: string;
  roleid: string;
  propagate: boolean;
  /** user, group or API token (derived from `ugid` when not given) */
  type?: "user" | "group" | "token";
}

interface TicketRecord {
  userid: string;
  expiresAt: number;
  csrf: string;
  /** waiting for the second factor */
  tfa: boolean;
}

/** root@pam holds every privilege everywhere (shared, never changed). */
const ROOT_PRIVILEGES: ReadonlySet<string> = new Set(ALL_PRIVILEGES);

/** PVE tickets live two hours. */
const TICKET_LIFETIME_MS = 2 * 3600_000;

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The kind of an ACL subject: `user@realm!token`, `user@realm` or a group name. */
export const aclType = (ugid: string): "user" | "group" | "token" => (ugid.includes("!") ? "token" : ugid.includes("@") ? "user" : "group");

/** Users, groups, realms, roles, tokens, ACLs and tickets of the simulated cluster. */
export class AccessControl {
  readonly users = new Map<string, UserRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly realms = new Map<string, RealmRecord>();
  readonly roles = new Map<string, RoleRecord>();
  readonly acl: AclEntry[] = [];
  private readonly tickets = new Map<string, TicketRecord>();

  constructor(
    private readonly clock: VirtualClock,
    creds: SimCredentials,
  ) {
    for (const [roleid, privs] of Object.entries(ROLES)) this.roles.set(roleid, { privs: new Set(privs), special: true });
    this.realms.set("pam", { realm: "pam", type: "pam", comment: "Linux PAM standard authentication" });
    this.realms.set("pve", { realm: "pve", type: "pve", comment: "Proxmox VE authentication server", default: true });
    for (const u of [creds.root, creds.tfa, creds.auditor]) {
      this.users.set(u.username, { userid: u.username, enable: true, groups: new Set(), password: u.password, ...(u.totpSecret ? { totpSecret: u.totpSecret } : {}) });
    }
    (this.users.get("root@pam") as UserRecord).email = "root@example.invalid";
    this.addToken(creds.token.tokenId, creds.token.secret, false);
    this.addToken(creds.restrictedToken.tokenId, creds.restrictedToken.secret, true, "read-only token");
    this.groups.set("auditors", { groupid: "auditors", comment: "Read-only users" });
    (this.users.get("auditor@pve") as UserRecord).groups.add("auditors");
    this.acl.push(
      { path: "/", ugid: "tfa@pve", roleid: "PVEVMAdmin", propagate: true },
      { path: "/", ugid: "auditors", roleid: "PVEAuditor", propagate: true },
      { path: "/", ugid: "auditor@pve!readonly", roleid: "PVEAuditor", propagate: true },
    );
  }

  private addToken(authid: string, secret: string, privsep: boolean, comment?: string): void {
    const [userid, name] = authid.split("!") as [string, string];
    this.tokens.set(authid, { authid, userid, name, secret, privsep, ...(comment ? { comment } : {}) });
  }

  /** A new token for `userid` (POST /access/users/{userid}/token/{tokenid}); returns its secret once. */
  createToken(userid: string, name: string, opts: { privsep: boolean; expire?: number; comment?: string }): TokenRecord {
    const authid = `${userid}!${name}`;
    const record: TokenRecord = { authid, userid, name, secret: randomUUID(), privsep: opts.privsep, ...(opts.expire ? { expire: opts.expire } : {}), ...(opts.comment ? { comment: opts.comment } : {}) };
    this.tokens.set(authid, record);
    return record;
  }

  /** Removes a user with its tokens and ACL entries (PVE::API2::User delete_user). */
  deleteUser(userid: string): void {
    this.users.delete(userid);
    for (const [authid, t] of this.tokens) if (t.userid === userid) this.deleteToken(authid);
    this.removeAcl((e) => e.ugid === userid);
  }

  deleteToken(authid: string): void {
    this.tokens.delete(authid);
    this.removeAcl((e) => e.ugid === authid);
  }

  removeAcl(match: (e: AclEntry) => boolean): void {
    for (let i = this.acl.length - 1; i >= 0; i--) if (match(this.acl[i] as AclEntry)) this.acl.splice(i, 1);
  }

  /** Whether a user may log in now: enabled and not expired (PVE::AccessControl check_user_enabled). */
  private usable(u: UserRecord | undefined): u is UserRecord {
    return u !== undefined && u.enable && !(u.expire && u.expire > 0 && u.expire < this.clock.nowSeconds());
  }

  /** Password login (`POST /access/ticket`). Returns a full ticket, or a TFA challenge ticket. */
  login(username: string, password: string, realm: string | undefined, otp: string | undefined): { userid: string; ticket: string; csrf: string; needTfa: boolean } {
    const userid = realm && !username.includes("@") ? `${username}@${realm}` : username;
    const user = this.users.get(userid);
    if (!this.usable(user) || user.password === undefined) throw new PveHttpError(401, "authentication failure");
    // a valid ticket may stand in for the password (ticket renewal, as PVE allows)
    const renew = this.tickets.get(password);
    const ok = sameSecret(user.password, password) || (renew !== undefined && !renew.tfa && renew.userid === userid && renew.expiresAt > this.clock.now());
    if (!ok) throw new PveHttpError(401, "authentication failure");
    if (user.totpSecret && !renew) {
      if (otp === undefined) return { userid, ...this.issue(userid, true), needTfa: true };
      if (!verifyTotp(user.totpSecret, otp, this.clock.now())) throw new PveHttpError(401, "authentication failure");
    }
    return { userid, ...this.issue(userid, false), needTfa: false };
  }

  /** Second step of a TFA login: `tfa-challenge` = the partial ticket, password `totp:<code>`. */
  completeTfa(username: string, challenge: string, response: string): { userid: string; ticket: string; csrf: string } {
    const pending = this.tickets.get(challenge);
    const user = this.users.get(username);
    if (!pending || !pending.tfa || pending.userid !== username || pending.expiresAt <= this.clock.now() || !user?.totpSecret) {
      throw new PveHttpError(401, "authentication failure");
    }
    const code = response.replace(/^totp:/, "");
    if (!verifyTotp(user.totpSecret, code, this.clock.now())) throw new PveHttpError(401, "authentication failure");
    this.tickets.delete(challenge);
    return { userid: username, ...this.issue(username, false) };
  }

  private issue(userid: string, tfa: boolean): { ticket: string; csrf: string } {
    const time = this.clock.nowSeconds().toString(16).toUpperCase();
    const sig = randomBytes(48).toString("base64");
    const ticket = tfa ? `PVE:!tfa!${userid}:${time}::${sig}` : `PVE:${userid}:${time}::${sig}`;
    const csrf = `${time}:${randomBytes(32).toString("base64").replace(/=+$/, "")}`;
    this.tickets.set(ticket, { userid, expiresAt: this.clock.now() + TICKET_LIFETIME_MS, csrf, tfa });
    return { ticket, csrf };
  }

  /** Makes a ticket invalid (fault injection: "expired ticket"). */
  expireTicket(ticket: string): void {
    this.tickets.delete(ticket);
  }

  /**
   * Authenticates a request from its `Authorization` header or `PVEAuthCookie`; on writes
   * with a ticket the `CSRFPreventionToken` header must match (not for uploads). Fails as
   * PVE::HTTPServer::auth_handler (pve-manager PVE/HTTPServer.pm) does: `401 No ticket` without
   * credentials, `401 Authentication failed!` for any ticket or token that does not verify (why — no
   * such token, wrong secret, expired, disabled user — stays in pveproxy's log: `authentication
   * failure: …`), `401 Permission denied - invalid csrf token`; all without a body.
   */
  authenticate(headers: Record<string, string>, method: string, opts: { csrf?: boolean; path?: string } = {}): AuthInfo {
    const authz = headers["authorization"];
    const ticket = ticketFromCookie(headers["cookie"]) ?? (authz && /^PVEAuthCookie=/.test(authz) ? decode(authz.slice(14)) : undefined);
    // a ticket (cookie or header) wins over an API token (pve-http-server AnyEvent.pm: "fallback to API token if no ticket")
    if (ticket === undefined && authz !== undefined && /^PVEAPIToken[= ]/.test(authz.trim())) {
      const m = /^PVEAPIToken[= ](\S+?@\S+?!\S+?)[=:](\S+)$/.exec(authz.trim());
      const token = m ? this.tokens.get(m[1] as string) : undefined;
      if (!token || !this.tokenVerifies(token, (m as RegExpExecArray)[2] as string)) throw authError("Authentication failed!");
      return { userid: token.userid, authid: token.authid, via: "token" };
    }
    if (ticket === undefined) throw authError("No ticket");
    const t = this.tickets.get(ticket);
    if (!t || t.expiresAt <= this.clock.now() || !this.usable(this.users.get(t.userid))) throw authError("Authentication failed!");
    // a ticket still waiting for its second factor is good for POST /access/tfa only
    if (t.tfa && !(method === "POST" && opts.path === "/access/tfa")) throw authError("No ticket");
    if (method !== "GET" && opts.csrf !== false && headers["csrfpreventiontoken"] !== t.csrf) {
      throw authError("Permission denied - invalid csrf token");
    }
    return { userid: t.userid, authid: t.userid, via: "ticket", ticket };
  }

  /**
   * PVE::AccessControl::verify_token: the secret matches, the user is enabled and the token has not
   * expired (PVE logs which one failed; the caller only learns `Authentication failed!`).
   */
  private tokenVerifies(token: TokenRecord, secret: string): boolean {
    return sameSecret(token.secret, secret) && this.usable(this.users.get(token.userid)) && !(token.expire && token.expire < this.clock.nowSeconds());
  }

  /** Privileges `authid` holds on `path` (a token with privilege separation: the intersection with its user). */
  privileges(authid: string, path: string): ReadonlySet<string> {
    const token = authid.includes("!") ? this.tokens.get(authid) : undefined;
    const userid = token ? token.userid : authid;
    const userPrivs = this.ownPrivileges(userid, path, false);
    if (!token || !token.privsep) return userPrivs;
    const tokenPrivs = this.ownPrivileges(authid, path, true);
    return new Set([...tokenPrivs].filter((p) => userPrivs.has(p)));
  }

  private ownPrivileges(ugid: string, path: string, isToken: boolean): ReadonlySet<string> {
    if (ugid === "root@pam") return ROOT_PRIVILEGES;
    const groups = isToken ? new Set<string>() : (this.users.get(ugid)?.groups ?? new Set<string>());
    const out = new Set<string>();
    for (const e of this.acl) {
      const subject = e.type ?? aclType(e.ugid);
      if (!(e.ugid === ugid || (subject === "group" && groups.has(e.ugid)))) continue;
      const applies = e.path === path || (e.propagate && (e.path === "/" || path.startsWith(`${e.path}/`)));
      if (applies) for (const p of this.roles.get(e.roleid)?.privs ?? []) out.add(p);
    }
    return out;
  }

  /** Whether the caller holds all (or, with `any`, one) of `privs` on `path`. */
  has(auth: AuthInfo, path: string, privs: readonly string[], any = false): boolean {
    const held = this.privileges(auth.authid, path);
    return any ? privs.some((p) => held.has(p)) : privs.every((p) => held.has(p));
  }

  /** Throws 403 "Permission check failed (/vms/100, VM.PowerMgmt)" unless allowed. */
  check(auth: AuthInfo, path: string, privs: readonly string[], any = false): void {
    if (this.has(auth, path, privs, any)) return;
    const held = this.privileges(auth.authid, path);
    // PVE::RPCEnvironment check: the first privilege missing; check_any: all of them
    throw permissionError(path, any ? privs : privs.filter((p) => !held.has(p)).slice(0, 1));
  }
}

function decode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

function ticketFromCookie(cookie: string | undefined): string | undefined {
  if (!cookie) return undefined;
  for (const part of cookie.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === "PVEAuthCookie") return decode(part.slice(i + 1).trim());
  }
  return undefined;
}
