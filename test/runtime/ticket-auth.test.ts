import { inspect } from "node:util";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { PveAuthError } from "../../src/runtime/errors";
import { otpResponse, tfaTypes } from "../../src/runtime/auth/ticket-auth";
import { fakeClock } from "./helpers/fake-clock";
import { API, mswClient, useMsw } from "./helpers/msw-client";

const server = useMsw();
const PASSWORD = "correct-horse-battery";

/** A tiny PVE login endpoint: issues numbered tickets, renews with a valid ticket, optional TFA. */
function pveLogin(opts: { tfa?: boolean } = {}) {
  const logins: Record<string, string>[] = [];
  const valid = new Set<string>();
  let n = 0;
  const issue = () => {
    const ticket = `PVE:alice@pve:6500000${++n}::c2lnbmF0dXJlLW51bWJlci0${n}`;
    valid.add(ticket);
    return { ticket, CSRFPreventionToken: `6500000${n}:Y3NyZi10b2tlbi1zZWNyZXQ${n}`, username: "alice@pve" };
  };
  server.use(
    http.post(`${API}/access/ticket`, async ({ request }) => {
      const form = Object.fromEntries(new URLSearchParams(await request.text()));
      logins.push(form);
      if (form["tfa-challenge"]) {
        if (form.password === "totp:123456" || form.password === "recovery:abcd-ef01") return HttpResponse.json({ data: issue() });
        return HttpResponse.json({ data: null }, { status: 401, statusText: "authentication failure" });
      }
      if (form.username !== "alice@pve") return HttpResponse.json({ data: null }, { status: 401, statusText: "authentication failure" });
      if (valid.has(form.password as string)) return HttpResponse.json({ data: issue() });
      if (form.password !== PASSWORD) return HttpResponse.json({ data: null }, { status: 401, statusText: "authentication failure" });
      if (opts.tfa) {
        const challenge = `PVE:!tfa!${encodeURIComponent(JSON.stringify({ totp: true, recovery: "available" }))}:65000000::c2ln`;
        return HttpResponse.json({ data: { ticket: challenge, username: "alice@pve", NeedTFA: 1 } });
      }
      return HttpResponse.json({ data: issue() });
    }),
  );
  return { logins, valid };
}

/** An API endpoint that checks the cookie and, for writes, the CSRF token. */
function protectedApi(valid: Set<string>) {
  const seen: { method: string; cookie: string | null; csrf: string | null }[] = [];
  const check = ({ request }: { request: Request }) => {
    const cookie = request.headers.get("cookie");
    const csrf = request.headers.get("csrfpreventiontoken");
    seen.push({ method: request.method, cookie, csrf });
    const ticket = cookie?.replace(/^PVEAuthCookie=/, "");
    if (!ticket || !valid.has(ticket)) return HttpResponse.json({ data: null }, { status: 401, statusText: "invalid PVE ticket" });
    if (request.method !== "GET" && !csrf) return HttpResponse.json({ data: null }, { status: 401, statusText: "Permission denied - invalid csrf token" });
    return HttpResponse.json({ data: request.method === "GET" ? { version: "9.2.11" } : null });
  };
  server.use(http.get(`${API}/version`, check), http.put(`${API}/cluster/options`, check));
  return seen;
}

