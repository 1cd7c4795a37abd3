import { apiOp } from "./api-call";
import { backupOp, restoreOp } from "./backup";
import { cloneOp } from "./clone";
import { nextidOp, nodeOp, nodesOp, poolsOp, statusOp } from "./cluster-reads";
import { setOp } from "./config-set";
import { doctorOp } from "./doctor";
import { configOp, guestOp, guestsOp, ipsOp, snapshotsOp } from "./guest-reads";
import { consoleOp } from "./console";
import { clusterLogOp, logsOp } from "./log-reads";
import { poolOp, tagOp } from "./membership";
import { migrateOp } from "./migrate";
import type { Operation } from "./operation";
import { powerOperations } from "./power";
import { createCtOp, createVmOp, deleteOp, templateOp } from "./provisioning";
import { resizeOp } from "./resize";
import { delsnapshotOp, rollbackOp, snapshotOp } from "./snapshots";
import { backupsOp, contentOp, storageOp } from "./storage-reads";
import { taskOp, tasksOp } from "./task-reads";

/**
 * Every curated operation, loaded, in the catalog's order (./catalog). The CLI and `skill.run` load
 * one operation at a time (./registry); this list is for programs and servers that use them all.
 */
export const operations: readonly Operation[] = [
  // read
  statusOp,
  nodesOp,
  nodeOp,
  guestsOp,
  guestOp,
  configOp,
  ipsOp,
  consoleOp,
  snapshotsOp,
  storageOp,
  contentOp,
  backupsOp,
  tasksOp,
  taskOp,
  nextidOp,
  poolsOp,
  logsOp,
  clusterLogOp,
  doctorOp,
  // reversible
  powerOperations.start,
  powerOperations.shutdown,
  powerOperations.reboot,
  powerOperations.suspend,
  powerOperations.resume,
  snapshotOp,
  backupOp,
  cloneOp,
  createVmOp,
  createCtOp,
  restoreOp,
  tagOp,
  poolOp,
  // destructive
  powerOperations.stop,
  powerOperations.reset,
  rollbackOp,
  delsnapshotOp,
  resizeOp,
  migrateOp,
  templateOp,
  deleteOp,
  setOp,
  // any endpoint (tier decided per call)
  apiOp,
];

/** Looks up an operation by name in the loaded list. */
export function findOperation(name: string): Operation | undefined {
  return operations.find((op) => op.name === name);
}
