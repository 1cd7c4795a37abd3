import type { TLSSocket } from "node:tls";
import type { buildConnector as BuildConnector } from "undici";
import { buildConnector } from "./undici-parts";
import { PveError, PveTlsError } from "./errors";

/**
 * How the server's certificate is checked. Default: verified against the system CAs.
 * - `{ ca }`: trust these PEM certificates (e.g. the cluster's `pve-root-ca.pem`)
 * - `{ fingerprint: "AA:BB:…" }`: accept exactly the certificate with this SHA-256 fingerprint
 *   (as PVE shows it), self-signed or not; any other is refused before a request byte is sent
 * - `{ insecure: true }` (or `verify: false`): no check at all, for this client only
 */
export interface TlsOptions {
  verify?: boolean;
  ca?: string | Buffer | readonly (string | Buffer)[];
  fingerprint?: string;
  insecure?: boolean;
  /** SNI / certificate name to check instead of the URL's host */
  servername?: string;
}

let insecureWarned = false;

/** Normalises a SHA-256 fingerprint to PVE's `AA:BB:…` form (accepts lower case, no colons, `sha256:` prefix). */
export function normalizeFingerprint(input: string): string {
  const hex = input.trim().replace(/^sha256[:=/]?/i, "").replace(/[:\s-]/g, "").toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new PveError(
      "tls.fingerprint must be a SHA-256 fingerprint: 32 hex bytes such as AA:BB:…",
      "PVE_ERR_CONFIG",
    );
  }
  return hex.match(/../g)!.join(":");
}

/** Whether the options switch verification off. */
export function isInsecure(tls: TlsOptions | undefined): boolean {
  return tls?.insecure === true || tls?.verify === false;
}

/**
 * Builds undici's `connect` option for these TLS settings. Pinning wraps the connector: the
 * pin is checked on the finished handshake, before undici writes the request, and a mismatch
 * destroys the socket. Never touches NODE_TLS_REJECT_UNAUTHORIZED.
 */
export function tlsConnector(tls: TlsOptions | undefined, connectTimeoutMs?: number): BuildConnector.connector {
  const base: BuildConnector.BuildOptions = {};
  if (connectTimeoutMs !== undefined) base.timeout = connectTimeoutMs;
  if (tls?.servername) base.servername = tls.servername;
  if (tls?.fingerprint) {
    const pin = normalizeFingerprint(tls.fingerprint);
    // the pin replaces chain and name checks; no session cache, so every connection shows its certificate
    const connect = buildConnector({ ...base, rejectUnauthorized: false, maxCachedSessions: 0 });
    return (opts, callback) =>
      connect(opts, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error("no socket"), null);
        const got = (socket as TLSSocket).getPeerCertificate?.()?.fingerprint256;
        if (got !== pin) {
          socket.destroy();
          return callback(
            new PveTlsError(
              `Server certificate of ${opts.hostname} does not match the pinned fingerprint (got ${got ?? "no certificate"})`,
            ),
            null,
          );
        }
        callback(null, socket);
      });
  }
  if (isInsecure(tls)) {
    if (!insecureWarned) {
      insecureWarned = true;
      process.emitWarning(
        "pvekit: TLS certificate verification is off for a client (tls.insecure). Prefer tls.fingerprint to pin the server's certificate.",
        { code: "PVEKIT_INSECURE_TLS" },
      );
    }
    return buildConnector({ ...base, rejectUnauthorized: false });
  }
  if (tls?.ca) base.ca = tls.ca as string | Buffer | (string | Buffer)[];
  return buildConnector({ ...base, rejectUnauthorized: true });
}

const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|HOSTNAME/;

/** Turns a Node/undici TLS failure into a PveTlsError with a hint; undefined when `err` is not one. */
export function tlsErrorFrom(err: unknown, host: string): PveTlsError | undefined {
  if (err instanceof PveTlsError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !TLS_CODE.test(code)) return undefined;
  return new PveTlsError(
    `TLS verification of ${host} failed (${code}): pass tls: { ca } with the cluster CA, or tls: { fingerprint } ` +
      "with the certificate's SHA-256 fingerprint (shown under Node > System > Certificates)",
    { cause: err },
  );
}
