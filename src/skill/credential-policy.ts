import type { PveClientOptions } from "../runtime/client";
import { parseBaseUrl } from "../runtime/base-url";
import { resolveClientOptions } from "../runtime/config/from-env";
import { normalizeFingerprint, type TlsOptions } from "../runtime/tls";
import type { ConnectionFlags } from "./connection-flags";

/**
 * Why the configured credentials must not go where these flags point, or undefined when they may:
 * - a plain `http://` host needs `--allow-http`;
 * - a `--host` other than the configured host gets them only when it is checked with the same TLS trust
 *   as the configured one (its pinned fingerprint or its CA, not changed on the command line), or with
 *   `--trust-host`. With no host configured, `--host` is the host.
 */
export function credentialProblem(flags: ConnectionFlags, env: NodeJS.ProcessEnv, options: PveClientOptions): string | undefined {
  if (!options.auth) return undefined;
  const target = parseBaseUrl(String(options.baseUrl), options.port);
  if (target.protocol === "http:" && !flags.allowHttp) {
    return `${target.origin} is plain http://: the credentials would travel unencrypted. Use https://, or pass --allow-http for a local test server.`;
  }
  if (!(flags.host || flags.config) || flags.trustHost) return undefined;
  // the configuration as the operator left it: environment, credentials file, $PVEKIT_CONFIG (not --config)
  let configured: PveClientOptions | undefined;
  try {
    configured = resolveClientOptions({ env, logger: {} }).options;
  } catch {
    return undefined; // nothing configured to compare with: --host (or --config's host) is the host
  }
  // credentials a --config file brings of its own are that host's to receive
  if (!configured.auth || !sameCredentials(configured.auth, options.auth)) return undefined;
  const home = parseBaseUrl(String(configured.baseUrl), configured.port);
  if (home.origin === target.origin) return undefined;
  if (sameTrust(configured.tls, options.tls)) return undefined;
  const via = flags.host ? `--host ${target.origin}` : `The host ${target.origin} of --config ${flags.config}`;
  return (
    `${via} differs from the configured host ${home.origin}: the configured credentials go to another host ` +
    "only when it is verified by the same pinned fingerprint or CA as the configured host (PROXMOX_FINGERPRINT / PROXMOX_CA_PATH, " +
    "not replaced by --fingerprint, --ca, --insecure or another --config). Pass --trust-host to send them there anyway."
  );
}

/** The same token (id and secret) or the same user and password. */
function sameCredentials(a: NonNullable<PveClientOptions["auth"]>, b: NonNullable<PveClientOptions["auth"]>): boolean {
  const x = a as { tokenId?: string; secret?: string; username?: string; password?: string };
  const y = b as typeof x;
  if (x.secret !== undefined || y.secret !== undefined) return x.secret === y.secret;
  return x.password !== undefined && x.password === y.password;
}

/** The same pin or the same CA (system CAs and --insecure are no trust of their own to share). */
function sameTrust(configured: TlsOptions | undefined, effective: TlsOptions | undefined): boolean {
  if (!configured || !effective || configured.insecure || effective.insecure || configured.verify === false) return false;
  if (configured.fingerprint && effective.fingerprint)
    return normalizeFingerprint(configured.fingerprint) === normalizeFingerprint(effective.fingerprint);
  if (configured.ca && effective.ca && !configured.fingerprint && !effective.fingerprint) return String(configured.ca) === String(effective.ca);
  return false;
}

