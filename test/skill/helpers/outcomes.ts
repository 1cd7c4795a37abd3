import { expect } from "vitest";
import type { PveSkill } from "../../../src/skill/pve-skill";
import type { ConfirmationOutcome, MutationOutcome, SkillOutcome } from "../../../src/skill/skill-outcome";

/** Asserts a mutation ran (done, started or no-change) and returns it. */
export function done(out: SkillOutcome): MutationOutcome {
  expect(["done", "no-change", "started"]).toContain(out.status);
  return out as MutationOutcome;
}

/** Runs a destructive operation through the whole confirm-token flow. */
export async function confirmed(skill: PveSkill, name: string, input: Record<string, unknown>): Promise<MutationOutcome> {
  const first = (await skill.run(name, input)) as ConfirmationOutcome;
  expect(first.status).toBe("confirmation-required");
  return done(await skill.run(name, input, { confirm: first.confirmToken }));
}
