import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { stateDirConfirmKey } from "../../../src/skill/policy/confirm-key";
import { ConfirmTokens, describeRejection, type ConfirmBinding } from "../../../src/skill/policy/confirm-tokens";
import { FileUsedTokenStore, MemoryUsedTokenStore } from "../../../src/skill/policy/used-token-store";

const binding: ConfirmBinding = { operation: "stop", target: "qemu/100 (web01) on pve1", params: { vmid: 100 } };

function tokens(now: { t: number }, ttlMs = 60_000) {
  return new ConfirmTokens({ key: Buffer.alloc(32, 1), store: new MemoryUsedTokenStore(), ttlMs, now: () => now.t });
}

describe("ConfirmTokens", () => {
  test("a token is accepted once for its binding", () => {
    const clock = { t: 1_000_000 };
    const ct = tokens(clock);
    const { token, expiresAt } = ct.issue(binding);
    expect(expiresAt.getTime()).toBe(1_000_000 + 60_000);
    expect(ct.redeem(token, binding)).toEqual({ ok: true });
    expect(ct.redeem(token, binding)).toEqual({ ok: false, reason: "used" });
  });

  test("a token expires after its lifetime", () => {
    const clock = { t: 5_000 };
    const ct = tokens(clock, 1_000);
    const { token } = ct.issue(binding);
    clock.t += 999;
    const early = ct.issue(binding).token;
    expect(ct.redeem(early, binding).ok).toBe(true);
    clock.t += 1;
    expect(ct.redeem(token, binding)).toEqual({ ok: false, reason: "expired" });
  });

  test.each([
    ["operation", { ...binding, operation: "reset" }],
    ["target", { ...binding, target: "qemu/101 (db01) on pve1" }],
    ["parameters", { ...binding, params: { vmid: 100, purge: true } }],
  ])("a token is bound to its %s", (_what, other) => {
    const ct = tokens({ t: 0 });
    const { token } = ct.issue(binding);
    expect(ct.redeem(token, other)).toEqual({ ok: false, reason: "mismatch" });
    // the failed attempt did not use it up
    expect(ct.redeem(token, binding)).toEqual({ ok: true });
  });

  test("parameter order does not matter, values do", () => {
    const ct = tokens({ t: 0 });
    const { token } = ct.issue({ ...binding, params: { a: 1, b: 2 } });
    expect(ct.redeem(token, { ...binding, params: { b: 2, a: 1 } }).ok).toBe(true);
  });

  test("a token from another key or a tampered expiry is refused", () => {
    const a = tokens({ t: 0 });
    const b = new ConfirmTokens({ key: Buffer.alloc(32, 2), store: new MemoryUsedTokenStore(), now: () => 0 });
    const { token } = a.issue(binding);
    expect(b.redeem(token, binding)).toEqual({ ok: false, reason: "mismatch" });
    const [nonce, , mac] = token.split(".");
    expect(a.redeem(`${nonce}.zzzzzzzz.${mac}`, binding)).toEqual({ ok: false, reason: "mismatch" });
    expect(a.redeem("not a token", binding)).toEqual({ ok: false, reason: "malformed" });
  });

  test("every rejection has a sentence", () => {
    for (const r of ["malformed", "expired", "mismatch", "used"] as const) expect(describeRejection(r)).toMatch(/token/);
  });
});

describe("state-directory key and used-token file", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("two processes sharing a state dir accept a token once", () => {
    dir = mkdtempSync(join(tmpdir(), "pvekit-ct-"));
    const make = () =>
      new ConfirmTokens({ key: stateDirConfirmKey(dir), store: new FileUsedTokenStore(join(dir, "used.jsonl")), now: () => 42 });
    const issuer = make();
    const { token } = issuer.issue(binding);
    expect(make().redeem(token, binding)).toEqual({ ok: true });
    expect(make().redeem(token, binding)).toEqual({ ok: false, reason: "used" });
    expect(statSync(join(dir, "confirm.key")).mode & 0o777).toBe(0o600);
    expect(stateDirConfirmKey(dir).equals(stateDirConfirmKey(dir))).toBe(true);
  });

  test("the used-token file forgets expired tokens", () => {
    dir = mkdtempSync(join(tmpdir(), "pvekit-ct-"));
    const store = new FileUsedTokenStore(join(dir, "used.jsonl"));
    expect(store.markUsed("a", 100, 0)).toBe(true);
    expect(store.markUsed("a", 100, 50)).toBe(false);
    // once expired the id no longer counts (the token itself would be refused as expired first)
    expect(store.markUsed("a", 300, 200)).toBe(true);
  });
});
