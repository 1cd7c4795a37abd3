import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { PolicyRefusedError } from "../../../src/skill/errors";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Red-team round on #11: an endpoint under /nodes/{node} that the rules do not know counted as "node-wide",
// allowed under PROXMOX_ALLOWED_NODES alone. Some reach every node: `execute` runs API calls of its own choosing
// (pve-manager API2/Nodes.pm execute, any path), a node shell (termproxy, vncshell, spiceshell) is root on a
// cluster whose /etc/pve is shared, and Ceph pools and monitors serve every node. They got a confirm token
// whose plan said "acts on node pve1".
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
  ["execute: API calls on any node", "post", "/nodes/pve1/execute", { commands: '[{"path":"/nodes/pve3/qemu/103/status/stop","method":"POST"}]' }],
  ["a node shell (termproxy)", "post", "/nodes/pve1/termproxy", {}],
  ["a node shell (vncshell)", "post", "/nodes/pve1/vncshell", {}],
  ["a node shell (spiceshell)", "post", "/nodes/pve1/spiceshell", {}],
  ["destroying a Ceph pool", "delete", "/nodes/pve1/ceph/pool/vmpool", {}],
  ["stopping a Ceph monitor", "post", "/nodes/pve1/ceph/stop", { service: "mon.pve1" }],
])("%s is refused under a node allow-list", async (_what, method, path, params) => {
  const err = await t
    .skill({ mode: "admin", allowedNodes: "pve1" })
    .run("api", { method, path, params })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PolicyRefusedError);
  expect((err as PolicyRefusedError).rule).toBe("allow-list");
  expect((err as Error).message).toMatch(/PROXMOX_ALLOWED_NODES/);
  expect(t.writes).toEqual([]);
});

test("a node-wide action that stays on its node still gets a plan under a node allow-list", async () => {
  const out = (await t
    .skill({ mode: "admin", allowedNodes: "pve1" })
    .run("api", { method: "post", path: "/nodes/pve1/status", params: { command: "reboot" } })) as ConfirmationOutcome;
  expect(out.status).toBe("confirmation-required");
});
