/** The simulated cluster's data model (what `sim.state` holds). Plain data: easy to seed and snapshot. */

export type GuestType = "qemu" | "lxc";

/** A guest config as PVE stores it: option name -> value (strings and numbers, booleans as 0/1). */
export type GuestConfig = Record<string, string | number>;

export interface SnapshotState {
  name: string;
  description?: string;
  /** virtual seconds since epoch */
  snaptime: number;
  vmstate: boolean;
  parent?: string;
  /** the config at snapshot time */
  config: GuestConfig;
  /** whether the guest ran when the snapshot was taken (restored by rollback with vmstate) */
  running: boolean;
}

export interface AgentInterface {
  name: string;
  mac: string;
  ips: { address: string; type: "ipv4" | "ipv6"; prefix: number }[];
}

export interface GuestState {
  vmid: number;
  type: GuestType;
  node: string;
  status: "running" | "stopped";
  /** qemu: "paused"/"suspended" while status is running */
  paused?: boolean;
  /** lxc: suspended, i.e. checkpointed and stopped (`lxc-checkpoint -s`); resume restores it */
  checkpoint?: boolean;
  /** virtual ms when it was started (uptime) */
  startedAt?: number;
  config: GuestConfig;
  /**
   * Changes not applied yet (PVE's `[PENDING]` section): a running guest keeps what it cannot
   * hot-plug here until its next start; `delete` lists options to remove (`!key`: force).
   */
  pending?: GuestConfig;
  snapshots: SnapshotState[];
  /** guest agent data (qemu, running, agent enabled) */
  agent?: AgentInterface[];
  pool?: string;
}

export interface NodeState {
  name: string;
  online: boolean;
  ip: string;
  maxcpu: number;
  /** bytes */
  maxmem: number;
  cpuModel: string;
}

export interface VolumeState {
  volid: string;
  content: "iso" | "vztmpl" | "backup" | "snippets" | "import";
  format: string;
  size: number;
  /** virtual seconds */
  ctime: number;
  vmid?: number;
  notes?: string;
  protected?: boolean;
  /** backups: the guest's config when it was backed up (what a restore brings back) */
  config?: GuestConfig;
}

export interface StorageState {
  storage: string;
  /** storage plugin type: dir, lvmthin, lvm, nfs, cifs, zfspool, rbd, cephfs, pbs, … */
  type: string;
  content: string[];
  shared: boolean;
  /** `disable` in storage.cfg */
  disabled?: boolean;
  /** further storage.cfg options as PVE lists them (`path`, `vgname`, `thinpool`, `server`, `export`, `prune-backups` …) */
  options?: Record<string, string | number>;
  /** bytes per node (or total for shared) */
  total: number;
  /** nodes it exists on (undefined: all) */
  nodes?: string[];
  /** volumes that are not guest disks, per node (shared storage: key "*") */
  volumes: Record<string, VolumeState[]>;
}

export interface PoolState {
  poolid: string;
  comment?: string;
  storage: string[];
}

export interface ClusterState {
  clusterName: string;
  version: { version: string; release: string; repoid: string };
  nodes: NodeState[];
  guests: Map<number, GuestState>;
  storages: StorageState[];
  pools: Map<string, PoolState>;
  /** lowest id `/cluster/nextid` hands out */
  nextIdLower: number;
  /** sizes (bytes) of guest images whose config line carries no `size=` (unused volumes) */
  imageSizes?: Map<string, number>;
}
