import type { Auth } from "../auth/auth";
import type { Clock } from "../clock";
import { PveError } from "../errors";
import type { Logger } from "../logger";
import type { RetryOptions } from "../retry";
import { findPvesh } from "./find-pvesh";
import { PveshTransport } from "./pvesh-transport";
import { DEFAULT_MAX_RESPONSE_BYTES } from "../transport";
import type { RunCommand } from "./run-process";

/** Options of `PveClient.local()`. */
export interface LocalClientOptions {
  /** the pvesh executable: a name looked up on `PATH` or a path (default `pvesh`) */
  pvesh?: string;
  /** environment of the pvesh process, whose `PATH` is searched (default `process.env`) */
  env?: NodeJS.ProcessEnv;
  /** how long a GET may take, in ms (default 30000); changes run until pvesh exits, see README */
  timeoutMs?: number;
  /** pvesh output beyond this many bytes stops it with `PVE_ERR_RESPONSE_TOO_LARGE` (default 64 MiB, as over HTTPS) */
  maxResponseBytes?: number;
  /** retries for GET requests (default `{ retries: 2 }`); `false` turns them off */
  retry?: RetryOptions | false;
  /** check parameters against the schema before running pvesh (default true) */
  validate?: boolean;
  logger?: Logger;
  clock?: Clock;
  /** runs the pvesh process (tests) */
  run?: RunCommand;
}

/** pvesh runs every call as root@pam (PVE::RESTEnvironment::setup_default_cli_env); there are no credentials. */
export const localAuth: Auth = {
  kind: "local",
  user: "root@pam",
  headers: async () => ({}),
  refresh: async () => false,
};

/** The pvesh transport for `PveClient.local()`; throws when pvesh cannot be found. */
export function createLocalTransport(options: LocalClientOptions, clock: Clock, logger: Logger): PveshTransport {
  const env = options.env ?? process.env;
  const name = options.pvesh ?? "pvesh";
  const command = findPvesh(env, name);
  if (!command) {
    throw new PveError(
      `${name === "pvesh" ? "pvesh is not on PATH" : `${name} is not an executable`}: local mode runs on a Proxmox VE node, where pve-manager installs /usr/bin/pvesh`,
      "PVE_ERR_CONFIG",
    );
  }
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!(maxResponseBytes > 0)) throw new PveError(`maxResponseBytes must be a positive number of bytes (got ${String(maxResponseBytes)})`, "PVE_ERR_CONFIG");
  return new PveshTransport({
    command,
    env,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxResponseBytes,
    retry: options.retry ?? {},
    clock,
    logger,
    run: options.run,
  });
}
