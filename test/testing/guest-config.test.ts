import { describe, expect, it } from "vitest";
import { propertyFormats } from "../../src/generated/formats";
import type { PropertyFormatMeta } from "../../src/generated/meta-types";
import { createSimulator } from "../../src/testing";
import type { ClusterState } from "../../src/testing";
import { parsePve, printPve } from "../../src/testing/guest-config/property-string";
import { call } from "./helpers";

type Sim = ReturnType<typeof createSimulator>;
const fmt = (id: string) => (propertyFormats as Record<string, PropertyFormatMeta>)[id] as PropertyFormatMeta;
const MAC = /^virtio=BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2},bridge=vmbr0$/;

async function done(sim: Sim, node: string, upid: string): Promise<{ exitstatus: string; log: string[] }> {
  const status = (await call(sim, "GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`)).data;
  const log = (await call(sim, "GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/log`, { limit: 500 })).data.map((l: { t: string }) => l.t);
  return { exitstatus: status.exitstatus, log };
}

const withNas = (s: ClusterState) => {
  s.storages.push({ storage: "nas", type: "nfs", content: ["images", "rootdir", "iso"], shared: true, total: 2 * 1024 ** 4, volumes: {} });
};

describe("property strings as PVE prints them", () => {
  it("puts the default key first (with its key alias), then required keys, then the rest sorted", () => {
    const net = fmt("qemu-net");
    expect(parsePve(net, "virtio,bridge=vmbr0,firewall=true")).toEqual({ model: "virtio", bridge: "vmbr0", firewall: "1" });
    expect(printPve(net, { bridge: "vmbr0", model: "virtio", macaddr: "BC:24:11:00:00:01", tag: "5", firewall: "1" })).toBe(
      "virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1,tag=5",
    );
    expect(printPve(fmt("lxc-net"), { hwaddr: "BC:24:11:00:00:02", bridge: "vmbr0", name: "eth0", ip: "dhcp", type: "veth" })).toBe(
      "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:02,ip=dhcp,type=veth",
    );
    // disk-size values in PVE::JSONSchema::format_size form
    expect(printPve(fmt("qemu-scsi"), { file: "local-lvm:vm-1-disk-0", size: String(8 * 1024 ** 3), iothread: "1" })).toBe("local-lvm:vm-1-disk-0,iothread=1,size=8G");
    expect(printPve(fmt("qemu-scsi"), { file: "local-lvm:vm-1-disk-0", size: "1536M" })).toBe("local-lvm:vm-1-disk-0,size=1536M");
  });
});

describe("QEMU configuration canonicalised as PVE does", () => {
  it("gives NICs a MAC in Proxmox's BC:24:11 range and allocates storage:size disks on create", async () => {
    const sim = createSimulator({ setup: withNas });
    const upid = (
      await call(sim, "POST", "/nodes/pve1/qemu", {
        vmid: 150,
        name: "canon",
        net0: "virtio,bridge=vmbr0",
        scsi0: "local-lvm:8",
        scsi1: "nas:2,format=qcow2",
        virtio0: "local-lvm:0,import-from=local:iso/debian-12.5.0-amd64-netinst.iso",
        ide2: "local:iso/debian-12.5.0-amd64-netinst.iso,media=cdrom",
        ide3: "none,media=cdrom",
        tags: "Web,db;web",
      })
    ).data as string;
    const task = await done(sim, "pve1", upid);
    expect(task.exitstatus).toBe("OK");
    expect(task.log).toContain("scsi0: successfully created disk 'local-lvm:vm-150-disk-0,size=8G'");
    const c = (await call(sim, "GET", "/nodes/pve1/qemu/150/config")).data;
    expect(c.net0).toMatch(MAC);
    expect(c.scsi0).toBe("local-lvm:vm-150-disk-0,size=8G");
    expect(c.scsi1).toBe("nas:150/vm-150-disk-0.qcow2,size=2G"); // file storage: <vmid>/ and the format's suffix
    expect(c.virtio0).toBe("local-lvm:vm-150-disk-1,size=629M"); // the source's size, in format_size's largest whole unit
    expect(c.ide2).toBe("local:iso/debian-12.5.0-amd64-netinst.iso,media=cdrom,size=629M");
    expect(c.ide3).toBe("none,media=cdrom");
    expect(c.tags).toBe("db;web");
    expect(c.boot).toBe("order=scsi0;ide2;net0");
    expect(c.smbios1).toMatch(/^uuid=[0-9a-f-]{36}$/);
    expect(c.meta).toMatch(/^creation-qemu=[\d.]+,ctime=\d+$/);
    expect(c.name).toBe("canon");
    // what Ansible's proxmox_kvm parses out of it (re.search('=(.*?),', net0))
    expect(/=(.*?),/.exec(c.net0)?.[1]).toMatch(/^BC:24:11:/);
  });

  it("refuses what PVE refuses before it starts: ISO without media=cdrom, bad import-from, storages without images", async () => {
    const sim = createSimulator();
    const iso = await call(sim, "POST", "/nodes/pve1/qemu", { vmid: 151, ide2: "local:iso/debian-12.5.0-amd64-netinst.iso" });
    expect([iso.status, iso.json.errors]).toEqual([400, { ide2: "explicit 'media=cdrom' is required for iso images" }]);
    const imp = await call(sim, "POST", "/nodes/pve1/qemu", { vmid: 151, scsi0: "local-lvm:4,import-from=local:iso/x.iso" });
    expect(imp.json.errors.scsi0).toBe("'import-from' requires special syntax - use <storage ID>:0,import-from=<source>");
    const store = await call(sim, "POST", "/nodes/pve1/qemu", { vmid: 151, scsi0: "local:4" });
    expect([store.status, store.json.errors]).toEqual([400, { storage: "storage 'local' does not support vm images" }]);
    expect((await call(sim, "POST", "/nodes/pve1/qemu", { vmid: 151, scsi0: "nope:4" })).statusText).toBe("storage 'nope' does not exist");
    expect(sim.state.guests.has(151)).toBe(false);
  });

  it("keeps a given MAC, normalises its spelling, and changes the digest with every change", async () => {
    const sim = createSimulator();
    const before = (await call(sim, "GET", "/nodes/pve2/qemu/102/config")).data.digest;
    await call(sim, "PUT", "/nodes/pve2/qemu/102/config", { net1: "e1000=bc:24:11:aa:bb:cc,firewall=yes,bridge=vmbr1" });
    const after = (await call(sim, "GET", "/nodes/pve2/qemu/102/config")).data;
    expect(after.net1).toBe("e1000=BC:24:11:AA:BB:CC,bridge=vmbr1,firewall=1");
    expect(after.digest).not.toBe(before);
    const snap = (await call(sim, "POST", "/nodes/pve2/qemu/102/snapshot", { snapname: "s1" })).data;
    expect((await done(sim, "pve2", snap)).exitstatus).toBe("OK");
    // the digest covers the whole file, snapshot sections included
    expect((await call(sim, "GET", "/nodes/pve2/qemu/102/config")).data.digest).not.toBe(after.digest);
  });

  it("moves detached disks to unusedN, frees them when unusedN is deleted, and re-attaching drops the unused entry", async () => {
    const sim = createSimulator();
    const path = "/nodes/pve2/qemu/102/config";
    await call(sim, "PUT", path, { scsi1: "local-lvm:4" });
    expect(sim.state.guests.get(102)?.config.scsi1).toBe("local-lvm:vm-102-disk-1,size=4G");
    await call(sim, "PUT", path, { delete: "scsi1" });
    let c = (await call(sim, "GET", path)).data;
    expect(c.scsi1).toBeUndefined();
    expect(c.unused0).toBe("local-lvm:vm-102-disk-1");
    // the volume is still there, with its size
    const content = (await call(sim, "GET", "/nodes/pve2/storage/local-lvm/content", { vmid: 102 })).data as { volid: string; size: number }[];
    expect(content.find((v) => v.volid === "local-lvm:vm-102-disk-1")?.size).toBe(4 * 1024 ** 3);
    // attaching it again (its size comes back) drops unused0
    await call(sim, "PUT", path, { scsi2: "local-lvm:vm-102-disk-1" });
    c = (await call(sim, "GET", path)).data;
    expect(c.scsi2).toBe("local-lvm:vm-102-disk-1,size=4G");
    expect(c.unused0).toBeUndefined();
    // replacing a disk's volume puts the old one to unused
    await call(sim, "PUT", path, { scsi2: "local-lvm:1" });
    c = (await call(sim, "GET", path)).data;
    expect(c.scsi2).toBe("local-lvm:vm-102-disk-2,size=1G");
    expect(c.unused0).toBe("local-lvm:vm-102-disk-1");
    await call(sim, "PUT", path, { delete: "unused0" });
    c = (await call(sim, "GET", path)).data;
    expect(c.unused0).toBeUndefined();
    const left = (await call(sim, "GET", "/nodes/pve2/storage/local-lvm/content", { vmid: 102 })).data as { volid: string }[];
    expect(left.map((v) => v.volid)).toEqual(["local-lvm:vm-102-disk-0", "local-lvm:vm-102-disk-2"]);
    // CD-ROMs are not kept as unused
    await call(sim, "PUT", path, { ide2: "none,media=cdrom" });
    await call(sim, "PUT", path, { delete: "ide2" });
    expect(Object.keys((await call(sim, "GET", path)).data).filter((k) => k.startsWith("unused"))).toEqual([]);
  });

  it("keeps changes a running VM cannot hot-plug pending until its next start (GET shows them, current=1 does not)", async () => {
    const sim = createSimulator();
    const path = "/nodes/pve1/qemu/101/config";
    expect((await call(sim, "PUT", path, { cores: 6, name: "db02", scsi1: "local-lvm:2", delete: "tags,cpu" })).status).toBe(200);
    const g = sim.state.guests.get(101)!;
    expect(g.config.name).toBe("db02"); // fast-plug
    expect(g.config.tags).toBeUndefined(); // update_vm_api deletes tags at once
    expect(g.config.scsi1).toBe("local-lvm:vm-101-disk-1,size=2G"); // disk hot-plug (scsi)
    expect(g.pending).toEqual({ cores: 6, delete: "cpu" });
    expect((await call(sim, "GET", path)).data).toMatchObject({ cores: 6 });
    expect((await call(sim, "GET", path)).data.cpu).toBeUndefined();
    expect((await call(sim, "GET", path, { current: 1 })).data).toMatchObject({ cores: 4, cpu: "x86-64-v2-AES" });
    const rows = (await call(sim, "GET", "/nodes/pve1/qemu/101/pending")).data as { key: string; value?: string; pending?: string; delete?: number }[];
    expect(rows.find((r) => r.key === "cores")).toEqual({ key: "cores", value: "4", pending: "6" });
    expect(rows.find((r) => r.key === "cpu")).toEqual({ key: "cpu", value: "x86-64-v2-AES", delete: 1 });
    // revert drops a pending change
    await call(sim, "PUT", path, { revert: "cpu" });
    expect(sim.state.guests.get(101)?.pending).toEqual({ cores: 6 });
    // stop, start: pending changes apply at start
    await call(sim, "POST", "/nodes/pve1/qemu/101/status/stop");
    await call(sim, "POST", "/nodes/pve1/qemu/101/status/start");
    expect(sim.state.guests.get(101)?.pending).toBeUndefined();
    expect(sim.state.guests.get(101)?.config.cores).toBe(6);
  });

  it("runs POST config as a qmconfig task whose log starts with PVE's update line", async () => {
    const sim = createSimulator({ clock: { mode: "manual" } });
    const upid = (await call(sim, "POST", "/nodes/pve2/qemu/102/config", { scsi1: "local-lvm:10", memory: 4096 })).data as string;
    expect(upid).toMatch(/:qmconfig:102:/);
    expect(sim.state.guests.get(102)?.config.scsi1).toBeUndefined(); // not before the task ends
    sim.clock.advance(1000);
    const task = await done(sim, "pve2", upid);
    expect(task.log).toEqual(["update VM 102: -memory 4096 -scsi1 local-lvm:10", "scsi1: successfully created disk 'local-lvm:vm-102-disk-1,size=10G'", "TASK OK"]);
    expect(sim.state.guests.get(102)?.config).toMatchObject({ memory: "4096", scsi1: "local-lvm:vm-102-disk-1,size=10G" }); // memory is a property string in PVE 9
  });

  it("unlinks disks: to unused, or deleted with force", async () => {
    const sim = createSimulator();
    await call(sim, "PUT", "/nodes/pve2/qemu/102/config", { scsi1: "local-lvm:1", scsi2: "local-lvm:1" });
    expect((await call(sim, "PUT", "/nodes/pve2/qemu/102/unlink", { idlist: "scsi1" })).status).toBe(200);
    expect((await call(sim, "PUT", "/nodes/pve2/qemu/102/unlink", { idlist: "scsi2", force: 1 })).status).toBe(200);
    const c = sim.state.guests.get(102)!.config;
    expect([c.scsi1, c.scsi2, c.unused0, c.unused1]).toEqual([undefined, undefined, "local-lvm:vm-102-disk-1", undefined]);
  });

  it("clones with new MACs and allocated disks; templates use base- volumes", async () => {
    const sim = createSimulator({ setup: withNas });
    const tpl = sim.state.guests.get(9000)!;
    const full = (await call(sim, "POST", "/nodes/pve2/qemu/9000/clone", { newid: 300, full: 1, storage: "nas", name: "c1" })).data;
    expect((await done(sim, "pve2", full)).exitstatus).toBe("OK");
    const c = sim.state.guests.get(300)!.config;
    expect(c.scsi0).toBe("nas:300/vm-300-disk-0.raw,size=8G");
    expect(c.net0).toMatch(MAC);
    expect(c.net0).not.toBe(tpl.config.net0);
    const linked = (await call(sim, "POST", "/nodes/pve2/qemu/9000/clone", { newid: 301 })).data;
    expect((await done(sim, "pve2", linked)).exitstatus).toBe("OK");
    expect(sim.state.guests.get(301)!.config.scsi0).toBe("local-lvm:base-9000-disk-0/vm-301-disk-0,size=8G");
    const t = (await call(sim, "POST", "/nodes/pve2/qemu/300/template")).data;
    expect((await done(sim, "pve2", t)).exitstatus).toBe("OK");
    expect(sim.state.guests.get(300)!.config.scsi0).toBe("nas:300/base-300-disk-0.raw,size=8G");
  });

  it("moves a disk to another storage, keeping the source as unused unless delete=1", async () => {
    const sim = createSimulator({ setup: withNas });
    const upid = (await call(sim, "POST", "/nodes/pve2/qemu/102/move_disk", { disk: "scsi0", storage: "nas" })).data;
    const task = await done(sim, "pve2", upid);
    expect(task.exitstatus).toBe("OK");
    expect(task.log[0]).toBe("copying volume 'local-lvm:vm-102-disk-0' from current storage 'local-lvm' to target storage 'nas'");
    expect(sim.state.guests.get(102)!.config).toMatchObject({ scsi0: "nas:102/vm-102-disk-0.raw,iothread=1,size=16G", unused0: "local-lvm:vm-102-disk-0" });
    const same = (await call(sim, "POST", "/nodes/pve2/qemu/102/move_disk", { disk: "scsi0", storage: "nas" })).data;
    expect((await done(sim, "pve2", same)).exitstatus).toBe("you can't move to the same storage with same format");
    const back = (await call(sim, "POST", "/nodes/pve2/qemu/102/move_disk", { disk: "scsi0", storage: "local-lvm", delete: 1 })).data;
    expect((await done(sim, "pve2", back)).exitstatus).toBe("OK");
    expect(sim.state.guests.get(102)!.config.scsi0).toBe("local-lvm:vm-102-disk-1,iothread=1,size=16G");
  });
});

describe("LXC configuration canonicalised as PVE does", () => {
  it("allocates rootfs and mount points, generates hwaddr, fills PVE's defaults", async () => {
    const sim = createSimulator();
    const upid = (
      await call(sim, "POST", "/nodes/pve1/lxc", {
        vmid: 250,
        ostemplate: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
        storage: "local-lvm",
        rootfs: "3",
        mp0: "local-lvm:1,mp=/data",
        net0: "name=eth0,bridge=vmbr0,ip=dhcp",
      })
    ).data;
    expect((await done(sim, "pve1", upid)).exitstatus).toBe("OK");
    const c = (await call(sim, "GET", "/nodes/pve1/lxc/250/config")).data;
    expect(c.rootfs).toBe("local-lvm:vm-250-disk-0,size=3G");
    expect(c.mp0).toBe("local-lvm:vm-250-disk-1,mp=/data,size=1G");
    expect(c.net0).toMatch(/^name=eth0,bridge=vmbr0,hwaddr=BC:24:11:[0-9A-F:]{8},ip=dhcp,type=veth$/);
    expect(c).toMatchObject({ hostname: "CT250", memory: 512, swap: 512, unprivileged: 1, arch: "amd64", ostype: "debian" });
    // without storage or rootfs PVE uses `local:4`, which holds no container directories by default
    const bad = await call(sim, "POST", "/nodes/pve1/lxc", { vmid: 251, ostemplate: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst" });
    expect([bad.status, bad.json.errors]).toEqual([400, { storage: "storage 'local' does not support container directories" }]);
  });

  it("detaches mount points to unusedN (a stopped container) and refuses to delete rootfs", async () => {
    const sim = createSimulator();
    const path = "/nodes/pve2/lxc/201/config";
    expect((await call(sim, "PUT", path, { mp0: "local-lvm:2,mp=/srv" })).status).toBe(200);
    expect(sim.state.guests.get(201)!.config.mp0).toBe("local-lvm:vm-201-disk-1,mp=/srv,size=2G");
    await call(sim, "PUT", path, { delete: "mp0" });
    expect(sim.state.guests.get(201)!.config).toMatchObject({ unused0: "local-lvm:vm-201-disk-1" });
    expect((await call(sim, "PUT", path, { delete: "rootfs" })).statusText).toBe("unable to delete required option 'rootfs'");
    const stale = await call(sim, "PUT", path, { digest: "0".repeat(40), cores: 2 });
    expect(stale.statusText).toBe("detected modified configuration - file changed by other user? Try again.");
  });

  it("applies a new net0 at once to a running container, with a new hwaddr when none is given", async () => {
    const sim = createSimulator();
    const old = String(sim.state.guests.get(200)!.config.net0);
    await call(sim, "PUT", "/nodes/pve1/lxc/200/config", { net0: "name=eth0,bridge=vmbr1,ip=dhcp", memory: 1024, arch: "arm64" });
    const g = sim.state.guests.get(200)!;
    expect(g.config.net0).toMatch(/^name=eth0,bridge=vmbr1,hwaddr=BC:24:11:/);
    expect(g.config.net0).not.toContain(/hwaddr=([^,]+)/.exec(old)?.[1]);
    expect(g.config.memory).toBe(1024); // memory hot-plugs
    expect(g.pending).toEqual({ arch: "arm64" }); // arch waits for the next start
  });
});
