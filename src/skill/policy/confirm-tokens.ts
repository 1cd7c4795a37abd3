import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { canonicalJson } from "./canonical-json";
import type { UsedTokenStore } from "./used-token-store";

/** What a confirm token is bound to: the operation, its resolved target and its parameters. */
export interface ConfirmBinding {
  operation: string;
  /** The resolved target, e.g. `qemu/100@pve1`. */
  target: string;
  params: Record<string, unknown>;
  /** Anything else the token must be bound to (the guests a many-guest action selects). */
  scope?: unknown;
}

/** Why a token was not accepted. */
export type ConfirmRejection = "malformed" | "expired" | "mismatch" | "used";

export interface ConfirmTokensOptions {
  /** HMAC key: per process (MCP) or per state directory (CLI). */
  key: Uint8Array;
  store: UsedTokenStore;
  /** Lifetime of a token (default 5 minutes). */
  ttlMs?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

export const DEFAULT_CONFIRM_TTL_MS = 5 * 60_000;

/**
 * Issues and redeems confirm tokens: `nonce.expiry.mac` where mac = HMAC-SHA256(key, nonce, expiry,
 * operation, target, canonical params). Nothing is stored at issue time; redemption checks the mac,
 * the expiry and that the nonce was not redeemed before.
 */
export class ConfirmTokens {
  readonly #key: Uint8Array;
  readonly #store: UsedTokenStore;
  readonly ttlMs: number;
  readonly #now: () => number;

  constructor(options: ConfirmTokensOptions) {
    this.#key = options.key;
    this.#store = options.store;
    this.ttlMs = options.ttlMs ?? DEFAULT_CONFIRM_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** A new single-use token for `binding`. */
  issue(binding: ConfirmBinding): { token: string; expiresAt: Date } {
    const nonce = randomBytes(9).toString("base64url");
    const exp = this.#now() + this.ttlMs;
    const expText = exp.toString(36);
    return { token: `${nonce}.${expText}.${this.#mac(nonce, expText, binding)}`, expiresAt: new Date(exp) };
  }

  /** Redeems `token` for `binding`; a token is accepted at most once. */
  redeem(token: string, binding: ConfirmBinding): { ok: true } | { ok: false; reason: ConfirmRejection } {
    const parts = token.trim().split(".");
    if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return { ok: false, reason: "malformed" };
    const [nonce, expText, mac] = parts as [string, string, string];
    const expected = Buffer.from(this.#mac(nonce, expText, binding));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "mismatch" };
    const exp = parseInt(expText, 36);
    const now = this.#now();
    if (!Number.isFinite(exp) || exp <= now) return { ok: false, reason: "expired" };
    if (!this.#store.markUsed(nonce, exp, now)) return { ok: false, reason: "used" };
    return { ok: true };
  }

  #mac(nonce: string, expText: string, b: ConfirmBinding): string {
    const payload = canonicalJson(["pvekit-confirm-v1", nonce, expText, b.operation, b.target, b.params, ...(b.scope === undefined ? [] : [b.scope])]);
    return createHmac("sha256", this.#key).update(payload).digest("base64url").slice(0, 32);
  }
}

/** A sentence explaining a rejection, for messages. */
export function describeRejection(reason: ConfirmRejection): string {
  switch (reason) {
    case "malformed":
      return "The confirm token is not a pvekit confirm token.";
    case "expired":
      return "The confirm token has expired.";
    case "mismatch":
      return "The confirm token was issued for a different operation, target or parameters.";
    case "used":
      return "The confirm token was already used; each token works once.";
  }
}
