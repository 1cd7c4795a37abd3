import { accessEndpoints } from "./access";
import { agentEndpoints } from "./agent";
import { backupEndpoints } from "./backup";
import { bulkEndpoints } from "./bulk";
import { clusterEndpoints } from "./cluster";
import { configEndpoints } from "./config";
import { createCloneEndpoints } from "./create-clone";
import type { Endpoint } from "./endpoint";
import { guestEndpoints } from "./guests";
import { logEndpoints } from "./logs";
import { lxcInterfaceEndpoints } from "./lxc-interfaces";
import { manageEndpoints } from "./manage";
import { nodeEndpoints } from "./nodes";
import { poolEndpoints } from "./pools";
import { powerEndpoints } from "./power";
import { snapshotEndpoints } from "./snapshots";
import { storageEndpoints } from "./storage";
import { taskEndpoints } from "./tasks";

export type { Endpoint } from "./endpoint";

/** Every route the simulator implements with real behaviour. */
export const endpoints: readonly Endpoint[] = [
  ...accessEndpoints,
  ...agentEndpoints,
  ...backupEndpoints,
  ...bulkEndpoints,
  ...clusterEndpoints,
  ...configEndpoints,
  ...createCloneEndpoints,
  ...guestEndpoints,
  ...logEndpoints,
  ...lxcInterfaceEndpoints,
  ...manageEndpoints,
  ...nodeEndpoints,
  ...poolEndpoints,
  ...powerEndpoints,
  ...snapshotEndpoints,
  ...storageEndpoints,
  ...taskEndpoints,
];
