import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { runCli } from "./helpers/run-cli";

test("pvekit --help explains tiers by parameters and allow-list semantics", async () => {
  const r = await runCli(["--help"], {});
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Tiers come from the endpoint AND its parameters/);
  expect(r.stdout).toMatch(/forceStop, skiplock/);
  expect(r.stdout).toMatch(/Allow-lists .* are checked against every target/s);
  expect(r.stdout).toMatch(/empty or malformed list is\s+a usage error/);
  expect(r.stdout).toMatch(/privilege-separated API token stay the real boundary/);
  const api = await runCli(["api", "--help"], {});
  expect(api.stdout).toMatch(/unknown endpoints and parameters are destructive/);
});

test("SKILL.md and README say the same, and that PVE's permissions are the real boundary", () => {
  const skill = readFileSync("SKILL.md", "utf8");
  expect(skill).toMatch(/This is the real boundary/);
  expect(skill).toMatch(/## How changes are tiered/);
  expect(skill).toMatch(/empty or malformed is a configuration error/);
  const readme = readFileSync("README.md", "utf8");
  expect(readme).toMatch(/### Safety: what is guarded, and what is not/);
  expect(readme).toMatch(/PVE's own permissions on\s+a privilege-separated API token are the real boundary/);
});
