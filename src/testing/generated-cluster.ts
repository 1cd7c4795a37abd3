import { vzdumpStamp } from "./task-progress";
import type { ClusterState, GuestState, PoolState, StorageState, VolumeState } from "./state-types";

const GiB = 1024 ** 3;
const DAY = 86_400;

/** How big a generated cluster is; the same options always give the same cluster. */
export interface GeneratedClusterOptions {
  /** number of nodes (pve1 … pveN), 1–64 */
  nodes: number;
  /** number of guests (VMs, containers and a few templates), 0–100 000 */
  guests: number;
  /** changes the cluster while keeping it reproducible (default 1) */
  seed?: number;
}

/** mulberry32: a tiny deterministic PRNG, so generated clusters are identical run to run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROLES = ["web", "db", "cache", "app", "worker", "proxy", "mail", "dns", "monitor", "build", "git", "vpn"];
const TAGS = ["prod", "staging", "dev", "ci", "web", "db", "backup", "critical", "eu", "us"];
const POOLS: PoolState[] = [
  { poolid: "production", comment: "Production workloads", storage: [] },
  { poolid: "staging", comment: "Staging", storage: [] },
  { poolid: "development", comment: "Developers' sandboxes", storage: [] },
  { poolid: "ci", comment: "CI runners", storage: [] },
];
const OSTYPES = ["l26", "l26", "l26", "l26", "win11", "win10", "other"];
const CT_TEMPLATES = ["debian-12-standard_12.7-1_amd64.tar.zst", "ubuntu-24.04-standard_24.04-2_amd64.tar.zst", "alpine-3.20-default_20240908_amd64.tar.xz"];

/** `BC:24:11:xx:yy:zz` from a counter (unique within the cluster). */
const mac = (n: number): string =>
  `BC:24:11:${[(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff].map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":")}`;

/**
 * A realistic cluster of any size for tests and benchmarks: `nodes` nodes, each with `local` (ISOs,
 * templates, backups) and `local-lvm` (disks), a shared `nas` (NFS) storage; `guests` guests spread
 * over the nodes — about 70 % QEMU VMs and 30 % containers, most of them running, one template per
 * 50 guests, pools, tags, onboot and startup orders, some snapshots and backups. Deterministic.
 */
