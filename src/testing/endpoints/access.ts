import { randomUUID } from "node:crypto";
import { splitList } from "../../generated/property-string";
import { type AclEntry, type TokenRecord, type UserRecord, aclType } from "../access-control";
import { daemonPid } from "../event-log";
import { PveHttpError, fail, paramError } from "../pve-http-error";
import { ALL_PRIVILEGES } from "../../runtime/pve-privileges";
import type { SimContext } from "../sim-context";
import { type Endpoint, on } from "./endpoint";

/** Top-level ACL paths `/access/permissions` reports when no path is asked for. */
const PATHS = ["/", "/access", "/nodes", "/pool", "/sdn", "/storage", "/vms"];

function login(ctx: SimContext): unknown {
  const username = ctx.req("username");
  const password = ctx.req("password");
  const access = ctx.world.access;
  const challenge = ctx.str("tfa-challenge");
  const node = ctx.state.nodes[0]?.name ?? "localhost";
  let result: ReturnType<typeof access.login>;
  try {
    result = challenge
      ? { ...access.completeTfa(username, challenge, password), needTfa: false }
      : access.login(username, password, ctx.str("realm"), ctx.str("otp"));
  } catch (err) {
    // pvedaemon's words in the journal (PVE::AccessControl authenticate_user failure)
    ctx.world.events.record(
      node,
      "pvedaemon",
      daemonPid(node),
      "",
      `authentication failure; rhost=::ffff:127.0.0.1 user=${username} msg=${(err as Error).message}`,
      { local: true, pri: 3 },
    );
    throw err;
  }
  if (!result.needTfa)
    ctx.world.events.record(node, "pvedaemon", daemonPid(node), result.userid, `successful auth for user '${result.userid}'`, { local: true });
  const base = {
    username: result.userid,
    ticket: result.ticket,
    clustername: ctx.state.clusterName,
  };
  if (result.needTfa) return { ...base, NeedTFA: 1 };
  return { ...base, CSRFPreventionToken: result.csrf, cap: {} };
}

const realmOf = (userid: string): string => userid.slice(userid.lastIndexOf("@") + 1);

/**
 * Work done under user.cfg's lock: PVE::AccessControl::lock_user_config prefixes what fails there
 * ("create user failed: user 'x' already exists").
 */
function locked<T>(errmsg: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PveHttpError && err.status !== 500) throw err;
    throw fail(`${errmsg}: ${(err as Error).message}`);
  }
}

/** pve-access-control PVE::AccessControl check_user_exist. */
function userOf(ctx: SimContext, userid = ctx.req("userid")): UserRecord {
  const u = ctx.world.access.users.get(userid);
  if (!u) throw fail(`no such user ('${userid}')`);
  return u;
}

/**
 * The `userid-group` check of pve-access-control API2/User.pm: `privs` on /access/groups, or on a group
 * the user belongs to; `self` lets users see and manage their own tokens.
 */
function checkUserGroup(ctx: SimContext, userid: string, privs: readonly string[], self = false): void {
  if (self && ctx.auth.userid === userid) return;
  if (ctx.can("/access/groups", privs, true)) return;
  const u = ctx.world.access.users.get(userid);
  for (const g of u?.groups ?? []) if (ctx.can(`/access/groups/${g}`, privs, true)) return;
  ctx.check("/access/groups", privs, true);
}

function tokenView(t: TokenRecord): Record<string, unknown> {
  return {
    privsep: t.privsep ? 1 : 0,
    ...(t.expire !== undefined ? { expire: t.expire } : {}),
    ...(t.comment !== undefined ? { comment: t.comment } : {}),
  };
}

