import { daemonPid } from "../event-log";
import { PveHttpError } from "../pve-http-error";
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
    result = challenge ? { ...access.completeTfa(username, challenge, password), needTfa: false } : access.login(username, password, ctx.str("realm"), ctx.str("otp"));
  } catch (err) {
    // pvedaemon's words in the journal (PVE::AccessControl authenticate_user failure)
    ctx.world.events.record(node, "pvedaemon", daemonPid(node), "", `authentication failure; rhost=::ffff:127.0.0.1 user=${username} msg=${(err as Error).message}`, { local: true, pri: 3 });
    throw err;
  }
  if (!result.needTfa) ctx.world.events.record(node, "pvedaemon", daemonPid(node), result.userid, `successful auth for user '${result.userid}'`, { local: true });
  const base = { username: result.userid, ticket: result.ticket, clustername: ctx.state.clusterName };
  if (result.needTfa) return { ...base, NeedTFA: 1 };
  return { ...base, CSRFPreventionToken: result.csrf, cap: {} };
}

export const accessEndpoints: Endpoint[] = [
  on("POST /access/ticket", login),
  on("GET /access/ticket", () => null),
  on("GET /access/domains", () => [
    { realm: "pam", type: "pam", comment: "Linux PAM standard authentication" },
    { realm: "pve", type: "pve", comment: "Proxmox VE authentication server", default: 1 },
  ]),
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
];
