import type { NormSchema } from "../../src/schema/norm-types";

/**
 * Return schemas that real PVE answers contradict, like Proxmox's own list of broken schema
 * entries in pve-api-types. Each row was checked in PVE's Perl (cited) and has a test in
 * test/codegen/return-overrides.test.ts.
 *
 * The default is the schema's `optional` flag: PVE's return schemas are written next to the code
 * that fills them ("define return properties" commits since 2018), so a required property is sent
 * by hosts from then on. Where that flag is known to be unreliable the rows below make the
 * conservative choice: optional, so a missing value is a type the caller must handle.
 *
 * `property` is a dot path into the return value; array items are walked through, so `description`
 * of an array-of-objects return means each item's `description`. `*` means every property at any depth.
 */
export interface ReturnOverride {
  /** `"GET /nodes/{node}/status"` */
  method: string;
  property: string;
  /** `optional`: PVE may leave it out; `add`: PVE sends it although the schema does not declare it */
  change: { optional: true } | { add: NormSchema };
  /** what real hosts do, and where the Perl shows it */
  why: string;
}

export const RETURN_OVERRIDES: readonly ReturnOverride[] = [
  {
    method: "GET /nodes/{node}/qemu/{vmid}/snapshot",
    property: "description",
    change: { optional: true },
    why: "the `current` pseudo-snapshot had no description before qemu-server ce9b0a38 (2018-07, PVE 5.2); src/PVE/API2/Qemu.pm snapshot_list",
  },
  {
    method: "GET /nodes/{node}/lxc/{vmid}/snapshot",
    property: "description",
    change: { optional: true },
    why: "the `current` pseudo-snapshot had no description before pve-container f8e1ccc (2018-08, PVE 5.2); src/PVE/API2/LXC/Snapshot.pm list",
  },
  {
    method: "GET /nodes/{node}/qemu/{vmid}/status/current",
    property: "vmid",
    change: { optional: true },
    why: "vmstatus() set no vmid before qemu-server b1a70cab (2018-08); src/PVE/QemuServer.pm vmstatus",
  },
  {
    method: "GET /nodes/{node}/lxc/{vmid}/status/current",
    property: "vmid",
    change: { optional: true },
    why: "vmstatus() set no vmid for a single container before pve-container 8233d33 (2018-08); src/PVE/LXC.pm vmstatus",
  },
  {
    method: "GET /nodes/{node}/status",
    property: "*",
    change: { optional: true },
    why:
      "an open hash documented after the fact (`# TODO: document remaining ones`) that grew over releases: boot-info and " +
      "current-kernel since pve-manager 81fd95cf/20ad4e0e (2023-11, PVE 8.1), memory.available since 8fd3420b (2025-08, PVE 9.0); " +
      "PVE/API2/Nodes.pm status",
  },
  {
    method: "GET /nodes/{node}/lxc",
    property: "pid",
    change: { add: { type: "integer", optional: true, description: "Process id of the container's init (running containers)." } },
    why: "vmstatus() sets pid for running containers (a string before pve-container 8808fb6, 2021-06); src/PVE/LXC.pm vmstatus",
  },
  {
    method: "GET /nodes/{node}/lxc/{vmid}/status/current",
    property: "pid",
    change: { add: { type: "integer", optional: true, description: "Process id of the container's init (running containers)." } },
    why: "vmstatus() sets pid for running containers (a string before pve-container 8808fb6, 2021-06); src/PVE/LXC.pm vmstatus",
  },
];
