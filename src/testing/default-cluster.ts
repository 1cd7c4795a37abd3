import { vzdumpStamp } from "./task-progress";
import type { ClusterState, GuestState, StorageState } from "./state-types";

const GiB = 1024 ** 3;
const DAY = 86_400;

/**
 * The cluster a fresh simulator starts with: three nodes, QEMU VMs and LXC containers in
 * every state (running, stopped, a template, one with a guest agent reporting IPs), storages
 * `local` and `local-lvm` with content, a pool, tags, backups and snapshots.
 */
export function defaultCluster(nowSec: number): ClusterState {
  const guests: GuestState[] = [
    {
      vmid: 100,
      type: "qemu",
      node: "pve1",
      status: "running",
      config: {
        name: "web01",
        memory: 4096,
        cores: 2,
        sockets: 1,
        cpu: "x86-64-v2-AES",
        ostype: "l26",
        scsihw: "virtio-scsi-single",
        scsi0: "local-lvm:vm-100-disk-0,iothread=1,size=32G",
        ide2: "none,media=cdrom",
        net0: "virtio=BC:24:11:00:01:00,bridge=vmbr0,firewall=1",
        boot: "order=scsi0;ide2;net0",
        agent: "1",
        onboot: 1,
        tags: "prod;web",
        parent: "pre-upgrade",
      },
      snapshots: [],
      agent: [
        { name: "lo", mac: "00:00:00:00:00:00", ips: [{ address: "127.0.0.1", type: "ipv4", prefix: 8 }] },
        {
          name: "eth0",
          mac: "bc:24:11:00:01:00",
          ips: [
            { address: "192.168.1.100", type: "ipv4", prefix: 24 },
            { address: "fe80::be24:11ff:fe00:100", type: "ipv6", prefix: 64 },
          ],
        },
      ],
      pool: "production",
    },
    qemu(101, "pve1", "db01", "running", { memory: 8192, cores: 4, size: 64, tags: "db;prod", mac: "BC:24:11:00:01:01" }),
    qemu(102, "pve2", "test-vm", "stopped", { memory: 2048, cores: 2, size: 16, mac: "BC:24:11:00:01:02" }),
    qemu(103, "pve3", "win11", "stopped", { memory: 8192, cores: 4, size: 80, ostype: "win11", mac: "BC:24:11:00:01:03" }),
    qemu(9000, "pve2", "debian-12-template", "stopped", { memory: 2048, cores: 2, size: 8, mac: "BC:24:11:00:90:00" }),
    lxc(200, "pve1", "proxy", "running", { memory: 512, size: 8, tags: "prod", mac: "BC:24:11:00:02:00" }),
    lxc(201, "pve2", "build-ct", "stopped", { memory: 2048, size: 20, tags: "ci", mac: "BC:24:11:00:02:01" }),
  ];
  const template = guests.find((g) => g.vmid === 9000) as GuestState;
  template.config.template = 1;
  template.config.scsi0 = "local-lvm:base-9000-disk-0,size=8G";

  const web = guests[0] as GuestState;
  web.startedAt = (nowSec - 3 * DAY) * 1000;
  const { parent: _parent, ...snapConfig } = web.config;
  web.snapshots.push({
    name: "pre-upgrade",
    description: "before the dist-upgrade",
    snaptime: nowSec - 7 * DAY,
    vmstate: false,
    config: snapConfig,
    running: true,
  });
  for (const g of guests) if (g.status === "running" && g.startedAt === undefined) g.startedAt = (nowSec - DAY) * 1000;
  (guests.find((g) => g.vmid === 101) as GuestState).pool = "production";
  (guests.find((g) => g.vmid === 200) as GuestState).pool = "production";

  const nodes = ["pve1", "pve2", "pve3"];
  const backup = (node: string, vmid: number, type: "qemu" | "lxc", daysAgo: number, size: number) => {
    const t = new Date((nowSec - daysAgo * DAY) * 1000);
    const stamp = vzdumpStamp(t.getTime());
    const ext = type === "qemu" ? "vma.zst" : "tar.zst";
    return {
      node,
      volume: {
        volid: `local:backup/vzdump-${type}-${vmid}-${stamp}.${ext}`,
        content: "backup" as const,
        format: ext,
        size,
        ctime: nowSec - daysAgo * DAY,
        vmid,
        notes: `${type === "qemu" ? "web01" : "proxy"} nightly`,
      },
    };
  };
  const local: StorageState = {
    storage: "local",
    type: "dir",
    content: ["backup", "iso", "vztmpl"],
    shared: false,
    total: 100 * GiB,
    options: { path: "/var/lib/vz" },
    volumes: Object.fromEntries(
      nodes.map((n) => [
        n,
        [
          { volid: "local:iso/debian-12.5.0-amd64-netinst.iso", content: "iso" as const, format: "iso", size: 659_554_304, ctime: nowSec - 30 * DAY },
          {
            volid: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
            content: "vztmpl" as const,
            format: "tzst",
            size: 126_062_510,
            ctime: nowSec - 30 * DAY,
          },
        ],
      ]),
    ),
  };
  for (const b of [backup("pve1", 100, "qemu", 2, 3 * GiB), backup("pve1", 100, "qemu", 1, 3 * GiB), backup("pve1", 200, "lxc", 1, GiB)]) {
    local.volumes[b.node]?.push(b.volume);
  }
  const localLvm: StorageState = {
    storage: "local-lvm",
    type: "lvmthin",
    content: ["images", "rootdir"],
    shared: false,
    total: 400 * GiB,
    volumes: {},
    options: { thinpool: "data", vgname: "pve" },
  };

  return {
    clusterName: "simcluster",
    version: { version: "9.2.11", release: "9.2", repoid: "5ab1e5d1" },
    nodes: nodes.map((name, i) => ({ name, online: true, ip: `192.168.1.${11 + i}`, maxcpu: 16, maxmem: 64 * GiB, cpuModel: "AMD EPYC 7313P 16-Core Processor" })),
    guests: new Map(guests.map((g) => [g.vmid, g])),
    storages: [local, localLvm],
    pools: new Map([["production", { poolid: "production", comment: "Production workloads", storage: [] }]]),
    nextIdLower: 100,
  };
}

