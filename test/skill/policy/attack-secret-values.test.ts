import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { outcomeJson } from "../../../src/skill/format/render-outcome";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Red-team round on #11: secrets that are not under a secret-looking parameter name reached the plan, the
// confirm answer and the audit log (an `apitoken=` inside remote_migrate's `target-endpoint` property string,
// an OpenID `client-key`, an ACME `eab-hmac-key`, a PowerDNS/certificate `key`), and the secret of a new API
// token came back in the answer of `api post /access/users/…/token/…` (pve-access-control API2/User.pm
// generate_token returns it as `value`).
const SECRET = "aaaaaaaa-1111-2222-3333-444444444444";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.writes.length = 0;
  t.audit.entries.length = 0;
});

async function plan(method: string, path: string, params: Record<string, unknown>): Promise<ConfirmationOutcome> {
  const out = (await t.skill({ mode: "admin" }).run("api", { method, path, params })) as ConfirmationOutcome;
  expect(out.status).toBe("confirmation-required");
  return out;
}

describe("secrets in values the plan, answer and audit log show", () => {
  test.each([
    ["apitoken inside remote_migrate's target-endpoint", "post", "/nodes/pve1/qemu/100/remote_migrate", { "target-endpoint": `host=10.0.0.9,apitoken=PVEAPIToken=root@pam!mig=${SECRET}`, "target-bridge": "vmbr0", "target-storage": "local-lvm" }],
    ["an OpenID realm's client-key", "post", "/access/domains", { realm: "oidc", type: "openid", "issuer-url": "https://id.example", "client-id": "pve", "client-key": SECRET }],
    ["an ACME account's EAB HMAC key", "post", "/cluster/acme/account", { contact: "a@example.com", "eab-kid": "kid", "eab-hmac-key": SECRET }],
    ["a PowerDNS API key", "post", "/cluster/sdn/dns", { dns: "pdns", type: "powerdns", url: "https://dns.example/api", key: SECRET }],
  ])("%s", async (_what, method, path, params) => {
    const out = await plan(method, path, params);
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(JSON.stringify(t.audit.entries)).not.toContain(SECRET);
    expect(t.writes).toEqual([]);
  });
});

test("a token written into free text (a reversible change: the answer and the audit log)", async () => {
  const out = await t
    .skill({ mode: "operator" })
    .run("api", { method: "put", path: "/nodes/pve1/qemu/100/config", params: { description: `PVEAPIToken=root@pam!x=${SECRET}` } });
  expect(out.status).toBe("done");
  expect(JSON.stringify(outcomeJson(out))).not.toContain(SECRET);
  expect(JSON.stringify(t.audit.entries)).not.toContain(SECRET);
});

describe("secrets in an answer", () => {
  test("a new API token's secret is not printed (create and regenerate)", async () => {
    const skill = t.skill({ mode: "admin" });
    const input = { method: "post", path: "/access/users/root@pam/token/agent2", params: { privsep: "1" } };
    const first = (await skill.run("api", input)) as ConfirmationOutcome;
    const done = await skill.run("api", input, { confirm: first.confirmToken });
    expect(done.status).toBe("done");
    const secret = t.sim.access.tokens.get("root@pam!agent2")?.secret as string;
    expect(secret).toMatch(/-/);
    const shown = JSON.stringify(outcomeJson(done));
    expect(shown).not.toContain(secret);
    expect(shown).toContain("full-tokenid");

    const again = { method: "put", path: "/access/users/root@pam/token/agent2", params: { regenerate: "1" } };
    const second = (await skill.run("api", again)) as ConfirmationOutcome;
    const regenerated = await skill.run("api", again, { confirm: second.confirmToken });
    const renewed = t.sim.access.tokens.get("root@pam!agent2")?.secret as string;
    expect(renewed).not.toBe(secret);
    expect(JSON.stringify(outcomeJson(regenerated))).not.toContain(renewed);
  });
});
