import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { PolicyRefusedError } from "../../../src/skill/errors";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Finding 2: `api post …/status/shutdown forceStop=1 timeout=0` is a hard stop, run in operator mode.
let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.writes.length = 0;
});

test.each([
  ["a VM shut down with forceStop=1 timeout=0", "/nodes/pve1/qemu/100/status/shutdown", { forceStop: "1", timeout: "0" }],
  ["a container shut down with forceStop=1", "/nodes/pve1/lxc/200/status/shutdown", { forceStop: "1", timeout: "0" }],
  ["a VM started with skiplock=1", "/nodes/pve2/qemu/102/status/start", { skiplock: "1" }],
])("%s is destructive: refused in operator mode, nothing sent", async (_what, path, params) => {
  const err = await t
    .skill({ mode: "operator" })
    .run("api", { method: "post", path, params })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PolicyRefusedError);
  expect((err as PolicyRefusedError).rule).toBe("mode");
  expect(t.writes).toEqual([]);
  expect(t.sim.state.guests.get(100)!.status).toBe("running");
});

test("admin mode needs a confirm token for a forced shutdown", async () => {
  const out = (await t
    .skill({ mode: "admin" })
    .run("api", { method: "post", path: "/nodes/pve1/qemu/100/status/shutdown", params: { forceStop: "1" } })) as ConfirmationOutcome;
  expect(out.status).toBe("confirmation-required");
  expect(t.writes).toEqual([]);
});

test("a plain shutdown (timeout only) stays reversible", async () => {
  const out = await t
    .skill({ mode: "operator" })
    .run("api", { method: "post", path: "/nodes/pve1/qemu/100/status/shutdown", params: { timeout: "30" } });
  expect(out.status).toBe("done");
});
