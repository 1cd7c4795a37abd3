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

/** Checks the token id format; throws a PveAuthError that says what is wrong (never showing the secret). */
export function checkTokenId(tokenId: string): void {
  if (!TOKEN_ID.test(tokenId)) {
    throw new PveAuthError(
      `API token id "${tokenId.replace(/=.*/, "=***")}" is malformed: expected USER@REALM!TOKENNAME, e.g. automation@pve!ci`,
    );
  }
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
