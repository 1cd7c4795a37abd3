import { PveClient } from "../runtime/client";
import { resolveLogger } from "../runtime/logger";
import { configFilePath } from "../runtime/config/config-path";
import type { Clock } from "../runtime/clock";
import { resolveClientOptions, type FromEnvOptions } from "../runtime/config/from-env";
import { PveError } from "../runtime/errors";
import type { ConnectionInfo } from "./operations/operation";
import type { SkillClient } from "./skill-client";
import { flagsAsEnv, type ConnectionFlags } from "./connection-flags";
import { chooseLocal, connectLocal } from "./local-connection";

import { credentialProblem } from "./credential-policy";

export { flagsAsEnv, type ConnectionFlags } from "./connection-flags";
export { credentialProblem } from "./credential-policy";

/**
 * Builds the client the documented way (flags > environment > ~/.proxmox-credentials > YAML), or a local
 * one through pvesh (`--local`, or no host configured and pvesh on PATH: `connection.local` says which), and
 * a secret-free description of the connection for `doctor` and the audit log. `notice` receives
 * configuration warnings.
 */
export function connect(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  notice: (line: string) => void = () => {},
  extra: { clock?: Clock } = {},
): { pve: PveClient; client: SkillClient; connection: ConnectionInfo } {
  // local mode (pvesh on this node): asked for, or chosen when no host is configured and pvesh is on PATH
  const local = chooseLocal(flags, env, configFilePath(flags.config, env));
  if (local) {
    const { pve, connection } = connectLocal(local, flags, env);
    return { pve, client: skillClientFor(pve), connection };
  }
  // configuration warnings (a secret file others can read…) go where the caller's notices go
  const opts: FromEnvOptions = { env: flagsAsEnv(flags, env), logger: { warn: (m) => notice(`pvekit: ${m}`), debug: resolveLogger(undefined, env).debug } };
  if (flags.config) opts.configFile = flags.config;
  // --user means a password login, whatever token the environment, credentials file or YAML holds
  if (flags.user && !flags.tokenId) opts.preferPassword = true;
  const { options } = resolveClientOptions(opts);
  const problem = credentialProblem(flags, env, options);
  if (problem) throw new PveError(problem, "PVE_ERR_CONFIG");
  const pve = new PveClient({ ...options, ...(flags.allowHttp ? { allowHttp: true } : {}), ...(extra.clock ? { clock: extra.clock } : {}) });
  const auth = options.auth;
  const tls = options.tls;
  const connection: ConnectionInfo = {
    baseUrl: pve.baseUrl,
    auth: auth && "tokenId" in auth ? "token" : auth && "username" in auth ? "ticket" : "unknown",
    identity: auth && "tokenId" in auth ? auth.tokenId : auth && "username" in auth ? auth.username : "unknown",
    tls:
      tls && "insecure" in tls && tls.insecure
        ? "insecure"
        : tls && "fingerprint" in tls && tls.fingerprint
          ? "fingerprint"
          : tls && "ca" in tls && tls.ca
            ? "ca"
            : "verified",
  };
  return { pve, client: skillClientFor(pve), connection };
}

/** Adapts a `PveClient` to the structural interface the operations use. */
export function skillClientFor(pve: PveClient): SkillClient {
  return {
    request: (verb, path, params) => pve.requestRaw(verb, path, params ?? {}).then((env) => env.data),
    tasks: {
      wait: (upid, options) => pve.tasks.wait(upid, options),
      status: (upid) => pve.tasks.status(upid),
      log: (upid, options) => pve.tasks.log(upid, options),
    },
  };
}