export function generateCluster(nowSec: number, opts: GeneratedClusterOptions): ClusterState {
  const nodeCount = Math.trunc(opts.nodes);
  const guestCount = Math.trunc(opts.guests);
  if (!(nodeCount >= 1 && nodeCount <= 64)) throw new RangeError(`nodes must be 1–64, got ${opts.nodes}`);
  if (!(guestCount >= 0 && guestCount <= 100_000)) throw new RangeError(`guests must be 0–100000, got ${opts.guests}`);
  const rand = prng(opts.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const nodes = Array.from({ length: nodeCount }, (_, i) => `pve${i + 1}`);

  const isoVolumes = (): VolumeState[] => [
    { volid: "local:iso/debian-12.5.0-amd64-netinst.iso", content: "iso", format: "iso", size: 659_554_304, ctime: nowSec - 30 * DAY },
    ...CT_TEMPLATES.map((t): VolumeState => ({ volid: `local:vztmpl/${t}`, content: "vztmpl", format: t.endsWith(".xz") ? "txz" : "tzst", size: 126_062_510, ctime: nowSec - 30 * DAY })),
  ];
  const local: StorageState = {
    storage: "local",
    type: "dir",
    content: ["backup", "iso", "vztmpl"],
    shared: false,
    total: 100 * GiB,
    options: { path: "/var/lib/vz" },
    volumes: Object.fromEntries(nodes.map((n) => [n, isoVolumes()])),
  };
  const localLvm: StorageState = {
    storage: "local-lvm",
    type: "lvmthin",
    content: ["images", "rootdir"],
    shared: false,
    total: Math.max(400, Math.ceil(guestCount / nodeCount) * 40) * GiB,
    options: { thinpool: "data", vgname: "pve" },
    volumes: {},
  };
  const nas: StorageState = {
    storage: "nas",
    type: "nfs",
    content: ["backup", "images", "iso"],
    shared: true,
    total: Math.max(2048, guestCount * 20) * GiB,
    options: { server: "192.168.1.5", export: "/export/pve", path: "/mnt/pve/nas" },
    volumes: { "*": [] },
  };

  const guests: GuestState[] = [];
  for (let i = 0; i < guestCount; i++) {
    const vmid = 100 + i;
    const node = nodes[i % nodeCount] as string;
    const template = i % 50 === 49;
    const lxc = !template && rand() < 0.3;
    const role = pick(ROLES);
    const name = `${role}-${String(i + 1).padStart(4, "0")}`;
    const memory = pick([512, 1024, 2048, 4096, 8192]);
    const cores = pick([1, 2, 2, 4, 8]);
    const size = pick([8, 16, 32, 64]);
    const onNas = rand() < 0.2;
    const disk = `${onNas ? `nas:${vmid}/vm-${vmid}-disk-0.raw` : `local-lvm:${template ? "base" : "vm"}-${vmid}-disk-0`}`;
    const tags = [...new Set([pick(TAGS), ...(rand() < 0.4 ? [pick(TAGS)] : [])])].sort().join(";");
    const running = !template && rand() < 0.65;
    const config: GuestState["config"] = lxc
      ? {
          hostname: name,
          memory,
          swap: 512,
          cores,
          arch: "amd64",
          ostype: "debian",
          rootfs: `${disk},size=${size}G`,
          net0: `name=eth0,bridge=vmbr0,hwaddr=${mac(i + 1)},ip=dhcp,type=veth`,
          unprivileged: 1,
          tags,
        }
      : {
          name,
          memory: String(memory),
          cores,
          sockets: 1,
          cpu: "x86-64-v2-AES",
          ostype: pick(OSTYPES),
          scsihw: "virtio-scsi-single",
          scsi0: `${disk},iothread=1,size=${size}G`,
          net0: `virtio=${mac(i + 1)},bridge=vmbr0`,
          boot: "order=scsi0;net0",
          tags,
          ...(rand() < 0.5 ? { agent: "1" } : {}),
        };
    if (template) config.template = 1;
    if (!template && rand() < 0.5) config.onboot = 1;
    if (!template && rand() < 0.15) config.startup = `order=${1 + Math.floor(rand() * 3)}`;
    const g: GuestState = { vmid, type: lxc ? "lxc" : "qemu", node, status: running ? "running" : "stopped", config, snapshots: [] };
    if (running) g.startedAt = (nowSec - Math.floor(rand() * 30 * DAY)) * 1000;
    const poolRoll = rand();
    if (poolRoll < 0.8) g.pool = (POOLS[Math.floor(poolRoll * 5)] as PoolState).poolid;
    if (!template && rand() < 0.1) {
      g.snapshots.push({ name: "before-upgrade", snaptime: nowSec - 3 * DAY, vmstate: false, config: { ...config }, running });
      g.config.parent = "before-upgrade";
    }
    if (!template && rand() < 0.1) {
      const ext = lxc ? "tar.zst" : "vma.zst";
      const stamp = vzdumpStamp((nowSec - DAY) * 1000);
      (nas.volumes["*"] as VolumeState[]).push({
        volid: `nas:backup/vzdump-${lxc ? "lxc" : "qemu"}-${vmid}-${stamp}.${ext}`,
        content: "backup",
        format: ext,
        size: Math.round(size * GiB * 0.1),
        ctime: nowSec - DAY,
        vmid,
        config: { ...config },
      });
    }
    guests.push(g);
  }

  return {
    clusterName: "simcluster",
    version: { version: "9.2.11", release: "9.2", repoid: "5ab1e5d1" },
    nodes: nodes.map((name, i) => ({
      name,
      online: true,
      ip: `192.168.${1 + Math.floor(i / 200)}.${11 + (i % 200)}`,
      maxcpu: 64,
      maxmem: 512 * GiB,
      cpuModel: "AMD EPYC 9354 32-Core Processor",
    })),
    guests: new Map(guests.map((g) => [g.vmid, g])),
    storages: [local, localLvm, nas],
    pools: new Map(POOLS.map((p) => [p.poolid, { ...p, storage: [] }])),
    nextIdLower: 100,
  };
}
