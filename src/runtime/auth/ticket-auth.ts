import type { Clock } from "../clock";
import type { SecretSet } from "../redact";
import { PveAuthError } from "../errors";
import type { Auth, LoginFn } from "./auth";

/** What a two-factor prompt gets to decide which code to ask for. */
export interface TfaChallenge {
  username: string;
  /** second factors the server offers (`totp`, `recovery`, `webauthn`, `yubico`), when it says */
  types: string[];
}

/** A one-time code: `"123456"` (TOTP), a recovery key, or `"recovery:…"`/`"totp:…"` explicitly. */
export type OtpSource = string | ((challenge: TfaChallenge) => string | Promise<string>);

/** User and password credentials; the client logs in with a ticket and renews it. */
export interface PasswordAuthOptions {
  /** `user@realm`, or `user` with `realm` (default realm `pam`) */
  username: string;
  /** the password, or a function that supplies it when a login is needed */
  password: string | (() => string | Promise<string>);
  realm?: string;
  /** second factor for accounts with TFA: a code, or a callback asked at each login */
  otp?: OtpSource;
  /** renew the ticket once it is this old (default 90 min; PVE tickets expire after 2 h) */
  renewAfterMs?: number;
}

const TICKET_LIFETIME_MS = 2 * 60 * 60 * 1000;
/** a ticket this close to its expiry is not renewed but replaced by a fresh login */
const EXPIRY_MARGIN_MS = 5 * 60 * 1000;
/** 401s that arrive just after a login were sent with the old ticket: retry without logging in again */
const FRESH_MS = 5_000;

/**
 * Ticket login via `POST /access/ticket`: cookie `PVEAuthCookie` on every request and
 * `CSRFPreventionToken` on writes. The ticket is renewed with the ticket itself before it
 * expires; the password is only used for a first login and for one re-login after a 401.
 * Concurrent requests share one login.
 */
export class TicketAuth implements Auth {
  readonly kind = "ticket" as const;
  user: string;
  readonly #password: PasswordAuthOptions["password"];
  readonly #otp: OtpSource | undefined;
  readonly #renewAfterMs: number;
  readonly #login: LoginFn;
  readonly #clock: Clock;
  readonly #secrets: SecretSet;
  #ticket: string | undefined;
  #csrf: string | undefined;
  #obtainedAt = 0;
  #pending: Promise<void> | undefined;

  constructor(opts: PasswordAuthOptions, login: LoginFn, clock: Clock, secrets: SecretSet) {
    if (!opts.username) throw new PveAuthError("auth.username is empty");
    if (typeof opts.password !== "function" && !opts.password) throw new PveAuthError(`auth.password for ${opts.username} is empty`);
    this.user = opts.username.includes("@") ? opts.username : `${opts.username}@${opts.realm ?? "pam"}`;
    this.#password = opts.password;
    this.#otp = opts.otp;
    this.#renewAfterMs = opts.renewAfterMs ?? 90 * 60 * 1000;
    this.#login = login;
    this.#clock = clock;
    this.#secrets = secrets;
    if (typeof opts.password === "string") secrets.add(opts.password);
    if (typeof opts.otp === "string") secrets.add(opts.otp);
  }

  async headers(method: string, signal?: AbortSignal): Promise<Record<string, string>> {
    await this.#ensure(signal);
    const headers: Record<string, string> = { Cookie: `PVEAuthCookie=${this.#ticket}` };
    if (method !== "GET" && this.#csrf) headers.CSRFPreventionToken = this.#csrf;
    return headers;
  }

  async refresh(signal?: AbortSignal): Promise<boolean> {
    if (this.#pending) {
      await this.#pending;
      return true;
    }
    if (this.#ticket && this.#clock.now() - this.#obtainedAt < FRESH_MS) return true;
    this.#ticket = undefined;
    await this.#once(() => this.#fullLogin(signal));
    return true;
  }

  /** Logs in now (normally done on the first request). */
  async login(signal?: AbortSignal): Promise<void> {
    await this.#once(() => this.#fullLogin(signal));
  }

  async #ensure(signal?: AbortSignal): Promise<void> {
    if (this.#pending) return this.#pending;
    const age = this.#clock.now() - this.#obtainedAt;
    if (!this.#ticket || age >= TICKET_LIFETIME_MS - EXPIRY_MARGIN_MS) return this.#once(() => this.#fullLogin(signal));
    if (age >= this.#renewAfterMs) return this.#once(() => this.#renew(signal));
  }

  #once(fn: () => Promise<void>): Promise<void> {
    this.#pending ??= fn().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #renew(signal?: AbortSignal): Promise<void> {
    try {
      this.#store(await this.#login({ username: this.user, password: this.#ticket as string }, signal));
    } catch (err) {
      if (!(err instanceof PveAuthError)) throw err;
      await this.#fullLogin(signal); // the ticket was no longer accepted
    }
  }

  async #fullLogin(signal?: AbortSignal): Promise<void> {
    const password = typeof this.#password === "function" ? await this.#password() : this.#password;
    this.#secrets.add(password);
    const data = await this.#login({ username: this.user, password }, signal);
    if (data.NeedTFA !== 1 && data.NeedTFA !== true && data.NeedTFA !== "1") return this.#store(data);
    const challenge = typeof data.ticket === "string" ? data.ticket : "";
    this.#secrets.add(challenge);
    if (this.#otp === undefined) {
      throw new PveAuthError(
        `Two-factor authentication is required for ${this.user}: pass auth.otp (a TOTP code or a recovery key) or an otp callback`,
      );
    }
    const code = typeof this.#otp === "function" ? await this.#otp({ username: this.user, types: tfaTypes(challenge) }) : this.#otp;
    this.#secrets.add(code);
    const second = await this.#login({ username: this.user, "tfa-challenge": challenge, password: otpResponse(code) }, signal);
    this.#store(second);
  }

  #store(data: Record<string, unknown>): void {
    const ticket = data.ticket;
    if (typeof ticket !== "string" || !ticket) throw new PveAuthError(`Login for ${this.user} returned no ticket`);
    this.#ticket = ticket;
    this.#csrf = typeof data.CSRFPreventionToken === "string" ? data.CSRFPreventionToken : undefined;
    this.#secrets.add(this.#ticket);
    this.#secrets.add(this.#csrf);
    if (typeof data.username === "string" && data.username) this.user = data.username;
    this.#obtainedAt = this.#clock.now();
  }

  toJSON(): object {
    return { kind: this.kind, user: this.user };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `TicketAuth { user: '${this.user}', loggedIn: ${this.#ticket !== undefined} }`;
  }
}

/** `123456` → `totp:123456`; other text is a recovery key; an explicit `type:` prefix is kept. */
export function otpResponse(code: string): string {
  const text = code.trim();
  if (/^(?:totp|recovery|webauthn|yubico|u2f):/.test(text)) return text;
  return /^\d{6,8}$/.test(text) ? `totp:${text}` : `recovery:${text}`;
}

/** The factors a PVE 7+ challenge ticket (`PVE:!tfa!{json}:…`) offers; empty when it cannot tell. */
export function tfaTypes(challenge: string): string[] {
  const m = /!tfa!([^:]+)/.exec(challenge);
  if (!m) return [];
  try {
    const info = JSON.parse(decodeURIComponent(m[1] as string)) as Record<string, unknown>;
    return Object.keys(info).filter((k) => info[k] !== false && info[k] !== null && info[k] !== undefined);
  } catch {
    return [];
  }
}