function userTokens(ctx: SimContext, userid: string): TokenRecord[] {
  return [...ctx.world.access.tokens.values()].filter((t) => t.userid === userid).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** API2/User.pm $extract_user_data. */
function userData(ctx: SimContext, u: UserRecord, full: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { enable: u.enable ? 1 : 0 };
  if (u.expire !== undefined) out.expire = u.expire;
  for (const k of ["firstname", "lastname", "email", "comment", "keys"] as const) if (u[k] !== undefined) out[k] = u[k];
  if (!full) return out;
  out.groups = [...u.groups].sort();
  out.tokens = Object.fromEntries(userTokens(ctx, u.userid).map((t) => [t.name, tokenView(t)]));
  return out;
}

function listUsers(ctx: SimContext): unknown[] {
  const full = ctx.bool("full");
  const enabled = ctx.str("enabled");
  const all = ctx.can("/access/groups", ["User.Modify", "Sys.Audit"], true);
  const out: Record<string, unknown>[] = [];
  for (const u of [...ctx.world.access.users.values()].sort((a, b) => (a.userid < b.userid ? -1 : 1))) {
    const mayGroup = [...u.groups].some((g) => ctx.can(`/access/groups/${g}`, ["User.Modify", "Sys.Audit"], true));
    if (!(all || mayGroup || u.userid === ctx.auth.userid)) continue;
    if (enabled !== undefined && u.enable !== ctx.bool("enabled")) continue;
    const e = userData(ctx, u, full);
    if (full) {
      e.groups = (e.groups as string[]).join(",");
      e.tokens = userTokens(ctx, u.userid).map((t) => ({
        tokenid: t.name,
        ...tokenView(t),
      }));
    }
    const realm = ctx.world.access.realms.get(realmOf(u.userid));
    if (realm) e["realm-type"] = realm.type;
    e.userid = u.userid;
    out.push(e);
  }
  return out;
}

function setGroups(ctx: SimContext, u: UserRecord, text: string | undefined, append: boolean): void {
  if (text === undefined) return;
  const groups = splitList(text);
  for (const g of groups) if (!ctx.world.access.groups.has(g)) throw fail(`no such group '${g}'`);
  if (!append) u.groups.clear();
  for (const g of groups) u.groups.add(g);
}

function createUser(ctx: SimContext): null {
  const userid = ctx.req("userid");
  const realm = realmOf(userid);
  ctx.check(`/access/realm/${realm}`, ["Realm.AllocateUser"]);
  const groups = splitList(ctx.str("groups") ?? "");
  if (groups.length === 0) ctx.check("/access/groups", ["User.Modify"]);
  for (const g of groups) ctx.check(`/access/groups/${g}`, ["User.Modify"]);
  const access = ctx.world.access;
  return locked("create user failed", () => {
    if (!access.realms.has(realm)) throw fail(`domain '${realm}' does not exist`);
    if (access.users.has(userid)) throw fail(`user '${userid}' already exists`);
    const password = ctx.str("password");
    // PVE::AccessControl::domain_set_password: only the pve realm stores passwords
    if (password !== undefined && access.realms.get(realm)?.type !== "pve")
      throw fail(`setting password for realm type '${access.realms.get(realm)?.type}' is not supported`);
    const u: UserRecord = {
      userid,
      enable: ctx.str("enable") === undefined ? true : ctx.bool("enable"),
      groups: new Set(),
    };
    setGroups(ctx, u, ctx.str("groups"), true);
    const expire = ctx.int("expire");
    if (expire) u.expire = expire;
    for (const k of ["firstname", "lastname", "email", "comment", "keys"] as const) {
      const v = ctx.str(k);
      if (v) u[k] = v;
    }
    if (password !== undefined) u.password = password;
    access.users.set(userid, u);
    return null;
  });
}

function updateUser(ctx: SimContext): null {
  checkUserGroup(ctx, ctx.req("userid"), ["User.Modify"]);
  return locked("update user failed", () => {
    const u = userOf(ctx);
    setGroups(ctx, u, ctx.str("groups"), ctx.bool("append"));
    if (ctx.str("enable") !== undefined) u.enable = ctx.bool("enable");
    const expire = ctx.int("expire");
    if (expire !== undefined) u.expire = expire;
    for (const k of ["firstname", "lastname", "email", "comment", "keys"] as const) {
      const v = ctx.str(k);
      if (v !== undefined) u[k] = v;
    }
    return null;
  });
}

function token(ctx: SimContext): TokenRecord {
  const u = userOf(ctx);
  const name = ctx.req("tokenid");
  const t = ctx.world.access.tokens.get(`${u.userid}!${name}`);
  // PVE::AccessControl check_token_exist
  if (!t) throw fail(`no such token '${name}' for user '${u.userid}'`);
  return t;
}

const tokenEndpoints: Endpoint[] = [
  on("GET /access/users/{userid}/token", (ctx) => {
    const u = userOf(ctx);
    checkUserGroup(ctx, u.userid, ["User.Modify", "Sys.Audit"], true);
    return userTokens(ctx, u.userid).map((t) => ({
      tokenid: t.name,
      ...tokenView(t),
    }));
  }),
  on("GET /access/users/{userid}/token/{tokenid}", (ctx) => {
    checkUserGroup(ctx, ctx.req("userid"), ["User.Modify", "Sys.Audit"], true);
    return tokenView(token(ctx));
  }),
  // API2/User.pm generate_token: the secret is in the answer, once
  on("POST /access/users/{userid}/token/{tokenid}", (ctx) => {
    const u = userOf(ctx);
    checkUserGroup(ctx, u.userid, ["User.Modify"], true);
    const name = ctx.req("tokenid");
    if (ctx.world.access.tokens.has(`${u.userid}!${name}`)) throw paramError({ tokenid: "Token already exists." });
    const expire = ctx.int("expire");
    const comment = ctx.str("comment");
    const t = ctx.world.access.createToken(u.userid, name, {
      privsep: ctx.str("privsep") === undefined ? true : ctx.bool("privsep"),
      ...(expire ? { expire } : u.expire ? { expire: u.expire } : {}),
      ...(comment !== undefined ? { comment } : {}),
    });
    return { info: tokenView(t), value: t.secret, "full-tokenid": t.authid };
  }),
  on("PUT /access/users/{userid}/token/{tokenid}", (ctx) => {
    checkUserGroup(ctx, ctx.req("userid"), ["User.Modify"], true);
    const t = token(ctx);
    if (ctx.str("privsep") !== undefined) t.privsep = ctx.bool("privsep");
    const expire = ctx.int("expire");
    if (expire !== undefined) t.expire = expire;
    const comment = ctx.str("comment");
    if (comment !== undefined) t.comment = comment;
    for (const k of splitList(ctx.str("delete") ?? "")) {
      if (k === "comment") delete t.comment;
      else if (k === "expire") delete t.expire;
      else throw paramError({ delete: `unknown option '${k}'` });
    }
    const out: Record<string, unknown> = { ...tokenView(t) };
    if (ctx.bool("regenerate")) {
      t.secret = randomUUID();
      out.value = t.secret;
      out["full-tokenid"] = t.authid;
    }
    return out;
  }),
  on("DELETE /access/users/{userid}/token/{tokenid}", (ctx) => {
    checkUserGroup(ctx, ctx.req("userid"), ["User.Modify"], true);
    ctx.world.access.deleteToken(token(ctx).authid);
    return null;
  }),
];

const userEndpoints: Endpoint[] = [
  on("GET /access/users", listUsers),
  on("POST /access/users", createUser),
  on("GET /access/users/{userid}", (ctx) => {
    checkUserGroup(ctx, ctx.req("userid"), ["User.Modify", "Sys.Audit"]);
    return userData(ctx, userOf(ctx), true);
  }),
  on("PUT /access/users/{userid}", updateUser),
  on("DELETE /access/users/{userid}", (ctx) => {
    const userid = ctx.req("userid");
    ctx.check(`/access/realm/${realmOf(userid)}`, ["Realm.AllocateUser"]);
    checkUserGroup(ctx, userid, ["User.Modify"]);
    return locked("delete user failed", () => {
      ctx.world.access.deleteUser(userOf(ctx).userid);
      return null;
    });
  }),
  // PVE/API2/AccessControl.pm change_password: own password, or Realm.AllocateUser + User.Modify; pve realm only
  on("PUT /access/password", (ctx) => {
    const u = userOf(ctx);
    if (u.userid !== ctx.auth.userid) {
      ctx.check(`/access/realm/${realmOf(u.userid)}`, ["Realm.AllocateUser"]);
      checkUserGroup(ctx, u.userid, ["User.Modify"]);
    }
    const type = ctx.world.access.realms.get(realmOf(u.userid))?.type;
    if (type !== "pve" && u.userid !== "root@pam") throw fail(`setting password for realm type '${type}' is not supported`);
    u.password = ctx.req("password");
    return null;
  }),
];

function group(ctx: SimContext) {
  const id = ctx.req("groupid");
  const g = ctx.world.access.groups.get(id);
  if (!g) throw fail(`group '${id}' does not exist`);
  return g;
}

const members = (ctx: SimContext, groupid: string): string[] =>
  [...ctx.world.access.users.values()]
    .filter((u) => u.groups.has(groupid))
    .map((u) => u.userid)
    .sort();

const groupEndpoints: Endpoint[] = [
  on("GET /access/groups", (ctx) => {
    const all = ctx.can("/access/groups", ["Sys.Audit", "Group.Allocate"], true);
    return [...ctx.world.access.groups.values()]
      .filter((g) => all || ctx.can(`/access/groups/${g.groupid}`, ["Sys.Audit", "Group.Allocate"], true))
      .sort((a, b) => (a.groupid < b.groupid ? -1 : 1))
      .map((g) => ({
        groupid: g.groupid,
        ...(g.comment !== undefined ? { comment: g.comment } : {}),
        users: members(ctx, g.groupid).join(","),
      }));
  }),
  on("POST /access/groups", (ctx) => {
    ctx.check("/access/groups", ["Group.Allocate"]);
    const id = ctx.req("groupid");
    if (ctx.world.access.groups.has(id)) throw fail(`create group failed: group '${id}' already exists`); // lock_user_config's prefix
    const comment = ctx.str("comment");
    ctx.world.access.groups.set(id, {
      groupid: id,
      ...(comment !== undefined ? { comment } : {}),
    });
    return null;
  }),
  on("GET /access/groups/{groupid}", (ctx) => {
    ctx.check("/access/groups", ["Sys.Audit", "Group.Allocate"], true);
    const g = group(ctx);
    return {
      ...(g.comment !== undefined ? { comment: g.comment } : {}),
      members: members(ctx, g.groupid),
    };
  }),
  on("PUT /access/groups/{groupid}", (ctx) => {
    ctx.check("/access/groups", ["Group.Allocate"]);
    const g = locked("update group failed", () => group(ctx));
    const comment = ctx.str("comment");
    if (comment !== undefined) g.comment = comment;
    return null;
  }),
  on("DELETE /access/groups/{groupid}", (ctx) => {
    ctx.check("/access/groups", ["Group.Allocate"]);
    const g = locked("delete group failed", () => group(ctx));
    const access = ctx.world.access;
    access.groups.delete(g.groupid);
    for (const u of access.users.values()) u.groups.delete(g.groupid);
    access.removeAcl((e) => (e.type ?? aclType(e.ugid)) === "group" && e.ugid === g.groupid);
    return null;
  }),
];

/** Realm types the API may create (pve-access-control API2/Domains.pm: pam and pve are built in). */
const CREATABLE_REALMS = new Set(["ad", "ldap", "openid"]);
const REALM_CONTROL = new Set(["realm", "type", "comment", "default", "digest", "delete", "password", "client-key", "check-connection"]);

const domainEndpoints: Endpoint[] = [
  // world-readable: the login box needs it (Domains.pm index, user => 'world')
  on("GET /access/domains", (ctx) =>
    [...ctx.world.access.realms.values()].map((r) => ({
      realm: r.realm,
      type: r.type,
      ...(r.comment ? { comment: r.comment } : {}),
      ...(r.default ? { default: 1 } : {}),
    })),
  ),
  on("POST /access/domains", (ctx) => {
    ctx.check("/access/realm", ["Realm.Allocate"]);
    const realm = ctx.req("realm");
    const type = ctx.req("type");
    const access = ctx.world.access;
    if (access.realms.has(realm)) throw fail(`add auth server failed: domain '${realm}' already exists`);
    if (realm === "pam" || realm === "pve") throw fail(`add auth server failed: unable to use reserved name '${realm}'`);
    if (!CREATABLE_REALMS.has(type)) throw fail(`add auth server failed: unable to create builtin type '${type}'`);
    const options: Record<string, string> = {};
    for (const k of Object.keys(ctx.params)) if (!REALM_CONTROL.has(k)) options[k] = ctx.str(k) as string;
    if (ctx.bool("default")) for (const r of access.realms.values()) r.default = false;
    const comment = ctx.str("comment");
    access.realms.set(realm, {
      realm,
      type,
      ...(comment !== undefined ? { comment } : {}),
      ...(ctx.bool("default") ? { default: true } : {}),
      options,
    });
    return null;
  }),
  on("GET /access/domains/{realm}", (ctx) => {
    ctx.check("/access/realm", ["Realm.Allocate", "Sys.Audit"], true);
    const r = ctx.world.access.realms.get(ctx.req("realm"));
    if (!r) throw fail(`domain '${ctx.req("realm")}' does not exist`);
    return {
      type: r.type,
      ...(r.comment !== undefined ? { comment: r.comment } : {}),
      ...(r.default ? { default: 1 } : {}),
      ...(r.options ?? {}),
      digest: "0".repeat(40),
    };
  }),
  on("PUT /access/domains/{realm}", (ctx) => {
    ctx.check("/access/realm", ["Realm.Allocate"]);
    const access = ctx.world.access;
    const r = access.realms.get(ctx.req("realm"));
    if (!r) throw fail(`update auth server failed: domain '${ctx.req("realm")}' does not exist`);
    const comment = ctx.str("comment");
    if (comment !== undefined) r.comment = comment;
    if (ctx.bool("default")) for (const x of access.realms.values()) x.default = x === r;
    r.options ??= {};
    for (const k of Object.keys(ctx.params)) if (!REALM_CONTROL.has(k)) r.options[k] = ctx.str(k) as string;
    for (const k of splitList(ctx.str("delete") ?? "")) delete r.options[k];
    return null;
  }),
  on("DELETE /access/domains/{realm}", (ctx) => {
    ctx.check("/access/realm", ["Realm.Allocate"]);
    const id = ctx.req("realm");
    const r = ctx.world.access.realms.get(id);
    if (!r) throw fail(`delete auth server failed: authentication domain '${id}' does not exist`);
    if (r.type === "pam" || r.type === "pve") throw fail(`delete auth server failed: can't remove builtin realm '${id}'`);
    ctx.world.access.realms.delete(id);
    return null;
  }),
];

function checkPrivs(text: string): string[] {
  const privs = splitList(text);
  for (const p of privs) if (!ALL_PRIVILEGES.includes(p)) throw paramError({ privs: `invalid privilege '${p}'` });
  return privs;
}

function role(ctx: SimContext) {
  const id = ctx.req("roleid");
  const r = ctx.world.access.roles.get(id);
  if (!r) throw fail(`role '${id}' does not exist`);
  return { id, r };
}

const roleEndpoints: Endpoint[] = [
  on("GET /access/roles", (ctx) =>
    [...ctx.world.access.roles.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([roleid, r]) => ({
        roleid,
        privs: [...r.privs].sort().join(","),
        special: r.special ? 1 : 0,
      })),
  ),
  on("GET /access/roles/{roleid}", (ctx) => Object.fromEntries([...role(ctx).r.privs].sort().map((p) => [p, 1]))),
  on("POST /access/roles", (ctx) => {
    ctx.check("/access", ["Sys.Modify"]);
    const id = ctx.req("roleid");
    if (/^PVE/i.test(id))
      throw paramError({
        roleid: "cannot use role ID starting with the (case-insensitive) 'PVE' namespace",
      });
    if (ctx.world.access.roles.has(id)) throw fail(`create role failed: role '${id}' already exists`);
    ctx.world.access.roles.set(id, {
      privs: new Set(checkPrivs(ctx.str("privs") ?? "")),
      special: false,
    });
    return null;
  }),
  on("PUT /access/roles/{roleid}", (ctx) => {
    ctx.check("/access", ["Sys.Modify"]);
    const id = ctx.req("roleid");
    if (ctx.world.access.roles.get(id)?.special) throw fail(`auto-generated role '${id}' cannot be modified`);
    const { r } = locked("update role failed", () => role(ctx));
    const privs = checkPrivs(ctx.str("privs") ?? "");
    if (!ctx.bool("append")) r.privs.clear();
    for (const p of privs) r.privs.add(p);
    return null;
  }),
  on("DELETE /access/roles/{roleid}", (ctx) => {
    ctx.check("/access", ["Sys.Modify"]);
    const id = ctx.req("roleid");
    if (ctx.world.access.roles.get(id)?.special) throw fail(`auto-generated role '${id}' cannot be deleted`);
    locked("delete role failed", () => role(ctx));
    ctx.world.access.roles.delete(id);
    ctx.world.access.removeAcl((e) => e.roleid === id);
    return null;
  }),
];

/** `perm-modify` (PVE::RPCEnvironment check_perm_modify): Permissions.Modify on the path, or the object's own allocate privilege. */
function mayModifyPerms(ctx: SimContext, path: string): boolean {
  if (ctx.can(path, ["Permissions.Modify"])) return true;
  if (/^\/vms\//.test(path)) return ctx.can(path, ["VM.Allocate"]);
  if (/^\/storage\//.test(path)) return ctx.can(path, ["Datastore.Allocate"]);
  if (/^\/pool\//.test(path)) return ctx.can(path, ["Pool.Allocate"]);
  return false;
}

const aclEndpoints: Endpoint[] = [
  on("GET /access/acl", (ctx) => {
    const audit = ctx.can("/access", ["Sys.Audit"]);
    return ctx.world.access.acl
      .filter((e) => audit || mayModifyPerms(ctx, e.path))
      .map((e) => ({
        path: e.path,
        type: e.type ?? aclType(e.ugid),
        ugid: e.ugid,
        roleid: e.roleid,
        propagate: e.propagate ? 1 : 0,
      }));
  }),
  // pve-access-control API2/ACL.pm update_acl
  on("PUT /access/acl", (ctx) => {
    const path = ctx.req("path").replace(/\/+$/, "") || "/";
    if (!/^\/(access|nodes|pool|sdn|storage|vms|mapping)?(\/[^/]+)*$/.test(path)) throw paramError({ path: `invalid ACL path '${ctx.req("path")}'` });
    if (!mayModifyPerms(ctx, path)) ctx.check(path, ["Permissions.Modify"]);
    const access = ctx.world.access;
    const roles = splitList(ctx.req("roles"));
    const users = splitList(ctx.str("users") ?? "");
    const groups = splitList(ctx.str("groups") ?? "");
    const tokens = splitList(ctx.str("tokens") ?? "");
    if (!users.length && !groups.length && !tokens.length)
      throw paramError({
        groups: "either 'users', 'groups' or 'tokens' is required.",
      });
    const remove = ctx.bool("delete");
    const propagate = ctx.str("propagate") === undefined ? true : ctx.bool("propagate");
    const subjects: { ugid: string; type: AclEntry["type"] }[] = [];
    for (const roleid of roles) if (!access.roles.has(roleid) && !remove) throw fail(`role '${roleid}' does not exist`);
    for (const g of groups) {
      if (!access.groups.has(g) && !remove) throw fail(`group '${g}' does not exist`);
      subjects.push({ ugid: g, type: "group" });
    }
    for (const u of users) {
      if (!access.users.has(u) && !remove) throw fail(`user '${u}' does not exist`);
      subjects.push({ ugid: u, type: "user" });
    }
    for (const t of tokens) {
      if (!access.tokens.has(t) && !remove) throw fail(`no such token '${t.split("!")[1]}' for user '${t.split("!")[0]}'`);
      subjects.push({ ugid: t, type: "token" });
    }
    for (const { ugid, type } of subjects) {
      for (const roleid of roles) {
        access.removeAcl((e) => e.path === path && e.ugid === ugid && e.roleid === roleid);
        if (!remove) access.acl.push({ path, ugid, roleid, propagate, type });
      }
    }
    return null;
  }),
];

export const accessEndpoints: Endpoint[] = [
  on("POST /access/ticket", login),
  on("GET /access/ticket", () => null),
  on("GET /access/permissions", (ctx) => {
    const userid = ctx.str("userid");
    let authid = ctx.auth.authid;
    if (userid !== undefined && userid !== authid) {
      // asking about someone else needs Sys.Audit on /access (PVE's rule)
      ctx.check("/access", ["Sys.Audit"]);
      authid = userid;
    }
    const path = ctx.str("path");
    const out: Record<string, Record<string, number>> = {};
    for (const p of path !== undefined ? [path] : PATHS) {
      const privs = ctx.world.access.privileges(authid, p);
      if (privs.size > 0 || path !== undefined) out[p] = Object.fromEntries([...privs].sort().map((x) => [x, 1]));
    }
    if (!authid) throw new PveHttpError(401, "No ticket");
    return out;
  }),
  ...userEndpoints,
  ...tokenEndpoints,
  ...groupEndpoints,
  ...domainEndpoints,
  ...roleEndpoints,
  ...aclEndpoints,
];
