import { operationInfo } from "./catalog";
import type { Operation } from "./operation";

/**
 * Where each operation is defined, loaded on first use: a command loads its own module (and what
 * that imports), not the input schemas and plans of every other operation.
 */
const LOADERS: Readonly<Record<string, () => Promise<Operation>>> = {
  status: () => import("./cluster-reads").then((m) => m.statusOp),
  nodes: () => import("./cluster-reads").then((m) => m.nodesOp),
  node: () => import("./cluster-reads").then((m) => m.nodeOp),
  nextid: () => import("./cluster-reads").then((m) => m.nextidOp),
  pools: () => import("./cluster-reads").then((m) => m.poolsOp),
  guests: () => import("./guest-list").then((m) => m.guestsOp),
  guest: () => import("./guest-reads").then((m) => m.guestOp),
  config: () => import("./guest-reads").then((m) => m.configOp),
  ips: () => import("./guest-reads").then((m) => m.ipsOp),
  snapshots: () => import("./guest-reads").then((m) => m.snapshotsOp),
  console: () => import("./console").then((m) => m.consoleOp),
  storage: () => import("./storage-reads").then((m) => m.storageOp),
  content: () => import("./storage-reads").then((m) => m.contentOp),
  backups: () => import("./storage-reads").then((m) => m.backupsOp),
  tasks: () => import("./task-reads").then((m) => m.tasksOp),
  task: () => import("./task-reads").then((m) => m.taskOp),
  logs: () => import("./log-reads").then((m) => m.logsOp),
  "cluster-log": () => import("./log-reads").then((m) => m.clusterLogOp),
  doctor: () => import("./doctor").then((m) => m.doctorOp),
  start: () => import("./power").then((m) => m.powerOperations.start),
  shutdown: () => import("./power").then((m) => m.powerOperations.shutdown),
  reboot: () => import("./power").then((m) => m.powerOperations.reboot),
  suspend: () => import("./power").then((m) => m.powerOperations.suspend),
  resume: () => import("./power").then((m) => m.powerOperations.resume),
  stop: () => import("./power").then((m) => m.powerOperations.stop),
  reset: () => import("./power").then((m) => m.powerOperations.reset),
  snapshot: () => import("./snapshots").then((m) => m.snapshotOp),
  rollback: () => import("./snapshots").then((m) => m.rollbackOp),
  delsnapshot: () => import("./snapshots").then((m) => m.delsnapshotOp),
  backup: () => import("./backup").then((m) => m.backupOp),
  restore: () => import("./backup").then((m) => m.restoreOp),
  clone: () => import("./clone").then((m) => m.cloneOp),
  "create-vm": () => import("./provisioning").then((m) => m.createVmOp),
  "create-ct": () => import("./provisioning").then((m) => m.createCtOp),
  template: () => import("./provisioning").then((m) => m.templateOp),
  delete: () => import("./provisioning").then((m) => m.deleteOp),
  tag: () => import("./membership").then((m) => m.tagOp),
  pool: () => import("./membership").then((m) => m.poolOp),
  resize: () => import("./resize").then((m) => m.resizeOp),
  migrate: () => import("./migrate").then((m) => m.migrateOp),
  set: () => import("./config-set").then((m) => m.setOp),
  api: () => import("./api-call").then((m) => m.apiOp),
};

/** The definition of operation `name` (its module loaded on first use), or undefined for a name not in the catalog. */
export async function loadOperation(name: string): Promise<Operation | undefined> {
  const load = operationInfo(name) ? LOADERS[name] : undefined;
  return load ? load() : undefined;
}
