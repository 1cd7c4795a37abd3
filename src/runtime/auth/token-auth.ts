import type { SecretSet } from "../redact";
import { PveAuthError } from "../errors";
import type { Auth } from "./auth";

/** API token credentials: `tokenId` is `user@realm!name`. */
export interface TokenAuthOptions {
  tokenId: string;
  secret: string;
}

// user part as PVE allows it ([^\s:/]+, may itself hold @), realm, token name
const TOKEN_ID = /^[^\s:/!]+@[A-Za-z][A-Za-z0-9._-]+![A-Za-z][A-Za-z0-9._-]*$/;

const TOKEN_ID_PREFIX = /^[^\s:/!=]+@[A-Za-z][A-Za-z0-9._-]+(?:![A-Za-z][A-Za-z0-9._-]*)?/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * A token id as it may be shown in a message. A malformed one may hold the secret (variables swapped,
 * `id secret`, `id:secret`, `id=secret`): only a leading part shaped like `user@realm!name` is shown,
 * never the rest, and never anything shaped like a UUID (PVE's token secrets are UUIDs).
 */
export function describeTokenId(tokenId: string): string {
  if (TOKEN_ID.test(tokenId) && !UUID.test(tokenId)) return `"${tokenId}"`;
  const prefix = TOKEN_ID_PREFIX.exec(tokenId)?.[0];
  if (prefix && !UUID.test(prefix)) return prefix === tokenId ? `"${prefix}"` : `"${prefix}" followed by more text (not shown)`;
  return "(not shown: it does not look like a token id; is the secret in the token id variable?)";
}

/** What is wrong with a token id, in words that never show a secret; undefined when it is well-formed. */
export function tokenIdProblem(tokenId: string): string | undefined {
  if (TOKEN_ID.test(tokenId) && !UUID.test(tokenId)) return undefined;
  return `API token id ${describeTokenId(tokenId)} is malformed: expected USER@REALM!TOKENNAME, e.g. automation@pve!ci (PROXMOX_TOKEN_ID holds the id, PROXMOX_TOKEN_SECRET the secret)`;
}

/** Checks the token id format; throws a PveAuthError that says what is wrong (never showing the secret). */
export function checkTokenId(tokenId: string): void {
  const problem = tokenIdProblem(tokenId);
  if (problem) throw new PveAuthError(problem);
}

/** `Authorization: PVEAPIToken=USER@REALM!ID=SECRET` on every request; no login, no CSRF token. */
export class TokenAuth implements Auth {
  readonly kind = "token" as const;
  readonly user: string;
  readonly #header: string;

  constructor(opts: TokenAuthOptions, secrets: SecretSet) {
    checkTokenId(opts.tokenId);
    const secret = typeof opts.secret === "string" ? opts.secret.trim() : "";
    if (!secret || /\s/.test(secret)) {
      throw new PveAuthError(`API token secret for ${opts.tokenId} is empty or contains whitespace`);
    }
    this.user = opts.tokenId;
    this.#header = `PVEAPIToken=${opts.tokenId}=${secret}`;
    secrets.add(secret);
  }

  async headers(): Promise<Record<string, string>> {
    return { Authorization: this.#header };
  }

  async refresh(): Promise<boolean> {
    return false; // a token does not expire by re-login; a 401 is final
  }

  toJSON(): object {
    return { kind: this.kind, user: this.user };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `TokenAuth { user: '${this.user}' }`;
  }
}
