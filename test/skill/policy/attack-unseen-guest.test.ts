import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { skillClientFor } from "../../../src/skill/connect";
import { PolicyRefusedError } from "../../../src/skill/errors";
import { MemoryAuditLog } from "../../../src/skill/policy/audit-log";
import { ConfirmTokens } from "../../../src/skill/policy/confirm-tokens";
import { MemoryUsedTokenStore } from "../../../src/skill/policy/used-token-store";
import { PveSkill } from "../../../src/skill/pve-skill";
import { resolveSkillSettings } from "../../../src/skill/settings";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Red-team round on #11: PVE lists in /cluster/resources only the guests the token may audit (VM.Audit). A
// guest missing from that list was taken for one the request creates, with the pool and tags the request
// names: `api put …/103/config tags=ci` passed PROXMOX_ALLOWED_TAGS=ci for a guest that has no such tag (and
// `pool=` did the same for pools). Only a guest the request creates (create, restore, clone's newid) may
// take its pool and tags from the request; any other unseen guest has none, so tag and pool lists refuse it.
let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.writes.length = 0;
});

/** A skill whose token cannot audit guest 103: /cluster/resources leaves it out, as PVE does. */
function blindTo103(overrides: Record<string, string>): PveSkill {
  const base = skillClientFor(t.pve);
  return new PveSkill({
    client: {
      ...base,
      request: async (verb, path, params) => {
        if (verb !== "GET") t.writes.push(`${verb} ${path}`);
        const data = await base.request(verb, path, params);
        return path === "/cluster/resources" ? (data as { vmid?: number }[]).filter((r) => r.vmid !== 103) : data;
      },
    },
    settings: resolveSkillSettings({ stateDir: t.stateDir, auditLog: false, ...overrides }, {}),
    audit: new MemoryAuditLog(),
    tokens: new ConfirmTokens({ key: Buffer.alloc(32, 5), store: new MemoryUsedTokenStore() }),
  });
}

test("an unseen existing guest does not take the tags a config change names", async () => {
  const err = await blindTo103({ mode: "operator", allowedTags: "ci" })
    .run("api", { method: "put", path: "/nodes/pve3/qemu/103/config", params: { tags: "ci" } })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PolicyRefusedError);
  expect(t.writes).toEqual([]);
  expect(t.sim.state.guests.get(103)!.config.tags).toBeUndefined();
});

test("a guest the request creates still takes them", async () => {
  const out = await blindTo103({ mode: "operator", allowedTags: "ci" }).run("api", {
    method: "post",
    path: "/nodes/pve2/qemu",
    params: { vmid: 150, tags: "ci" },
  });
  expect(out.status).toBe("done");
});
