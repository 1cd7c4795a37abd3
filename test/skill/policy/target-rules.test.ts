import { describe, expect, test } from "vitest";
import type { RouteMeta } from "../../../src/generated/meta-types";
import { routes } from "../../../src/generated/routes";
import { guestVolumeOwners, namedTargets, TARGET_FORMATS, TARGET_PARAMS, vmidsOf, type NamedTargets } from "../../../src/skill/policy/target-rules";

const meta = (route: string) => (routes as Record<string, RouteMeta>)[route];
const none: NamedTargets = { vmids: [], nodes: [], storages: [], pools: [] };

/** One request per row of TARGET_FORMATS: a real route whose parameter has that format. */
const FORMAT_CASES: Record<string, [route: string, params: Record<string, unknown>, expected: Partial<NamedTargets>]> = {
  "pve-vmid": ["POST /nodes/{node}/qemu/{vmid}/clone", { node: "pve1", vmid: 100, newid: 777 }, { vmids: [100, 777], nodes: ["pve1"] }],
  "pve-vmid-list": ["POST /nodes/{node}/vzdump", { node: "pve1", vmid: "100,101;102" }, { vmids: [100, 101, 102], nodes: ["pve1"] }],
  "pve-node": ["POST /nodes/{node}/qemu/{vmid}/migrate", { node: "pve1", vmid: 100, target: "pve3" }, { vmids: [100], nodes: ["pve1", "pve3"] }],
  "pve-node-list": ["POST /cluster/sdn/zones", { zone: "z", type: "evpn", exitnodes: "pve1,pve2" }, { nodes: ["pve1", "pve2"] }],
  "pve-storage-id": ["POST /nodes/{node}/qemu/{vmid}/clone", { node: "pve1", vmid: 100, newid: 300, storage: "nfs" }, { vmids: [100, 300], nodes: ["pve1"], storages: ["nfs"] }],
  "pve-storage-id-list": ["PUT /pools/{poolid}", { poolid: "lab", storage: "local,nfs" }, { storages: ["local", "nfs"], pools: ["lab"] }],
  "storage-pair-list": ["POST /nodes/{node}/qemu/{vmid}/migrate", { node: "pve1", vmid: 100, target: "pve2", targetstorage: "local-lvm:ceph,nfs" }, { vmids: [100], nodes: ["pve1", "pve2"], storages: ["local-lvm", "ceph", "nfs"] }],
  "pve-poolid": ["POST /nodes/{node}/qemu", { node: "pve1", vmid: 300, pool: "lab" }, { vmids: [300], nodes: ["pve1"], pools: ["lab"] }],
  "pve-ha-resource-or-vm-id": ["POST /cluster/ha/resources", { sid: "ct:201" }, { vmids: [201] }],
  "pve-volume-id": ["PUT /nodes/{node}/qemu/{vmid}/config", { node: "pve1", vmid: 100, hookscript: "snip:snippets/hook.pl" }, { vmids: [100], nodes: ["pve1"], storages: ["snip"] }],
  // a new disk: only its storage (qemu-server NEW_DISK_RE `storage:size`)
  "pve-volume-id-or-qm-path": ["POST /nodes/{node}/qemu", { node: "pve1", vmid: 300, scsi0: "nfs:32,ssd=1" }, { vmids: [300], nodes: ["pve1"], storages: ["nfs"] }],
  "pve-volume-id-or-absolute-path": ["POST /nodes/{node}/qemu", { node: "pve1", vmid: 300, virtio0: "nfs:0,import-from=ceph:vm-100-disk-1" }, { vmids: [300, 100], nodes: ["pve1"], storages: ["nfs", "ceph"] }],
  "pve-lxc-mp-string": ["POST /nodes/{node}/lxc", { node: "pve1", vmid: 300, ostemplate: "local:vztmpl/d.tar.zst", rootfs: "volume=zfs:8" }, { vmids: [300], nodes: ["pve1"], storages: ["zfs", "local"] }],
};

/** One request per row of TARGET_PARAMS, keyed `param @ route`. */
const CONTENT = "/nodes/{node}/storage/{storage}/content/{volume}";
const OWN_BACKUP = { node: "pve1", storage: "local", volume: "backup/vzdump-qemu-100-2025_01_01-00_00_00.vma.zst" };
const PARAM_CASES: Record<string, [route: string, params: Record<string, unknown>, expected: Partial<NamedTargets>]> = {
  "vms @ *": ["POST /cluster/bulk-action/guest/shutdown", { vms: [100, 101] }, { vmids: [100, 101] }],
  "path @ PUT /access/acl": ["PUT /access/acl", { path: "/vms/103", roles: "PVEVMUser", users: "a@pve" }, { vmids: [103] }],
  // pve-storage Content.pm real_volume_id: a volume without `storage:` is in the path's storage
  [`volume @ DELETE ${CONTENT}`]: [`DELETE ${CONTENT}`, OWN_BACKUP, { vmids: [100], nodes: ["pve1"], storages: ["local"] }],
  [`volume @ PUT ${CONTENT}`]: [`PUT ${CONTENT}`, OWN_BACKUP, { vmids: [100], nodes: ["pve1"], storages: ["local"] }],
  [`volume @ POST ${CONTENT}`]: [`POST ${CONTENT}`, OWN_BACKUP, { vmids: [100], nodes: ["pve1"], storages: ["local"] }],
  [`target @ POST ${CONTENT}`]: [`POST ${CONTENT}`, { node: "pve1", storage: "local", volume: "local:iso/a.iso", target: "103/vm-103-disk-0.raw" }, { vmids: [103], nodes: ["pve1"], storages: ["local"] }],
};

