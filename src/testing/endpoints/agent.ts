import { fail } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import { type Endpoint, on } from "./endpoint";

/** The checks qemu-server's agent calls make, in PVE's order and words. */
function agentReady(ctx: SimContext) {
  const g = ctx.guest("qemu");
  ctx.check(`/vms/${g.vmid}`, ["VM.GuestAgent.Audit", "VM.Monitor"], true);
  const agent = g.config.agent;
  if (agent === undefined || /^(0|enabled=0)/.test(String(agent))) throw fail("No QEMU guest agent configured");
  if (g.status !== "running") throw fail(`VM ${g.vmid} is not running`);
  if (!g.agent) throw fail("QEMU guest agent is not running");
  return g;
}

export const agentEndpoints: Endpoint[] = [
  on("GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces", (ctx) => {
    const g = agentReady(ctx);
    return {
      result: (g.agent ?? []).map((nic) => ({
        name: nic.name,
        "hardware-address": nic.mac,
        "ip-addresses": nic.ips.map((ip) => ({ "ip-address": ip.address, "ip-address-type": ip.type, prefix: ip.prefix })),
        statistics: { "rx-bytes": 1_234_567, "rx-packets": 4321, "rx-errs": 0, "rx-dropped": 0, "tx-bytes": 765_432, "tx-packets": 2345, "tx-errs": 0, "tx-dropped": 0 },
      })),
    };
  }),
  on("POST /nodes/{node}/qemu/{vmid}/agent/ping", (ctx) => {
    agentReady(ctx);
    return { result: {} };
  }),
];
