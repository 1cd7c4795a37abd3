import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { parseUpid } from "../../../src/runtime/upid";
import { skillClientFor } from "../../../src/skill/connect";
import type { SetOutcome } from "../../../src/skill/fleet/set-outcome";
import { PveSkill } from "../../../src/skill/pve-skill";
import { resolveSkillSettings } from "../../../src/skill/settings";
import type { SkillClient } from "../../../src/skill/skill-client";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { largeCluster } from "../helpers/large-cluster";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// 16 nodes, 2,000 guests. Task waits run on the simulator's virtual clock (instant tasks), so the
// size is what is exercised, not the machine's speed.

const NODES = 16;
const GUESTS = 2000;

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill({ setup: largeCluster(NODES, GUESTS) }, { virtualClock: true });
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

const running = () => [...t.sim.state.guests.values()].filter((g) => g.status === "running").length;

describe(`${GUESTS} guests on ${NODES} nodes`, () => {
  test("shutdown --all --parallel 16: one plan, one token, every running guest stopped, templates untouched", async () => {
    const before = running();
    expect(before).toBeGreaterThan(1200);
    const env = t.env({ PVEKIT_PROGRESS: "none" });
    const clock = t.sim.clientClock;
    const first = await runCli(["shutdown", "--all", "--parallel", "16", "--mode", "operator", "--json"], env, { clock });
    expect(first.code).toBe(3);
    const c = JSON.parse(first.stdout) as { confirmToken: string; plan: { guests: unknown[]; counts: { act: number; noop: number } } };
    expect(c.plan.guests).toHaveLength(GUESTS - GUESTS / 100); // templates are not selected by --all
    expect(c.plan.counts.act).toBe(before);
    const r = await runCli(["shutdown", "--all", "--parallel", "16", "--mode", "operator", "--json", "--confirm", c.confirmToken], env, { clock });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as SetOutcome;
    expect(out.counts).toMatchObject({ ok: before, failed: 0, noop: GUESTS - GUESTS / 100 - before });
    expect(running()).toBe(0);
    expect(out.results.filter((x) => x.outcome === "ok").every((x) => x.exitstatus === "OK" && /:(qm|vz)shutdown:/.test(x.upid ?? ""))).toBe(true);
  });

  test("never more than --parallel guests at once, and never more than --per-node requests in flight to one node", async () => {
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    let all = 0;
    let peakAll = 0;
    const base = skillClientFor(t.pve);
    const track = async <T>(node: string | undefined, call: () => Promise<T>): Promise<T> => {
      const key = node ?? "(cluster)";
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      peak.set(key, Math.max(peak.get(key) ?? 0, inFlight.get(key)!));
      all++;
      peakAll = Math.max(peakAll, all);
      try {
        return await call();
      } finally {
        inFlight.set(key, inFlight.get(key)! - 1);
        all--;
      }
    };
    const client: SkillClient = {
      request: (verb, path, params) => track(params?.node as string | undefined, () => base.request(verb, path, params)),
      tasks: {
        wait: (upid, o) => track(parseUpid(upid).node, () => base.tasks.wait(upid, o)),
        status: (upid) => track(parseUpid(upid).node, () => base.tasks.status(upid)),
        log: (upid, o) => track(parseUpid(upid).node, () => base.tasks.log(upid, o)),
      },
    };
    const skill = new PveSkill({ client, settings: resolveSkillSettings({ mode: "operator", stateDir: t.stateDir, auditLog: false }, {}), audit: t.audit });
    const input = { select: { all: true }, parallel: 16, perNode: 2 };
    const c = (await skill.run("shutdown", input)) as ConfirmationOutcome;
    const out = (await skill.run("shutdown", input, { confirm: c.confirmToken })) as SetOutcome;
    expect(out.counts.failed).toBe(0);
    expect(running()).toBe(0);
    const perNode = [...peak].filter(([k]) => k !== "(cluster)").map(([, v]) => v);
    expect(perNode).toHaveLength(NODES);
    expect(Math.max(...perNode)).toBe(2);
    expect(peakAll).toBeLessThanOrEqual(16);
  });
});