describe("ticket login", () => {
  it("logs in once for concurrent first requests, sends the cookie, and the CSRF token only on writes", async () => {
    const { logins, valid } = pveLogin();
    const seen = protectedApi(valid);
    const pve = mswClient({ auth: { username: "alice", realm: "pve", password: PASSWORD } });
    await Promise.all([pve.request("GET", "/version"), pve.request("GET", "/version")]);
    await pve.request("PUT", "/cluster/options", { keyboard: "de" });
    expect(logins).toEqual([{ username: "alice@pve", password: PASSWORD }]);
    expect(seen.map((s) => [s.method, s.cookie?.startsWith("PVEAuthCookie=PVE:alice@pve:"), s.csrf !== null])).toEqual([
      ["GET", true, false],
      ["GET", true, false],
      ["PUT", true, true],
    ]);
  });

  it("renews with the ticket (not the password) before the 2-hour expiry", async () => {
    const { logins, valid } = pveLogin();
    protectedApi(valid);
    const clock = fakeClock();
    const pve = mswClient({ auth: { username: "alice@pve", password: PASSWORD }, clock });
    await pve.request("GET", "/version");
    clock.advance(89 * 60_000);
    await pve.request("GET", "/version");
    expect(logins).toHaveLength(1);
    clock.advance(2 * 60_000); // 91 min: renew
    await pve.request("GET", "/version");
    expect(logins).toHaveLength(2);
    expect(logins[1]!.password).toMatch(/^PVE:alice@pve:/);
  });

  it("logs in afresh when the ticket has (almost) expired", async () => {
    const { logins, valid } = pveLogin();
    protectedApi(valid);
    const clock = fakeClock();
    const pve = mswClient({ auth: { username: "alice@pve", password: PASSWORD }, clock });
    await pve.request("GET", "/version");
    clock.advance(3 * 60 * 60_000);
    await pve.request("GET", "/version");
    expect(logins.map((l) => l.password)).toEqual([PASSWORD, PASSWORD]);
  });

  it("re-logs in once on a 401 and repeats the request once", async () => {
    const { logins, valid } = pveLogin();
    const seen = protectedApi(valid);
    const clock = fakeClock();
    const pve = mswClient({ auth: { username: "alice@pve", password: PASSWORD }, clock });
    await pve.request("GET", "/version");
    valid.clear(); // e.g. the cluster's auth key rotated
    clock.advance(60_000);
    await expect(pve.request("PUT", "/cluster/options", { keyboard: "de" })).resolves.toBeNull();
    expect(logins).toHaveLength(2);
    expect(seen.map((s) => s.method)).toEqual(["GET", "PUT", "PUT"]);
  });

  it("gives up after one re-login when the server keeps answering 401", async () => {
    const { logins } = pveLogin();
    server.use(http.get(`${API}/version`, () => HttpResponse.json({ data: null }, { status: 401, statusText: "no" })));
    const pve = mswClient({ auth: { username: "alice@pve", password: PASSWORD }, clock: fakeClock() });
    await expect(pve.request("GET", "/version")).rejects.toBeInstanceOf(PveAuthError);
    expect(logins).toHaveLength(1); // the re-login right after a login is skipped: the fresh ticket was refused
  });

  it("a wrong password is a PveAuthError that does not show the password", async () => {
    pveLogin();
    const pve = mswClient({ auth: { username: "alice@pve", password: "wrong-password-123" } });
    const err = await pve.request("GET", "/version").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveAuthError);
    expect((err as PveAuthError).message).toBe("authentication failure");
    expect(inspect(err, { depth: 10 })).not.toContain("wrong-password-123");
    expect(inspect(pve, { depth: 10, showHidden: true })).not.toContain("wrong-password-123");
  });
});

describe("two-factor login", () => {
  it("answers the TFA challenge with a TOTP code", async () => {
    const { logins, valid } = pveLogin({ tfa: true });
    protectedApi(valid);
    const pve = mswClient({ auth: { username: "alice@pve", password: PASSWORD, otp: "123456" } });
    await expect(pve.request("GET", "/version")).resolves.toEqual({ version: "9.2.11" });
    expect(logins).toHaveLength(2);
    expect(logins[1]).toMatchObject({ username: "alice@pve", password: "totp:123456" });
    expect(logins[1]!["tfa-challenge"]).toMatch(/^PVE:!tfa!/);
  });

  it("asks a callback, telling it the offered factors; a recovery key works too", async () => {
    const { valid } = pveLogin({ tfa: true });
    protectedApi(valid);
    const asked: unknown[] = [];
    const pve = mswClient({
      auth: {
        username: "alice@pve",
        password: PASSWORD,
        otp: (challenge) => {
          asked.push(challenge);
          return "abcd-ef01";
        },
      },
    });
    await pve.login();
    await expect(pve.request("GET", "/version")).resolves.toEqual({ version: "9.2.11" });
    expect(asked).toEqual([{ username: "alice@pve", types: ["totp", "recovery"] }]);
  });

  it("without an otp, says how to pass one", async () => {
    pveLogin({ tfa: true });
    const pve = mswClient({ auth: { username: "alice@pve", password: PASSWORD } });
    await expect(pve.request("GET", "/version")).rejects.toThrow(/Two-factor authentication is required for alice@pve: pass auth.otp/);
  });

  it("formats one-time codes", () => {
    expect(otpResponse("123456")).toBe("totp:123456");
    expect(otpResponse(" 1234-abcd ")).toBe("recovery:1234-abcd");
    expect(otpResponse("yubico:cccccc")).toBe("yubico:cccccc");
    expect(tfaTypes("PVE:alice@pve:1234::sig")).toEqual([]);
  });
});
