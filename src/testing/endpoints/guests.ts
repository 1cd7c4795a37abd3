import { guestStatus } from "../guest-view";
import type { SimContext } from "../sim-context";
import { type Endpoint, GUEST_TYPES, on } from "./endpoint";

function list(ctx: SimContext, type: "qemu" | "lxc"): unknown[] {
  const node = ctx.node();
  const now = ctx.world.clock.now();
  return [...ctx.state.guests.values()]
    .filter((g) => g.type === type && g.node === node.name && ctx.can(`/vms/${g.vmid}`, ["VM.Audit"]))
    .sort((a, b) => a.vmid - b.vmid)
    .map((g) => {
      const s = guestStatus(g, now, node.maxcpu);
      if (type === "lxc") s.type = "lxc";
      return s;
    });
}

function current(ctx: SimContext, type: "qemu" | "lxc"): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Audit"]);
  const s = guestStatus(g, ctx.world.clock.now(), ctx.hostCpus(g.node));
  s.ha = { managed: 0 };
  if (type === "qemu") {
    s.agent = g.config.agent !== undefined && /^(1|enabled=1)/.test(String(g.config.agent)) ? 1 : 0;
    if (g.status === "running") {
      s["running-machine"] = "pc-i440fx-9.2+pve1";
      s["running-qemu"] = "9.2.0";
    }
  } else {
    s.type = "lxc";
  }
  return s;
}

export const guestEndpoints: Endpoint[] = GUEST_TYPES.flatMap((type) => [
  on(`GET /nodes/{node}/${type}`, (ctx) => list(ctx, type)),
  on(`GET /nodes/{node}/${type}/{vmid}/status/current`, (ctx) => current(ctx, type)),
]);
