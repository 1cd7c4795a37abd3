import { randomBytes, randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { newTotpSecret } from "./totp";

const REDACTED = "[redacted]";

/** A token id (`user@realm!name`) and its secret; the secret stays out of inspect/JSON output. */
export class TokenCredential {
  readonly #secret: string;
  constructor(
    readonly tokenId: string,
    secret: string,
  ) {
    this.#secret = secret;
  }
  get secret(): string {
    return this.#secret;
  }
  /** The `Authorization` header value PVE expects. */
  get header(): string {
    return `PVEAPIToken=${this.tokenId}=${this.#secret}`;
  }
  toJSON(): object {
    return { tokenId: this.tokenId, secret: REDACTED };
  }
  [inspect.custom](): string {
    return `TokenCredential { tokenId: '${this.tokenId}', secret: ${REDACTED} }`;
  }
}

/** A password user (optionally with a TOTP second factor); secrets stay out of inspect/JSON. */
export class UserCredential {
  readonly #password: string;
  readonly #totpSecret: string | undefined;
  constructor(
    readonly username: string,
    password: string,
    totpSecret?: string,
  ) {
    this.#password = password;
    this.#totpSecret = totpSecret;
  }
  get password(): string {
    return this.#password;
  }
  /** base32 TOTP secret, for users with a second factor */
  get totpSecret(): string | undefined {
    return this.#totpSecret;
  }
  toJSON(): object {
    return { username: this.username, password: REDACTED, ...(this.#totpSecret ? { totpSecret: REDACTED } : {}) };
  }
  [inspect.custom](): string {
    return `UserCredential { username: '${this.username}', password: ${REDACTED}${this.#totpSecret ? `, totpSecret: ${REDACTED}` : ""} }`;
  }
}

/** The credentials a simulator accepts out of the box. */
export interface SimCredentials {
  /** `root@pam` with a password (superuser) */
  root: UserCredential;
  /** `root@pam!pvekit`: full privileges (no privilege separation) */
  token: TokenCredential;
  /** `auditor@pve!readonly`: PVEAuditor on `/` — reads work, changes are refused with 403 */
  restrictedToken: TokenCredential;
  /** `tfa@pve`: password plus a TOTP second factor, PVEVMAdmin on `/` */
  tfa: UserCredential;
  /** `auditor@pve`: password user with PVEAuditor on `/` */
  auditor: UserCredential;
}

/** Options to fix the default secrets (random by default, so a listening simulator is not guessable). */
export interface CredentialOptions {
  rootPassword?: string;
  tokenSecret?: string;
  restrictedTokenSecret?: string;
  tfaPassword?: string;
  tfaTotpSecret?: string;
  auditorPassword?: string;
}

export function makeCredentials(o: CredentialOptions = {}): SimCredentials {
  const pw = () => randomBytes(12).toString("base64url");
  return {
    root: new UserCredential("root@pam", o.rootPassword ?? pw()),
    token: new TokenCredential("root@pam!pvekit", o.tokenSecret ?? randomUUID()),
    restrictedToken: new TokenCredential("auditor@pve!readonly", o.restrictedTokenSecret ?? randomUUID()),
    tfa: new UserCredential("tfa@pve", o.tfaPassword ?? pw(), o.tfaTotpSecret ?? newTotpSecret()),
    auditor: new UserCredential("auditor@pve", o.auditorPassword ?? pw()),
  };
}
