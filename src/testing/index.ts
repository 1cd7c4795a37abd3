/**
 * `pvekit/testing`: a stateful, schema-validating Proxmox VE simulator for tests.
 *
 * @example
 * const sim = createSimulator();
 * const server = setupServer(...sim.handlers);          // msw
 * const { url, fingerprint, close } = await sim.listen(); // or real HTTPS on 127.0.0.1
 */
import { PveSimulator, type PveSimulatorOptions } from "./pve-simulator";

export { PveSimulator, type PveSimulatorOptions } from "./pve-simulator";
export { Simulator, type SimulatorOptions, type SimRequest, type SimCoverage } from "./simulator";
export { generateCluster, type GeneratedClusterOptions } from "./generated-cluster";
export type { SimUpload } from "./multipart-upload";
export type { ClusterLogEntry } from "./event-log";
export type { AclEntry, UserRecord, TokenRecord, GroupRecord, RealmRecord, RoleRecord } from "./access-control";
export type { SimResponse } from "./sim-response";
export type { ListenOptions, SimServer } from "./https-server";
export type { ClockMode, ClockOptions, VirtualClock } from "./clock";
export type { Fault, FaultOptions, FaultRule } from "./faults";
export type { SimCredentials, CredentialOptions, TokenCredential, UserCredential } from "./credentials";
export type { ClusterState, GuestState, GuestConfig, NodeState, StorageState, PoolState, SnapshotState, VolumeState } from "./state-types";
export type { TaskRecord } from "./task-table";
export { createMswHandlers } from "./msw-handlers";
export { createSelfSignedCert, type SelfSignedCert } from "./self-signed-cert";
export { formatUpid } from "./upid";
export { totpCode } from "./totp";

/** Creates a simulator with both faces: `sim.handlers` (msw) and `sim.listen()` (HTTPS). */
export function createSimulator(options?: PveSimulatorOptions): PveSimulator {
  return new PveSimulator(options);
}