interface Shape {
  memory: number;
  cores?: number;
  size: number;
  tags?: string;
  ostype?: string;
  mac: string;
}

function qemu(vmid: number, node: string, name: string, status: "running" | "stopped", s: Shape): GuestState {
  return {
    vmid,
    type: "qemu",
    node,
    status,
    config: {
      name,
      memory: s.memory,
      cores: s.cores ?? 1,
      sockets: 1,
      cpu: "x86-64-v2-AES",
      ostype: s.ostype ?? "l26",
      scsihw: "virtio-scsi-single",
      scsi0: `local-lvm:vm-${vmid}-disk-0,iothread=1,size=${s.size}G`,
      net0: `virtio=${s.mac},bridge=vmbr0`,
      boot: "order=scsi0;net0",
      ...(s.tags ? { tags: s.tags } : {}),
    },
    snapshots: [],
  };
}

function lxc(vmid: number, node: string, hostname: string, status: "running" | "stopped", s: Shape): GuestState {
  return {
    vmid,
    type: "lxc",
    node,
    status,
    config: {
      hostname,
      memory: s.memory,
      swap: 512,
      cores: s.cores ?? 1,
      arch: "amd64",
      ostype: "debian",
      rootfs: `local-lvm:vm-${vmid}-disk-0,size=${s.size}G`,
      net0: `name=eth0,bridge=vmbr0,hwaddr=${s.mac},ip=dhcp,type=veth`,
      unprivileged: 1,
      ...(s.tags ? { tags: s.tags } : {}),
    },
    snapshots: [],
  };
}
