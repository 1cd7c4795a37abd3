import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import { call } from "./helpers";

type Iface = { name: string; hwaddr: string; inet?: string; inet6?: string; "ip-addresses": { "ip-address": string; "ip-address-type": string; prefix: number }[] };

describe("GET /nodes/{node}/lxc/{vmid}/interfaces", () => {
  it("derives a running container's interfaces from its netN options", async () => {
    const sim = createSimulator({
      setup: (s) => {
        const ct = s.guests.get(200)!;
        ct.config.net1 = "name=eth1,bridge=vmbr1,hwaddr=BC:24:11:00:02:10,ip=10.0.0.5/16,ip6=fd00::5/64,type=veth";
      },
    });
    const r = await call(sim, "GET", "/nodes/pve1/lxc/200/interfaces");
    expect(r.status).toBe(200);
    const rows = r.data as Iface[];
    expect(rows.map((i) => i.name)).toEqual(["lo", "eth0", "eth1"]);
    const mac0 = String(sim.state.guests.get(200)!.config.net0).match(/hwaddr=([^,]+)/)![1]!.toLowerCase();
    const eth0 = rows[1]!;
    expect(eth0.hwaddr).toBe(mac0);
    expect(eth0.inet).toMatch(/^192\.168\.1\.\d+\/24$/); // ip=dhcp
    expect(eth0.inet6).toMatch(/^fe80::/);
    const eth1 = rows[2]!;
    expect(eth1).toMatchObject({ hwaddr: "bc:24:11:00:02:10", inet: "10.0.0.5/16" });
    expect(eth1["ip-addresses"].map((a) => [a["ip-address-type"], a["ip-address"], a.prefix])).toEqual([
      ["ipv4", "10.0.0.5", 16],
      ["ipv6", "fd00::5", 64],
      ["ipv6", "fe80::be24:11ff:fe00:210", 64],
    ]);
    // inet/inet6 hold one address per family (PVE keeps the last `ip addr` lists); ip-addresses has them all
    expect(eth1.inet6).toBe("fe80::be24:11ff:fe00:210/64");
  });

  it("answers PVE's errors for a stopped container, a VM and a caller without VM.Audit", async () => {
    const sim = createSimulator();
    expect((await call(sim, "GET", "/nodes/pve2/lxc/201/interfaces")).statusText).toBe("CT 201 not running");
    expect((await call(sim, "GET", "/nodes/pve1/lxc/100/interfaces")).statusText).toBe("Configuration file 'nodes/pve1/lxc/100.conf' does not exist");
    sim.state.guests.get(200)!.status = "stopped";
    expect((await call(sim, "GET", "/nodes/pve1/lxc/200/interfaces")).status).toBe(500);
  });
});
