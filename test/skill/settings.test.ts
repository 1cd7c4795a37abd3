import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { resolveSkillSettings } from "../../src/skill/settings";

const dir = mkdtempSync(join(tmpdir(), "pvekit-settings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const yaml = join(dir, "config.yaml");
writeFileSync(
  yaml,
  [
    "mode: operator",
    "allowed:",
    "  vmids: [100, 200-299]",
    "  nodes: pve1",
    "audit_log: /var/log/from-yaml.log",
    "snapshots:",
    "  name: aiagent-snap-{change}",
  ].join("\n"),
);

test("defaults: read-only, no allow-lists, audit log under the state dir", () => {
  const s = resolveSkillSettings({}, { PVEKIT_STATE_DIR: dir });
  expect(s.mode).toBe("read-only");
  expect(s.allow).toEqual({ vmids: undefined, nodes: undefined, pools: undefined, tags: undefined });
  expect(s.auditLog).toBe(join(dir, "audit.log"));
  expect(s.snapshotName).toBe("pvekit-{change}");
});

test("the YAML config supplies mode, allow-lists, audit log and snapshot naming", () => {
  const s = resolveSkillSettings({ configFile: yaml }, {});
  expect(s.mode).toBe("operator");
  expect(s.allow.vmids).toEqual([
    { from: 100, to: 100 },
    { from: 200, to: 299 },
  ]);
  expect(s.allow.nodes).toEqual(["pve1"]);
  expect(s.auditLog).toBe("/var/log/from-yaml.log");
  expect(s.snapshotName).toBe("aiagent-snap-{change}");
});

test("environment beats YAML, explicit values beat the environment", () => {
  const env = { PVEKIT_CONFIG: yaml, PVEKIT_MODE: "admin", PROXMOX_ALLOWED_NODES: "pve2,pve3", PROXMOX_ALLOWED_TAGS: "agent" };
  const fromEnv = resolveSkillSettings({}, env);
  expect(fromEnv.mode).toBe("admin");
  expect(fromEnv.allow.nodes).toEqual(["pve2", "pve3"]);
  expect(fromEnv.allow.tags).toEqual(["agent"]);
  const explicit = resolveSkillSettings({ mode: "read-only", allowedNodes: "pve9" }, env);
  expect(explicit.mode).toBe("read-only");
  expect(explicit.allow.nodes).toEqual(["pve9"]);
});

test("bad values are usage errors naming the setting", () => {
  expect(() => resolveSkillSettings({}, { PVEKIT_MODE: "god" })).toThrow(/Unknown mode "god"/);
  expect(() => resolveSkillSettings({}, { PVEKIT_CONFIRM_TTL: "soon" })).toThrow(/PVEKIT_CONFIRM_TTL/);
  expect(() => resolveSkillSettings({ configFile: join(dir, "missing.yaml") }, {})).toThrow(/Cannot read config file .*missing\.yaml/);
});
