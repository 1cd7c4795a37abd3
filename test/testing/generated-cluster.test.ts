import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import { generateCluster } from "../../src/testing/generated-cluster";
import { call } from "./helpers";

describe("generated clusters: createSimulator({ nodes, guests })", () => {
  it("builds a realistic mixed cluster, the same every time", () => {
    const a = generateCluster(1_700_000_000, { nodes: 16, guests: 2000 });
    const b = generateCluster(1_700_000_000, { nodes: 16, guests: 2000 });
    expect(JSON.stringify([...a.guests.values()])).toBe(JSON.stringify([...b.guests.values()]));
    expect(JSON.stringify([...generateCluster(1_700_000_000, { nodes: 16, guests: 2000, seed: 2 }).guests.values()])).not.toBe(JSON.stringify([...a.guests.values()]));
    const guests = [...a.guests.values()];
    expect(a.nodes.map((n) => n.name)).toEqual(Array.from({ length: 16 }, (_, i) => `pve${i + 1}`));
    expect(guests).toHaveLength(2000);
    const share = (f: (g: (typeof guests)[number]) => boolean) => guests.filter(f).length / guests.length;
    expect(share((g) => g.type === "lxc")).toBeGreaterThan(0.2);
    expect(share((g) => g.type === "lxc")).toBeLessThan(0.4);
    expect(share((g) => g.status === "running")).toBeGreaterThan(0.5);
    expect(guests.filter((g) => g.config.template).length).toBe(40);
    expect(new Set(guests.map((g) => g.pool).filter(Boolean))).toEqual(new Set(["production", "staging", "development", "ci"]));
    expect(guests.every((g) => typeof g.config.tags === "string" && String(g.config.tags).length > 0)).toBe(true);
    for (const n of a.nodes) expect(guests.filter((g) => g.node === n.name)).toHaveLength(125);
    expect(a.storages.map((s) => s.storage)).toEqual(["local", "local-lvm", "nas"]);
    // unique MACs
    const macs = guests.map((g) => /([0-9A-F]{2}(:[0-9A-F]{2}){5})/.exec(String(g.config.net0))?.[1]);
    expect(new Set(macs).size).toBe(2000);
    expect(() => generateCluster(0, { nodes: 0, guests: 1 })).toThrow(/nodes must be 1–64/);
  });

  it("serves 16 nodes and 2,000 guests through the API, and shuts them all down with one bulk action", async () => {
    const sim = createSimulator({ nodes: 16, guests: 2000, clock: { mode: "manual" }, taskDurationMs: 5000 });
    const vms = (await call(sim, "GET", "/cluster/resources", { type: "vm" })).data as { vmid: number; status: string; template: number }[];
    expect(vms).toHaveLength(2000);
    // guests shut down in groups by startup order (PVE: one order after the other), 16 at a time within a group
    const groups = new Map<string, number>();
    for (const g of sim.state.guests.values()) {
      if (g.status !== "running") continue;
      const order = /order=(\d+)/.exec(String(g.config.startup ?? ""))?.[1] ?? "last";
      groups.set(order, (groups.get(order) ?? 0) + 1);
    }
    expect(groups.size).toBeGreaterThan(1);
    const rounds = [...groups.values()].reduce((sum, n) => sum + Math.ceil(n / 16), 0);
    const nodeVms = (await call(sim, "GET", "/nodes/pve7/qemu")).data.length + (await call(sim, "GET", "/nodes/pve7/lxc")).data.length;
    expect(nodeVms).toBe(125);
    const upid = (await call(sim, "POST", "/cluster/bulk-action/guest/shutdown", { "max-workers": 16 })).data as string;
    sim.clock.advance(3600_000);
    const status = (await call(sim, "GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`)).data;
    expect(status.status).toBe("stopped");
    expect(status.exitstatus).toMatch(/^WARNINGS: \d+$/); // the stopped ones were skipped
    const after = (await call(sim, "GET", "/cluster/resources", { type: "vm" })).data as { status: string }[];
    expect(after.filter((v) => v.status === "running")).toHaveLength(0);
    // 5 s per round of 16: the whole run took exactly that much virtual time
    const took = (sim.tasks.get(upid)?.endtime as number) - (status.starttime as number);
    expect(took).toBe(rounds * 5);
  });
});
