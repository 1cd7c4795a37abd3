import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import type { SimServer } from "../../src/testing";
import { ansibleMissing, playbook } from "./ansible-fidelity";

const missing = await ansibleMissing();
if (missing) console.warn(`skipping the Ansible fidelity test (guests.yml): ${missing} (Debian: apt-get install -y ansible python3-proxmoxer)`);

describe.skipIf(Boolean(missing))("fidelity: Ansible's community.general Proxmox modules manage guests on the simulator", () => {
  const sim = createSimulator();
  let server: SimServer;
  beforeAll(async () => {
    server = await sim.listen({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it("proxmox_kvm, proxmox_nic, proxmox_disk, proxmox_snap and proxmox: changes once, then changed=false", async () => {
    const run = await playbook(sim, server, "guests.yml");
    const failed = run.tasks.filter((t) => t.failed).map((t) => `${t.name}: ${JSON.stringify(t.result.msg ?? t.result)}`);
    expect(failed, run.ok ? "" : run.output.slice(-4000)).toEqual([]);
    expect(run.ok).toBe(true);
    // every task the playbook names ran (the asserts in it check Ansible's own changed reporting)
    const changed = Object.fromEntries(run.tasks.map((t) => [t.name, t.changed]));
    expect(changed).toMatchObject({ "Create a VM with a NIC and a disk": true, "Create the VM again (idempotent)": false, "Create the container again": false });
    // and the cluster holds what PVE would
    const vm = sim.state.guests.get(150)!;
    expect(vm.config.net0).toMatch(/^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0$/);
    expect(vm.config.scsi0).toBe("local-lvm:vm-150-disk-0,size=4G");
    expect(vm.config.tags).toBe("ansible;web");
    expect(Object.keys(vm.config).filter((k) => /^(scsi1|unused\d+|net1)$/.test(k))).toEqual([]);
    expect(vm.status).toBe("stopped");
    expect(sim.state.guests.has(151)).toBe(false);
    const ct = sim.state.guests.get(250)!;
    expect(ct).toMatchObject({ type: "lxc", status: "running", config: { hostname: "ans-ct", rootfs: "local-lvm:vm-250-disk-0,size=4G" } });
    expect(ct.config.net0).toMatch(/^name=eth0,bridge=vmbr0,hwaddr=BC:24:11:[0-9A-F:]{8},ip=dhcp,type=veth$/);
    expect(JSON.stringify(ct.config)).not.toContain("ct-root-password");
  }, 300_000);
});
