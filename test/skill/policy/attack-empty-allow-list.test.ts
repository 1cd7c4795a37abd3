import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { resolveSkillSettings } from "../../../src/skill/settings";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Finding 5: PROXMOX_ALLOWED_VMIDS="," or YAML `allowed_vmids: []` meant "no restriction". An allow-list that
// lists nothing, or a malformed one, is a configuration error (exit 2) and nothing runs. PVEKIT_MAX_MODE caps
// the mode whatever flag is given.
let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

function yaml(name: string, text: string): string {
  const file = join(t.stateDir, name);
  writeFileSync(file, text);
  return file;
}

describe("an empty or malformed allow-list is a configuration error, never 'no restriction'", () => {
  test.each([
    ["PROXMOX_ALLOWED_VMIDS=','", { PROXMOX_ALLOWED_VMIDS: "," }],
    ["PROXMOX_ALLOWED_VMIDS=' ; '", { PROXMOX_ALLOWED_VMIDS: " ; " }],
    ["PROXMOX_ALLOWED_NODES=','", { PROXMOX_ALLOWED_NODES: "," }],
    ["PROXMOX_ALLOWED_POOLS=''", { PROXMOX_ALLOWED_POOLS: "" }],
    ["PROXMOX_ALLOWED_TAGS='a b/c'", { PROXMOX_ALLOWED_TAGS: "a b/c" }],
  ])("%s: exit 2, the guest keeps running", async (_what, extra) => {
    const r = await runCli(["stop", "100", "--mode", "admin", "--json"], t.env(extra));
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/allow|PROXMOX_ALLOWED/i);
    expect(t.sim.state.guests.get(100)!.status).toBe("running");
  });

  test.each([
    ["allowed_vmids: []", "allowed_vmids: []\n"],
    ["allowed_vmids: ''", "allowed_vmids: ''\n"],
    ["allowed_vmids: (no value)", "allowed_vmids:\n"],
    ["allowed: { nodes: [] }", "allowed:\n  nodes: []\n"],
  ])("YAML %s: exit 2", async (_what, text) => {
    const r = await runCli(["start", "102", "--mode", "operator", "--config", yaml("empty.yaml", text)], t.env());
    expect(r.code).toBe(2);
    expect(t.sim.state.guests.get(102)!.status).toBe("stopped");
  });
});

describe("PVEKIT_MAX_MODE", () => {
  test("no flag raises the mode above it", async () => {
    const r = await runCli(["stop", "100", "--mode", "admin", "--json"], t.env({ PVEKIT_MAX_MODE: "operator" }));
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/PVEKIT_MAX_MODE/);
    const ok = await runCli(["start", "102", "--mode", "operator"], t.env({ PVEKIT_MAX_MODE: "operator" }));
    expect(ok.code).toBe(0);
  });
  test("nor a --config file whose max_mode is higher", async () => {
    const file = yaml("loose.yaml", "max_mode: admin\nmode: admin\n");
    const r = await runCli(["stop", "100", "--config", file, "--json"], t.env({ PVEKIT_MAX_MODE: "read-only" }));
    expect(r.code).toBe(4);
  });
  test("a malformed ceiling is a configuration error", () => {
    expect(() => resolveSkillSettings({}, { PVEKIT_MAX_MODE: "root" })).toThrow(/PVEKIT_MAX_MODE/);
  });
});

test("--config cannot drop the allow-lists of the $PVEKIT_CONFIG file the operator set", async () => {
  const strict = yaml("strict.yaml", "allowed_vmids: [102]\n");
  const loose = yaml("loose2.yaml", "mode: admin\n");
  const r = await runCli(["stop", "100", "--mode", "admin", "--config", loose, "--json"], t.env({ PVEKIT_CONFIG: strict }));
  expect(r.code).toBe(4);
  expect(r.stdout).toMatch(/VMID 100 is not in the allowed VMIDs/);
});
