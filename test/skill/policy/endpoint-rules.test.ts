import { describe, expect, test } from "vitest";
import type { RouteMeta } from "../../../src/generated/meta-types";
import { routes } from "../../../src/generated/routes";
import {
  assessTier,
  BEYOND_THEIR_NODE,
  beyondTheirNode,
  ENDPOINT_RULES,
  endpointRule,
  SENSITIVE_READS,
} from "../../../src/skill/policy/endpoint-rules";
import type { Tier } from "../../../src/skill/policy/mode";

type Case = [params: Record<string, unknown>, tier: Tier, why?: RegExp];
const guest = { node: "pve1", vmid: 100 };
const power = (extra: Case[] = []): Case[] => [[{ ...guest }, "reversible"], [{ ...guest, timeout: 30 }, "reversible"], ...extra];
const SKIPLOCK: Case = [{ ...guest, skiplock: 1 }, "destructive", /skiplock=1 ignores the guest's lock/];
const UNKNOWN_PARAM: Case = [{ ...guest, stateuri: "tcp" }, "destructive", /stateuri: not a parameter the rules/];

/** One entry per route in ENDPOINT_RULES: requests and the tier each must get. */
const CASES: Record<string, Case[]> = {
  "POST /nodes/{node}/qemu/{vmid}/status/start": power([SKIPLOCK, UNKNOWN_PARAM]),
  "POST /nodes/{node}/lxc/{vmid}/status/start": [[{ ...guest, debug: 1 }, "reversible"], SKIPLOCK],
  "POST /nodes/{node}/qemu/{vmid}/status/shutdown": power([
    [{ ...guest, forceStop: 1, timeout: 0 }, "destructive", /forceStop=1 hard-stops/],
    [{ ...guest, forceStop: 0, keepActive: 1 }, "reversible"],
    SKIPLOCK,
  ]),
  "POST /nodes/{node}/lxc/{vmid}/status/shutdown": power([[{ ...guest, forceStop: "1" }, "destructive", /forceStop/]]),
  "POST /nodes/{node}/qemu/{vmid}/status/reboot": power(),
  "POST /nodes/{node}/lxc/{vmid}/status/reboot": power(),
  "POST /nodes/{node}/qemu/{vmid}/status/suspend": [[{ ...guest, todisk: 1, statestorage: "local" }, "reversible"], SKIPLOCK],
  "POST /nodes/{node}/lxc/{vmid}/status/suspend": [[{ ...guest }, "reversible"]],
  "POST /nodes/{node}/qemu/{vmid}/status/resume": [[{ ...guest }, "reversible"], SKIPLOCK, [{ ...guest, nocheck: 1 }, "destructive", /nocheck/]],
  "POST /nodes/{node}/lxc/{vmid}/status/resume": [[{ ...guest }, "reversible"]],
  "POST /nodes/{node}/qemu/{vmid}/status/stop": [[{ ...guest }, "destructive"]],
  "POST /nodes/{node}/lxc/{vmid}/status/stop": [[{ ...guest }, "destructive"]],
  "POST /nodes/{node}/qemu/{vmid}/status/reset": [[{ ...guest }, "destructive"]],
  "POST /nodes/{node}/qemu/{vmid}/snapshot": [[{ ...guest, snapname: "s", vmstate: 1 }, "reversible"]],
  "POST /nodes/{node}/lxc/{vmid}/snapshot": [[{ ...guest, snapname: "s" }, "reversible"]],
  "POST /nodes/{node}/qemu/{vmid}/clone": [[{ ...guest, newid: 300, full: 1, target: "pve2", pool: "lab" }, "reversible"]],
  "POST /nodes/{node}/lxc/{vmid}/clone": [[{ ...guest, newid: 300, hostname: "x" }, "reversible"]],
  "POST /nodes/{node}/qemu": [
    [{ node: "pve1", vmid: 300, memory: 2048, scsi0: "local-lvm:32" }, "reversible"],
    [{ node: "pve1", vmid: 300, archive: "local:backup/vzdump-qemu-100-x.vma.zst" }, "reversible"],
    [{ node: "pve1", vmid: 100, archive: "local:backup/vzdump-qemu-100-x.vma.zst", force: 1 }, "destructive", /force=1 overwrites an existing guest/],
    [{ node: "pve1", vmid: 300, scsi1: "local-lvm:vm-102-disk-0" }, "destructive", /disk of another guest/],
    [{ node: "pve1", vmid: 300, scsi1: "local-lvm:vm-300-disk-0" }, "reversible"],
  ],
  "POST /nodes/{node}/lxc": [
    [{ node: "pve1", vmid: 300, ostemplate: "local:vztmpl/debian.tar.zst" }, "reversible"],
    [{ node: "pve1", vmid: 200, ostemplate: "local:backup/vzdump-lxc-200-x.tar.zst", restore: 1, force: 1 }, "destructive", /force=1/],
    [{ node: "pve1", vmid: 300, mp0: "local-lvm:subvol-200-disk-0,mp=/x" }, "destructive", /disk of another guest/],
  ],
  "PUT /nodes/{node}/qemu/{vmid}/config": [
    [{ ...guest, tags: "a;b", digest: "d" }, "reversible"],
    [{ ...guest, delete: "tags" }, "reversible"],
    [{ ...guest, delete: "tags,scsi1" }, "destructive", /delete= removes options other than tags/],
    [{ ...guest, memory: 1024 }, "destructive", /memory: not a parameter/],
    [{ ...guest, tags: "x", scsi1: "local-lvm:vm-103-disk-0" }, "destructive"],
  ],
  "POST /nodes/{node}/qemu/{vmid}/config": [[{ ...guest, description: "x" }, "reversible"], [{ ...guest, cores: 2 }, "destructive"]],
  "PUT /nodes/{node}/lxc/{vmid}/config": [[{ ...guest, tags: "x" }, "reversible"], [{ ...guest, rootfs: "local-lvm:8" }, "destructive"]],
  "POST /nodes/{node}/vzdump": [
    [{ node: "pve1", vmid: "100", storage: "local", mode: "stop", remove: 1 }, "reversible"],
    [{ node: "pve1", vmid: "100", remove: 0, "prune-backups": "keep-last=1" }, "reversible"],
    [{ node: "pve1", vmid: "100", "prune-backups": "keep-last=1" }, "destructive", /prune-backups= with remove/],
    [{ node: "pve1", all: 1 }, "destructive", /all=1 backs up every guest/],
    [{ node: "pve1", pool: "lab" }, "destructive", /pool= backs up every guest/],
    [{ node: "pve1", all: 1, exclude: "101" }, "destructive", /exclude=/],
    [{ node: "pve1", vmid: "100,101" }, "destructive", /vmid= lists several guests/],
    [{ node: "pve1", vmid: "100", stop: 1 }, "destructive", /stop=1 aborts/],
    [{ node: "pve1", vmid: "100", mailto: "someone@example.org" }, "destructive", /mailto= mails the backup log/],
    [{ node: "pve1", vmid: "100", script: "/x" }, "destructive", /script: not a parameter/],
  ],
  "PUT /pools": [[{ poolid: "lab", vms: "100", "allow-move": 1 }, "reversible"]],
  "PUT /pools/{poolid}": [[{ poolid: "lab", vms: "100", delete: 1 }, "reversible"]],
  "DELETE /pools": [[{ poolid: "lab" }, "destructive"]],
  "DELETE /pools/{poolid}": [[{ poolid: "lab" }, "destructive"]],
  "POST /pools": [[{ poolid: "lab" }, "destructive"]],
  "POST /nodes/{node}/startall": [[{ node: "pve1" }, "destructive", /many guests/]],
  "POST /nodes/{node}/stopall": [[{ node: "pve1", vms: "100" }, "destructive", /many guests/]],
  "POST /nodes/{node}/suspendall": [[{ node: "pve1" }, "destructive"]],
  "POST /nodes/{node}/migrateall": [[{ node: "pve1", target: "pve2" }, "destructive"]],
  "POST /cluster/bulk-action/guest/start": [[{}, "destructive", /many guests/]],
  "POST /cluster/bulk-action/guest/shutdown": [[{ vms: [100] }, "destructive"]],
  "POST /cluster/bulk-action/guest/suspend": [[{}, "destructive"]],
  "POST /cluster/bulk-action/guest/migrate": [[{ target: "pve2" }, "destructive"]],
  "DELETE /nodes/{node}/qemu/{vmid}": [[{ ...guest, purge: 1, "destroy-unreferenced-disks": 1 }, "destructive"]],
  "DELETE /nodes/{node}/lxc/{vmid}": [[{ ...guest, purge: 1 }, "destructive"]],
  "DELETE /nodes/{node}/storage/{storage}/content/{volume}": [[{ node: "pve1", storage: "local", volume: "local:iso/x.iso" }, "destructive"]],
  "PUT /nodes/{node}/storage/{storage}/content/{volume}": [[{ node: "pve1", storage: "local", volume: "v", protected: 0 }, "destructive"]],
  "POST /nodes/{node}/storage/{storage}/content/{volume}": [[{ node: "pve1", storage: "local", volume: "v", target: "nfs" }, "destructive"]],
  "POST /nodes/{node}/storage/{storage}/content": [[{ node: "pve1", storage: "local", vmid: 100, filename: "f", size: "1G" }, "destructive"]],
  "POST /cluster/ha/resources": [[{ sid: "vm:100" }, "destructive"]],
  "PUT /cluster/ha/resources/{sid}": [[{ sid: "vm:100", state: "stopped" }, "destructive"]],
  "DELETE /cluster/ha/resources/{sid}": [[{ sid: "vm:100" }, "destructive"]],
  "POST /cluster/ha/resources/{sid}/migrate": [[{ sid: "vm:100", node: "pve2" }, "destructive"]],
  "POST /cluster/ha/resources/{sid}/relocate": [[{ sid: "vm:100", node: "pve2" }, "destructive"]],
  "PUT /access/acl": [[{ path: "/vms/100", roles: "PVEVMUser", users: "a@pve" }, "destructive"]],
};

describe("every row of ENDPOINT_RULES", () => {
  test("has cases here, names a route of the schema, and only parameters that route has", () => {
    const table = routes as Record<string, RouteMeta>;
    expect(ENDPOINT_RULES.map((r) => r.route).sort()).toEqual(Object.keys(CASES).sort());
    for (const rule of ENDPOINT_RULES) {
      const meta = table[rule.route];
      expect(meta, rule.route).toBeDefined();
      const named = [...(rule.keeps === "*" ? [] : rule.keeps), ...(rule.raises ?? []).flatMap((r) => r.params)];
      // a row may list a parameter only the other guest type has (keepActive is qemu's): it must exist for one of them
      const other = rule.route.includes("/qemu") ? rule.route.replace("/qemu", "/lxc") : rule.route.replace("/lxc", "/qemu");
      const sibling = table[other];
      for (const p of named) expect(meta!.params[p] ?? sibling?.params[p], `${rule.route}: ${p}`).toBeDefined();
    }
  });

  describe.each(ENDPOINT_RULES.map((r) => [r.route, r] as const))("%s", (route) => {
    test.each(CASES[route] ?? [])("%j → %s", (params, tier, why) => {
      const [verb, template] = route.split(" ") as ["POST", string];
      const a = assessTier(verb, template, params);
      expect(a.tier).toBe(tier);
      if (why) expect(a.reasons.join("; ")).toMatch(why);
    });
  });
});

describe("fail closed", () => {
  test("GET is read-only; a route the table does not know is destructive", () => {
    expect(assessTier("GET", "/nodes/{node}/qemu", { node: "pve1" }).tier).toBe("read");
    const unknown = assessTier("POST", "/nodes/{node}/execute", { node: "pve1", commands: "[]" });
    expect(unknown).toMatchObject({ tier: "destructive" });
    expect(unknown.reasons[0]).toMatch(/not in pvekit's endpoint rules/);
    expect(endpointRule("POST", "/nodes/{node}/execute")).toBeUndefined();
  });
  test("the curated operation a row amounts to is named (PVEKIT_CONFIRM_OPERATIONS uses it)", () => {
    expect(assessTier("POST", "/nodes/{node}/lxc/{vmid}/status/reboot", guest).operation).toBe("reboot");
    // …and the one its parameters make it amount to as well, whatever its tier
    const stopMode = assessTier("POST", "/nodes/{node}/vzdump", { node: "pve1", vmid: "100", mode: "stop" });
    expect(stopMode).toMatchObject({ tier: "reversible", operation: "backup", also: [{ operation: "shutdown" }] });
    expect(assessTier("POST", "/nodes/{node}/vzdump", { node: "pve1", vmid: "100", mode: "snapshot" }).also).toBeUndefined();
  });
});

describe("every row of BEYOND_THEIR_NODE", () => {
  /** A concrete route of the schema per row, and one just beside it that stays on its node. */
  const cases: Record<string, { reaches: string[]; stays: string[] }> = {
    "POST /nodes/{node}/execute": { reaches: ["POST /nodes/{node}/execute"], stays: ["POST /nodes/{node}/status"] },
    "POST /nodes/{node}/termproxy": { reaches: ["POST /nodes/{node}/termproxy"], stays: ["POST /nodes/{node}/qemu/{vmid}/termproxy"] },
    "POST /nodes/{node}/vncshell": { reaches: ["POST /nodes/{node}/vncshell"], stays: ["POST /nodes/{node}/qemu/{vmid}/vncproxy"] },
    "POST /nodes/{node}/spiceshell": { reaches: ["POST /nodes/{node}/spiceshell"], stays: ["POST /nodes/{node}/lxc/{vmid}/spiceproxy"] },
    "* /nodes/{node}/ceph/*": {
      reaches: ["DELETE /nodes/{node}/ceph/pool/{name}", "POST /nodes/{node}/ceph/stop", "POST /nodes/{node}/ceph/osd/{osdid}/out"],
      stays: ["PUT /nodes/{node}/disks/wipedisk"],
    },
  };
  test("every row has a case", () => expect(Object.keys(cases).sort()).toEqual(BEYOND_THEIR_NODE.map((r) => r.route).sort()));
  test.each(Object.entries(cases))("%s", (_row, { reaches, stays }) => {
    for (const route of [...reaches, ...stays]) expect((routes as Record<string, RouteMeta>)[route], route).toBeDefined();
    for (const route of reaches) expect(beyondTheirNode(...(route.split(" ") as ["POST", string])), route).toBeTruthy();
    for (const route of stays) expect(beyondTheirNode(...(route.split(" ") as ["POST", string])), route).toBeUndefined();
  });
});

describe("every row of SENSITIVE_READS", () => {
  /** Each row's GET with plausible parameters, and the tier it must get; a plain GET beside it stays read. */
  const cases: Record<string, { params: Record<string, unknown>; tier: "reversible" | "destructive"; plainBeside: string }> = {
    "GET /nodes/{node}/qemu/{vmid}/agent/file-read": {
      params: { node: "pve1", vmid: 100, file: "/etc/shadow" },
      tier: "destructive",
      plainBeside: "GET /nodes/{node}/qemu/{vmid}/agent/get-host-name",
    },
    "GET /nodes/{node}/storage/{storage}/file-restore/download": {
      params: { node: "pve1", storage: "pbs", volume: "pbs:backup/vm/100/2024-01-01T00:00:00Z", filepath: "L2V0Yy9zaGFkb3c=" },
      tier: "destructive",
      plainBeside: "GET /nodes/{node}/storage/{storage}/content",
    },
    "GET /nodes/{node}/storage/{storage}/file-restore/list": {
      params: { node: "pve1", storage: "pbs", volume: "pbs:backup/vm/100/2024-01-01T00:00:00Z", filepath: "/" },
      tier: "reversible",
      plainBeside: "GET /nodes/{node}/storage/{storage}/status",
    },
    "GET /nodes/{node}/query-url-metadata": {
      params: { node: "pve1", url: "http://169.254.169.254/latest/meta-data/" },
      tier: "reversible",
      plainBeside: "GET /nodes/{node}/status",
    },
    "GET /cluster/acme/meta": { params: { directory: "http://10.0.0.1/" }, tier: "reversible", plainBeside: "GET /cluster/acme/directories" },
    "GET /cluster/acme/tos": { params: { directory: "http://10.0.0.1/" }, tier: "reversible", plainBeside: "GET /cluster/acme/plugins" },
    "GET /nodes/{node}/scan/nfs": { params: { node: "pve1", server: "10.0.0.1" }, tier: "reversible", plainBeside: "GET /nodes/{node}/scan/lvm" },
    "GET /nodes/{node}/scan/cifs": { params: { node: "pve1", server: "10.0.0.1" }, tier: "reversible", plainBeside: "GET /nodes/{node}/scan/zfs" },
    "GET /nodes/{node}/scan/iscsi": { params: { node: "pve1", portal: "10.0.0.1" }, tier: "reversible", plainBeside: "GET /nodes/{node}/scan/lvmthin" },
    "GET /nodes/{node}/scan/pbs": {
      params: { node: "pve1", server: "10.0.0.1", username: "u@pbs", password: "x" },
      tier: "reversible",
      plainBeside: "GET /nodes/{node}/scan",
    },
  };
  test("every row has a case", () => expect(Object.keys(cases).sort()).toEqual(SENSITIVE_READS.map((r) => r.route).sort()));
  test.each(Object.entries(cases))("%s", (route, c) => {
    const template = route.slice("GET ".length);
    expect((routes as Record<string, RouteMeta>)[route], route).toBeDefined();
    expect((routes as Record<string, RouteMeta>)[c.plainBeside], c.plainBeside).toBeDefined();
    const a = assessTier("GET", template, c.params);
    expect(a.tier).toBe(c.tier);
    expect(a.reasons.join(" ")).toMatch(/reads|fetch|contact|starts|copies/);
    expect(assessTier("GET", c.plainBeside.slice("GET ".length), c.params).tier).toBe("read");
  });
});
