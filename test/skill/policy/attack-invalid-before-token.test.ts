import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { PveValidationError } from "../../../src/runtime/errors";
import { SkillUsageError } from "../../../src/skill/errors";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Finding 7: `set 102 cores=abc` and `api put` with invalid values issued a plan and a confirm token; the error
// came only after a person approved it. `set 102 --delete nosuch` "succeeded". Validation comes first.
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
  ["set 102 cores=abc", ["set", "102", "cores=abc"]],
  ["set 102 memory=-5", ["set", "102", "memory=-5"]],
  ["api put …/config cores=abc", ["api", "put", "/nodes/pve2/qemu/102/config", "cores=abc"]],
  ["api post …/clone newid=abc", ["api", "post", "/nodes/pve2/qemu/102/clone", "newid=abc"]],
  ["api post …/status/shutdown timeout=soon", ["api", "post", "/nodes/pve2/qemu/102/status/shutdown", "timeout=soon"]],
])("%s: exit 2 with the parameter named, no plan, no confirm token", async (_what, argv) => {
  const r = await runCli([...argv, "--mode", "admin", "--json"], t.env());
  expect(r.code).toBe(2);
  expect(r.stdout).not.toMatch(/confirmToken|confirmation-required/);
  expect(JSON.parse(r.stdout).error).toMatchObject({ code: "PVE_ERR_VALIDATION" });
});

test("set --delete of an option that does not exist is refused before a token (PVE: unknown option)", async () => {
  const err = await t
    .skill({ mode: "admin" })
    .run("set", { vmid: 102, delete: ["nosuch"] })
    .catch((e: unknown) => e);
  expect(err instanceof SkillUsageError || err instanceof PveValidationError).toBe(true);
  expect((err as Error).message).toMatch(/nosuch/);
  expect(t.writes).toEqual([]);
});

test("a valid set still gets its plan and token", async () => {
  const r = await runCli(["set", "102", "cores=4", "--mode", "admin", "--json"], t.env());
  expect(r.code).toBe(3);
});
