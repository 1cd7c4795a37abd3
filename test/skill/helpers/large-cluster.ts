import type { ClusterState, GuestState } from "../../../src/testing/state-types";

/**
 * Turns the simulator's default cluster into `nodes` nodes and `guests` guests (VMIDs from 1000,
 * round-robin over the nodes, two VMs to one container, two of three running, every 100th a
 * template). For fleet tests and the bench until the simulator generates large clusters itself.
 */
export function largeCluster(nodes: number, guests: number): (state: ClusterState) => void {
  return (state) => {
    const proto = state.nodes[0]!;
    state.nodes = Array.from({ length: nodes }, (_, i) => ({ ...proto, name: `pve${i + 1}`, ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
    const vm = state.guests.get(102)!;
    const ct = state.guests.get(201)!;
    state.guests.clear();
    for (let i = 0; i < guests; i++) {
      const vmid = 1000 + i;
      const base = i % 3 === 2 ? ct : vm;
      const g: GuestState = {
        ...structuredClone(base),
        vmid,
        node: `pve${(i % nodes) + 1}`,
        status: i % 3 === 1 ? "stopped" : "running",
        snapshots: [],
      };
      g.config = { ...g.config, ...(base.type === "qemu" ? { name: `vm-${vmid}` } : { hostname: `ct-${vmid}` }), tags: i % 2 ? "web" : "db" };
      if (i % 100 === 99) {
        g.config.template = 1;
        g.status = "stopped";
      }
      if (g.status === "running") g.startedAt = Date.now() - 3_600_000;
      state.guests.set(vmid, g);
    }
  };
}