describe("TARGET_FORMATS", () => {
  test("every row has a case", () => expect(Object.keys(FORMAT_CASES).sort()).toEqual(Object.keys(TARGET_FORMATS).sort()));
  test.each(Object.entries(FORMAT_CASES))("%s", (_format, [route, params, expected]) => {
    expect(meta(route), route).toBeDefined();
    expect(namedTargets(meta(route), params)).toEqual({ ...none, ...expected });
  });
});

describe("TARGET_PARAMS", () => {
  test("every row has a case", () => expect(Object.keys(PARAM_CASES).sort()).toEqual(TARGET_PARAMS.map((r) => `${r.param} @ ${r.route}`).sort()));
  test.each(Object.entries(PARAM_CASES))("%s", (_param, [route, params, expected]) => {
    expect(namedTargets(meta(route), params)).toEqual({ ...none, ...expected });
  });
  test("ACL paths: pool, storage, node (node-wide), anything else cluster-wide", () => {
    const acl = (path: string) => namedTargets(meta("PUT /access/acl"), { path });
    expect(acl("/pool/lab").pools).toEqual(["lab"]);
    expect(acl("/storage/local").storages).toEqual(["local"]);
    expect(acl("/nodes/pve2")).toMatchObject({ nodes: ["pve2"], nodeWide: expect.stringMatching(/every guest on that node/) });
    for (const wide of ["/", "/vms", "/access/groups", "/sdn/zones"]) expect(acl(wide).clusterWide, wide).toMatch(/reaches beyond/);
  });
  test("an HA resource that is not a guest is cluster-wide", () => {
    expect(namedTargets(meta("DELETE /cluster/ha/resources/{sid}"), { sid: "fence:x" }).clusterWide).toMatch(/not a guest/);
  });
  test("selectors are left to the scope rule (vzdump's exclude names guests NOT acted on)", () => {
    expect(namedTargets(meta("POST /nodes/{node}/vzdump"), { node: "pve1", all: 1, exclude: "101" }, ["exclude", "all"]).vmids).toEqual([]);
  });
});

describe("volume ids (pve-storage parse_volname shapes), anywhere in a value", () => {
  test.each([
    ["LVM disk", "local-lvm:vm-102-disk-0", [{ vmid: 102, storage: "local-lvm", disk: true }]],
    ["directory image", "local:102/vm-102-disk-0.qcow2", [{ vmid: 102, storage: "local", disk: true }, { vmid: 102, storage: "local", disk: true }]],
    ["ZFS subvolume", "local-zfs:subvol-201-disk-0", [{ vmid: 201, storage: "local-zfs", disk: true }]],
    ["linked clone of a template", "local-zfs:base-9000-disk-0/vm-300-disk-0", [{ vmid: 9000, storage: "local-zfs", disk: true }, { vmid: 300, storage: "local-zfs", disk: true }]],
    ["inside a property string", "local-lvm:0,import-from=ceph:vm-100-disk-1,size=8G", [{ vmid: 100, storage: "ceph", disk: true }]],
    ["vzdump backup", "local:backup/vzdump-lxc-200-2025_01_01-00_00_00.tar.zst", [{ vmid: 200, storage: "local", disk: false }]],
    ["PBS backup", "pbs:backup/vm/103/2025-01-01T00:00:00Z", [{ vmid: 103, storage: "pbs", disk: false }]],
    ["RBD without a vm- prefix (RBDPlugin.pm parse_volname)", "ceph:-103-disk-0", [{ vmid: 103, storage: "ceph", disk: true }]],
    ["RBD base+vm prefix", "ceph:basevm-103-disk-0", [{ vmid: 103, storage: "ceph", disk: true }]],
    ["no owner (ISO)", "local:iso/debian.iso", []],
    ["a MAC address is no volume", "virtio=BC:24:11:00:01:00,bridge=vmbr0", []],
  ])("%s", (_what, value, owners) => {
    expect(guestVolumeOwners({ v: value })).toEqual(owners);
  });
  test("an ISO names its storage; a MAC address names none", () => {
    expect(namedTargets(meta("PUT /nodes/{node}/qemu/{vmid}/config"), { ide2: "local:iso/d.iso,media=cdrom" }).storages).toEqual(["local"]);
    expect(namedTargets(meta("PUT /nodes/{node}/qemu/{vmid}/config"), { net0: "virtio=BC:24:11:00:01:00" }).storages).toEqual([]);
  });
  test("property strings are read as PVE splits them; objects as the client prints them", () => {
    const vzdump = meta("POST /nodes/{node}/vzdump");
    expect(namedTargets(vzdump, { fleecing: "enabled=1,storage=fast" }).storages).toEqual(["fast"]);
    expect(namedTargets(meta("POST /nodes/{node}/qemu"), { scsi0: { file: "nfs:4", ssd: 1 } }).storages).toEqual(["nfs"]);
    expect(namedTargets(meta("POST /nodes/{node}/qemu"), { ide2: "none,media=cdrom", scsi0: "volume=nfs:4" }).storages).toEqual(["nfs"]);
  });
});

test("VMID lists: separators, arrays and ranges; garbage is an error", () => {
  expect(vmidsOf("100, 101;102 103")).toEqual([100, 101, 102, 103]);
  expect(vmidsOf([104, "105"])).toEqual([104, 105]);
  expect(vmidsOf("110-112")).toEqual([110, 111, 112]);
  expect(() => vmidsOf("abc")).toThrow(RangeError);
  expect(() => vmidsOf("100-999999999")).toThrow(/not a range pvekit can check/);
});
