// Attacks on the MCP layer as an agent (or a prompt injected into one) would make them: through a real
// MCP client over an in-memory transport, against the simulator. Each test asserts a real refusal AND
// that nothing was sent (the simulator's state and the list of writes).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createMcpServer } from "../../../src/skill/mcp-server";
import type { SkillSettingsOverrides } from "../../../src/skill/settings";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => {
  t.sim.reset();
  t.writes.length = 0;
});

async function connect(overrides: SkillSettingsOverrides): Promise<Client> {
  const server = createMcpServer(t.skill(overrides));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "attacker", version: "0.0.0" });
  await client.connect(clientSide);
  return client;
}

interface ToolText {
  isError?: boolean;
  content: { type: string; text: string }[];
}
type Body = Record<string, any>;
const body = (r: unknown) => JSON.parse((r as ToolText).content[0]!.text) as Body;

/** Calls a tool and expects an error result; returns its body. */
async function refused(client: Client, name: string, args: Record<string, unknown>): Promise<Body> {
  const r = (await client.callTool({ name, arguments: args })) as ToolText;
  expect(r.isError, `${name} ${JSON.stringify(args)} → ${r.content[0]?.text}`).toBe(true);
  return body(r);
}

const running = () => [...t.sim.state.guests.values()].filter((g) => g.status === "running").map((g) => g.vmid).sort();

describe("picking an action above the mode", () => {
  const odd: unknown[] = [
    "stop",
    "STOP",
    "Stop",
    " stop",
    "stop ",
    "stop\n",
    "migrate",
    "reset",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    ["stop"],
    ["start"],
    1,
    0,
    null,
    true,
    { toString: "stop" },
    "",
  ];
  test.each(odd.map((a) => [JSON.stringify(a), a]))("operator: pve_act action=%s is refused and sends nothing", async (_n, action) => {
    const client = await connect({ mode: "operator" });
    const out = await refused(client, "pve_act", { action, vmid: 101, target: "pve2" });
    expect(out).toMatchObject({ status: "error", exitCode: 2 });
    expect(t.writes).toEqual([]);
    expect(running()).toEqual([100, 101, 200]);
    await client.close();
  });

  test("operator: every destructive pve_manage action, and restore over an existing guest, are refused", async () => {
    const client = await connect({ mode: "operator" });
    for (const action of ["delete", "set", "resize", "rollback", "delsnapshot", "template", "DELETE", "delete "])
      await refused(client, "pve_manage", { action, vmid: 102 });
    const backups = [...t.sim.state.storages.values()].flatMap((s: any) => [...(s.content?.values?.() ?? [])]);
    const archive = String((backups.find((v: any) => String(v.volid).includes("qemu-100")) as any)?.volid ?? "local:backup/vzdump-qemu-100-x.vma.zst");
    const over = await refused(client, "pve_manage", { action: "restore", archive, vmid: 102, force: true });
    expect(over.status).toMatch(/refused|error/);
    expect(t.writes).toEqual([]);
    expect(t.sim.state.guests.has(102)).toBe(true);
    await client.close();
  });

  test("read-only: the change tools are not there, and calling them anyway is refused", async () => {
    const client = await connect({ mode: "read-only" });
    const names = (await client.listTools()).tools.map((x) => x.name);
    expect(names).not.toContain("pve_act");
    expect(names).not.toContain("pve_manage");
    for (const [name, args] of [
      ["pve_act", { action: "start", vmid: 102 }],
      ["pve_manage", { action: "clone", vmid: 9000 }],
      ["PVE_ACT", { action: "start", vmid: 102 }],
      ["pve_act ", { action: "start", vmid: 102 }],
      ["__proto__", { action: "start", vmid: 102 }],
      ["constructor", {}],
      ["toString", {}],
    ] as const) {
      const out = await refused(client, name, args);
      expect(out.error.message).toMatch(/No tool/);
    }
    for (const [method, path] of [
      ["post", "/nodes/pve2/qemu/102/status/start"],
      ["POST", "/nodes/pve2/qemu/102/status/start"],
      ["Post", "/nodes/pve2/qemu/102/status/start"],
      [" post ", "/nodes/pve2/qemu/102/status/start"],
      ["put", "/nodes/pve2/qemu/102/config"],
      ["delete", "/nodes/pve2/qemu/102"],
    ]) {
      const out = await refused(client, "pve_api", { method, path });
      expect(out.status === "refused" || out.exitCode === 2, JSON.stringify(out)).toBe(true);
    }
    expect(t.writes).toEqual([]);
    await client.close();
  });

  test("read-only: a read tool's view cannot name a change", async () => {
    const client = await connect({ mode: "read-only" });
    for (const view of ["start", "api", "__proto__", "constructor"]) await refused(client, "pve_guest", { view, vmid: 102 });
    for (const view of ["start", "doctor ", "guests"]) await refused(client, "pve_cluster", { view });
    expect(t.writes).toEqual([]);
    await client.close();
  });
});

describe("arguments smuggled into an action", () => {
  test("another action's or PVE's own parameters on pve_act are refused, not forwarded", async () => {
    const client = await connect({ mode: "operator" });
    for (const extra of [
      { params: { skiplock: 1 } },
      { skiplock: true },
      { timeout: 1 },
      { forceStop: true },
      { "force-stop": 1 },
      { purge: true },
      { target: "pve2" },
      { node: "pve2" },
      { path: "/nodes/pve1/qemu/101/status/stop" },
      { method: "POST" },
      { constructor: { prototype: { skiplock: 1 } } },
      { prototype: { skiplock: 1 } },
    ]) {
      await refused(client, "pve_act", { action: "shutdown", vmid: 101, ...extra });
    }
    expect(t.writes).toEqual([]);
    expect(running()).toEqual([100, 101, 200]);
    await client.close();
  });

  test("an argument with the empty name is refused by the tools that take no action or view", async () => {
    const client = await connect({ mode: "operator" });
    for (const [name, args] of [
      ["pve_guests", { "": "x" }],
      ["pve_api", { method: "GET", path: "/version", "": "x" }],
      ["pve_api", { method: "POST", path: "/nodes/pve2/qemu/102/status/start", "": { skiplock: 1 } }],
    ] as const) {
      const out = await refused(client, name, args);
      expect(out).toMatchObject({ status: "error", exitCode: 2, error: { message: expect.stringMatching(new RegExp(`^${name} does not take ;`)) } });
    }
    expect(t.writes).toEqual([]);
    await client.close();
  });

  test("a key named __proto__ (which schema parsing drops) is refused at any depth, not dropped", async () => {
    const client = await connect({ mode: "operator" });
    const proto = (inner: Record<string, unknown>, extra: Record<string, unknown> = {}) => Object.assign(JSON.parse(`{"__proto__": ${JSON.stringify(inner)}}`), extra);
    const tries: [string, Record<string, unknown>][] = [
      ["pve_guests", proto({ node: "pve9" })],
      ["pve_api", proto({ method: "POST" }, { method: "GET", path: "/version" })],
      ["pve_guest", proto({ view: "config" }, { view: "guest", vmid: 100 })],
      ["pve_act", proto({ skiplock: 1 }, { action: "shutdown", vmid: 101 })],
      // nested in PVE parameters: the request would go out without what the caller meant
      ["pve_api", { method: "PUT", path: "/nodes/pve2/qemu/102/config", params: proto({ delete: "scsi0" }, { description: "x" }) }],
      ["pve_manage", { action: "create-vm", vmid: 150, node: "pve1", params: proto({ force: 1 }, { memory: 512 }) }],
      ["pve_act", { action: "shutdown", select: proto({ all: true }, { vmids: [101] }) }],
    ];
    for (const [name, args] of tries) {
      const out = await refused(client, name, args);
      expect(out, `${name} ${JSON.stringify(args)}`).toMatchObject({ status: "error", exitCode: 2 });
      expect(out.error.message).toMatch(/__proto__/);
    }
    expect(t.writes).toEqual([]);
    expect(t.sim.state.guests.has(150)).toBe(false);
    expect(t.sim.state.guests.get(102)!.config.description).toBeUndefined();
    expect(running()).toEqual([100, 101, 200]);
    await client.close();
  });

  test("unknown keys nested in select are refused", async () => {
    const client = await connect({ mode: "operator" });
    for (const select of [
      { all: true, exlude: [100] },
      JSON.parse('{"vmids": [101], "__proto__": {"all": true}}'),
      { vmids: [101], constructor: { all: true } },
      { vmids: [101], toString: "x" },
    ])
      await refused(client, "pve_act", { action: "shutdown", select });
    expect(t.writes).toEqual([]);
    expect(running()).toEqual([100, 101, 200]);
    await client.close();
  });
});

describe("confirm tokens replayed elsewhere", () => {
  async function tokenFor(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
    const plan = body(await client.callTool({ name, arguments: args }));
    expect(plan.status, JSON.stringify(plan)).toBe("confirmation-required");
    return String(plan.confirmToken);
  }
  const notRedeemed = (out: Body) => {
    expect(out.status).toBe("confirmation-required");
    expect(String(out.reason)).toMatch(/different operation, target or parameters/);
  };

  test("a token for stop 101 does not reset, stop another guest, stop a set, or go through pve_api", async () => {
    const client = await connect({ mode: "admin" });
    const token = await tokenFor(client, "pve_act", { action: "stop", vmid: 101 });
    const tries: [string, Record<string, unknown>][] = [
      ["pve_act", { action: "reset", vmid: 101 }],
      ["pve_act", { action: "stop", vmid: 100 }],
      ["pve_act", { action: "stop", select: { vmids: [101] } }],
      ["pve_act", { action: "stop", select: { vmids: [100, 101] } }],
      ["pve_act", { action: "stop", vmid: 101, select: { vmids: [100] } }],
      ["pve_act", { action: "stop", vmid: 101, skiplock: true }],
      ["pve_api", { method: "POST", path: "/nodes/pve1/qemu/101/status/stop" }],
      ["pve_api", { method: "POST", path: "/nodes/pve1/qemu/101/status/stop", params: { skiplock: 1 } }],
    ];
    for (const [name, args] of tries) {
      const r = (await client.callTool({ name, arguments: { ...args, confirmToken: token } })) as ToolText;
      // either a usage error (an argument the action does not take) or a fresh confirmation: never a run
      if (!r.isError) notRedeemed(body(r));
    }
    expect(t.writes).toEqual([]);
    expect(running()).toEqual([100, 101, 200]);
    // and the genuine call still works with it (nothing above spent it)
    const out = body(await client.callTool({ name: "pve_act", arguments: { action: "stop", vmid: 101, confirmToken: token } }));
    expect(out).toMatchObject({ status: "done" });
    await client.close();
  });

  test("a token for a raw stop through pve_api does not stop through pve_act, nor another path", async () => {
    const client = await connect({ mode: "admin" });
    const token = await tokenFor(client, "pve_api", { method: "POST", path: "/nodes/pve1/qemu/101/status/stop" });
    for (const [name, args] of [
      ["pve_act", { action: "stop", vmid: 101 }],
      ["pve_api", { method: "POST", path: "/nodes/pve1/qemu/100/status/stop" }],
      ["pve_api", { method: "POST", path: "/nodes/pve1/qemu/101/status/reset" }],
      ["pve_api", { method: "POST", path: "/nodes/pve1/qemu/101/status/stop", params: { skiplock: 1 } }],
      ["pve_api", { method: "POST", path: "/nodes/pve1/qemu/101/status/stop", params: { timeout: 1 } }],
      ["pve_api", { method: "POST", path: "/nodes/pve1/stopall", params: { vms: "101" } }],
    ] as const)
      notRedeemed(body(await client.callTool({ name, arguments: { ...args, confirmToken: token } })));
    expect(t.writes).toEqual([]);
    expect(running()).toEqual([100, 101, 200]);
    // nothing above spent it: the call it was issued for still runs
    const out = body(await client.callTool({ name: "pve_api", arguments: { method: "POST", path: "/nodes/pve1/qemu/101/status/stop", confirmToken: token } }));
    expect(out.status).not.toBe("confirmation-required");
    expect(t.writes).toEqual(["POST /nodes/{node}/qemu/{vmid}/status/stop"]);
    expect(running()).toEqual([100, 200]);
    await client.close();
  });

  test("a set's token does not cover a wider set, nor the same selector after the cluster changed", async () => {
    const client = await connect({ mode: "admin" });
    const token = await tokenFor(client, "pve_act", { action: "stop", select: { node: ["pve1"], type: "qemu" } });
    // (the token confirms the guests and what happens to each, whatever words pick them)
    for (const select of [{ node: ["pve1"] }, { all: true }, { vmids: [100, 101, 200] }, { vmids: [100] }]) {
      notRedeemed(body(await client.callTool({ name: "pve_act", arguments: { action: "stop", select, confirmToken: token } })));
    }
    // a guest joins the selection after the plan: the same arguments no longer name the same set
    t.sim.state.guests.get(200)!.status = "stopped";
    await t.pve.request("POST", "/nodes/{node}/qemu/{vmid}/migrate", { node: "pve2", vmid: 102, target: "pve1" }).catch(() => undefined);
    t.writes.length = 0;
    const moved = t.sim.state.guests.get(102)!.node === "pve1";
    const after = body(await client.callTool({ name: "pve_act", arguments: { action: "stop", select: { node: ["pve1"], type: "qemu", status: ["running", "stopped"] }, confirmToken: token } }));
    if (moved) notRedeemed(after);
    expect(t.writes).toEqual([]);
    await client.close();
  });

  test("a dry run gives no token; a token passed with a dry run is not spent", async () => {
    const client = await connect({ mode: "admin" });
    const dry = body(await client.callTool({ name: "pve_act", arguments: { action: "stop", select: { vmids: [100, 101] }, dryRun: true } }));
    expect(dry.status).toBe("planned");
    expect(JSON.stringify(dry)).not.toMatch(/confirmToken/);
    const token = await tokenFor(client, "pve_act", { action: "stop", select: { vmids: [100, 101] } });
    const dry2 = body(await client.callTool({ name: "pve_act", arguments: { action: "stop", select: { vmids: [100, 101] }, dryRun: true, confirmToken: token } }));
    expect(dry2.status).toBe("planned");
    expect(t.writes).toEqual([]);
    expect(running()).toEqual([100, 101, 200]);
    await client.close();
  });

  test("a token minted by an admin server is worthless to an operator server", async () => {
    const admin = await connect({ mode: "admin" });
    const token = await tokenFor(admin, "pve_act", { action: "stop", vmid: 101 });
    await admin.close();
    const op = await connect({ mode: "operator" });
    await refused(op, "pve_act", { action: "stop", vmid: 101, confirmToken: token });
    await refused(op, "pve_api", { method: "POST", path: "/nodes/pve1/qemu/101/status/stop", confirmToken: token });
    expect(t.writes).toEqual([]);
    expect(running()).toEqual([100, 101, 200]);
    await op.close();
  });
});

describe("allow-lists over MCP", () => {
  test("a selection wider than PROXMOX_ALLOWED_VMIDS is refused whole; templates and odd selectors do not widen it", async () => {
    const client = await connect({ mode: "operator", allowedVmids: "101,102" });
    for (const select of [{ all: true }, { vmids: ["100-200"] }, { node: ["pve1"] }, { vmids: [101], tag: ["prod"], exclude: [] }, { vmids: ["101,100"] }, { vmids: [101, 9000] }]) {
      const out = await refused(client, "pve_act", { action: "suspend", select });
      expect(out.status === "refused" || out.exitCode === 2, JSON.stringify(out)).toBe(true);
    }
    await refused(client, "pve_act", { action: "start", vmid: 201 });
    await refused(client, "pve_manage", { action: "clone", vmid: 9000, newid: 150 });
    await refused(client, "pve_api", { method: "POST", path: "/nodes/pve1/qemu/100/status/suspend" });
    await refused(client, "pve_api", { method: "POST", path: "/nodes/pve1/suspendall", params: {} });
    expect(t.writes).toEqual([]);
    await client.close();
  });
});

/** The backup archives of `vmid` on pve1's `local` storage (from the simulator, as a user would list them). */
async function backupsOf(vmid: number): Promise<string[]> {
  const rows = (await t.pve.request("GET", "/nodes/{node}/storage/{storage}/content", { node: "pve1", storage: "local", content: "backup" })) as { volid: string; vmid?: number }[];
  return rows.filter((r) => Number(r.vmid) === vmid).map((r) => r.volid);
}

describe("widening an allow-list by changing what it matches", () => {
  const tries: [string, Record<string, unknown>][] = [
    ["pve_act", { action: "tag", vmid: 102, add: ["prod"] }],
    ["pve_act", { action: "tag", select: { vmids: [102] }, add: ["prod"] }],
    ["pve_act", { action: "tag", select: { all: true }, add: ["prod"] }],
    ["pve_act", { action: "pool", vmid: 102, pool: "production" }],
    ["pve_api", { method: "PUT", path: "/nodes/pve2/qemu/102/config", params: { tags: "prod" } }],
    ["pve_api", { method: "PUT", path: "/pools/production", params: { vms: "102" } }],
    ["pve_api", { method: "PUT", path: "/pools", params: { poolid: "production", vms: "102" } }],
  ];
  test.each([
    ["tag prod", { allowedTags: "prod" }, /Guest 102 has no tags, none of the allowed tags/],
    ["pool production", { allowedPools: "production" }, /Guest 102 is in no pool, not in the allowed pools/],
  ])("allowed %s: an agent cannot tag or pool its way to guest 102", async (_n, lists, why) => {
    const client = await connect({ mode: "operator", ...lists });
    for (const [name, args] of tries) {
      const out = await refused(client, name, args);
      expect(out, `${name} ${JSON.stringify(args)}`).toMatchObject({ status: "refused", exitCode: 4, error: { message: expect.stringMatching(why) } });
    }
    // the datacenter's tag matching is a cluster-wide change
    await refused(client, "pve_api", { method: "PUT", path: "/cluster/options", params: { "tag-style": "case-sensitive=0" } });
    expect(t.writes).toEqual([]);
    expect(t.sim.state.guests.get(102)!.config.tags).toBeUndefined();
    expect(t.sim.state.guests.get(102)!.pool).toBeUndefined();
    await client.close();
  });
});

describe("taking several running guests down without the confirmation a bulk shutdown needs", () => {
  test.each(["stop", "suspend"])("operator: a set backup in %s mode of the running guests asks first", async (backupMode) => {
    const client = await connect({ mode: "operator" });
    // the direct way asks: shutting down several running guests is confirmed once, for the set
    const shutdown = body(await client.callTool({ name: "pve_act", arguments: { action: "shutdown", select: { status: ["running"] } } }));
    expect(shutdown.status).toBe("confirmation-required");
    // a backup in stop mode shuts each guest down (suspend mode suspends it) for the length of the backup
    const out = body(await client.callTool({ name: "pve_act", arguments: { action: "backup", select: { status: ["running"] }, backupMode } }));
    expect(out, JSON.stringify(out)).toMatchObject({ status: "confirmation-required", plan: { counts: { act: 3 } } });
    expect(out.plan.warnings.join(" ")).toMatch(/interrupts 3 guests/);
    expect(t.writes).toEqual([]);
    // and the token it gave runs exactly that set
    const done = body(await client.callTool({ name: "pve_act", arguments: { action: "backup", select: { status: ["running"] }, backupMode, confirmToken: out.confirmToken } }));
    expect(done).toMatchObject({ status: "done", counts: { ok: 3 } });
    await client.close();
  });

  test("operator: snapshot-mode backups of a set, and a stop-mode backup of stopped guests, interrupt nothing and need no token", async () => {
    const client = await connect({ mode: "operator" });
    const live = body(await client.callTool({ name: "pve_act", arguments: { action: "backup", select: { status: ["running"] } } }));
    expect(live).toMatchObject({ status: "done", counts: { ok: 3 } });
    const stopped = body(await client.callTool({ name: "pve_act", arguments: { action: "backup", select: { vmids: [102, 201] }, backupMode: "stop" } }));
    expect(stopped).toMatchObject({ status: "done", counts: { ok: 2 } });
    await client.close();
  });
});

describe("create and clone options that reach another guest", () => {
  test("operator, allowed VMIDs 150-160: a new guest built from guest 100's backup or disk is refused", async () => {
    const client = await connect({ mode: "operator", allowedVmids: "150-160" });
    const [vm100] = await backupsOf(100);
    const [ct200] = await backupsOf(200);
    expect(vm100 && ct200).toBeTruthy();
    const allowList = /Refused by allow-list: VMID (100|200) is not in the allowed VMIDs/;
    const destructive = /is a destructive operation .* needs mode admin.* Why destructive: (force=1 overwrites|it attaches or imports a disk of another guest)/;
    const tries: [Record<string, unknown>, RegExp][] = [
      [{ action: "create-vm", vmid: 150, node: "pve1", params: { archive: vm100 } }, allowList],
      [{ action: "create-vm", vmid: 150, node: "pve1", params: { archive: vm100, force: 1 } }, destructive],
      [{ action: "create-vm", vmid: 150, node: "pve1", params: { scsi0: "local-lvm:vm-100-disk-0" } }, destructive],
      [{ action: "create-vm", vmid: 150, node: "pve1", params: { scsi1: "local-lvm:vm-100-disk-0,size=32G" } }, destructive],
      [{ action: "create-vm", vmid: 150, node: "pve1", params: { vmid: 100 } }, /Pass vmid as the first argument/],
      [{ action: "create-vm", vmid: 150, node: "pve1", params: { node: "pve2" } }, /Pass node as --node/],
      [{ action: "create-ct", vmid: 150, node: "pve1", template: ct200, params: { restore: 1 } }, allowList],
      [{ action: "create-ct", vmid: 150, node: "pve1", template: ct200, params: { restore: 1, force: 1 } }, destructive],
      [{ action: "create-ct", vmid: 150, node: "pve1", template: "local:vztmpl/x.tar.zst", params: { rootfs: "local-lvm:vm-200-disk-0" } }, destructive],
      [{ action: "create-ct", vmid: 150, node: "pve1", template: "local:vztmpl/x.tar.zst", params: { mp0: "local-lvm:vm-200-disk-0,mp=/mnt" } }, destructive],
      [{ action: "create-ct", vmid: 150, node: "pve1", template: "local:vztmpl/x.tar.zst", params: { ostemplate: ct200 } }, /Pass ostemplate as --template/],
      [{ action: "restore", archive: vm100, vmid: 150, node: "pve1" }, allowList],
      [{ action: "restore", archive: ct200, vmid: 150, node: "pve1" }, allowList],
      [{ action: "clone", vmid: 100, newid: 150 }, allowList],
      [{ action: "clone", vmid: 9000, newid: 100 }, /VMID 100 is already in use/],
    ];
    for (const [args, why] of tries) {
      const out = await refused(client, "pve_manage", args);
      expect(out.error.message, JSON.stringify(args)).toMatch(why);
    }
    expect(t.writes).toEqual([]);
    expect(t.sim.state.guests.has(150)).toBe(false);
    await client.close();
  });
});

describe("pve_api path and method tricks", () => {
  const sneaky = [
    "/nodes/pve2/qemu/102/../../pve1/qemu/101/status/suspend",
    "/nodes/pve1/qemu/101/status/suspend",
    "/nodes/pve1/qemu/101%2F../102/status/suspend",
    "/nodes/pve1%2Fqemu%2F101/status/suspend",
    "/nodes/pve2/qemu/102/status/suspend?vmid=101",
    "/nodes/pve2/qemu/102/status/suspend#/nodes/pve1/qemu/101",
    "//nodes/pve1/qemu/101/status/suspend",
    "/api2/json/nodes/pve1/qemu/101/status/suspend",
    "nodes/pve1/qemu/101/status/suspend",
    "/nodes/pve1/qemu/ 101/status/suspend",
    "/nodes/pve1/qemu/0101/status/suspend",
    "/nodes/pve1/qemu/101.0/status/suspend",
    "/nodes/pve1/qemu/1e2/status/suspend",
    "/nodes/pve1/qemu/{vmid}/status/suspend",
    "/nodes/pve1/suspendall",
    "/nodes/pve1/stopall",
    "/cluster/bulk-action/guest/suspend",
  ];
  test.each(sneaky)("operator, allowed VMID 102: POST %s does not reach guest 101", async (path) => {
    const client = await connect({ mode: "operator", allowedVmids: "102" });
    const out = await refused(client, "pve_api", { method: "POST", path, params: path.includes("{vmid}") ? { vmid: 101 } : {} });
    expect(out.status === "refused" || out.exitCode === 2, JSON.stringify(out)).toBe(true);
    expect(t.writes).toEqual([]);
    expect(t.sim.state.guests.get(101)!.status).toBe("running");
    await client.close();
  });

  test("params cannot override the guest a path names", async () => {
    const client = await connect({ mode: "operator", allowedVmids: "102" });
    const r = (await client.callTool({ name: "pve_api", arguments: { method: "POST", path: "/nodes/pve2/qemu/102/status/start", params: { vmid: 101, node: "pve1" } } })) as ToolText;
    if (!r.isError) expect(t.writes.every((w) => !w.includes("101"))).toBe(true);
    expect(t.sim.state.guests.get(101)!.status).toBe("running");
    await client.close();
  });

  test("a method other than the four, or GET on a change, changes nothing", async () => {
    const client = await connect({ mode: "read-only" });
    for (const method of ["PATCH", "HEAD", "OPTIONS", "get ", "GET\u0000", "ＧＥＴ", ["GET"], 1, null])
      await refused(client, "pve_api", { method, path: "/nodes/pve1/qemu/101/status/stop" });
    const get = await client.callTool({ name: "pve_api", arguments: { method: "GET", path: "/nodes/pve1/qemu/101/status/stop" } });
    expect((get as ToolText).isError).toBe(true);
    expect(t.writes).toEqual([]);
    expect(t.sim.state.guests.get(101)!.status).toBe("running");
    await client.close();
  });
});

describe("secrets in anything the server says", () => {
  test("no token secret, password, ticket or CSRF token in tools/list, instructions, answers or errors", async () => {
    const c = t.sim.credentials;
    const secrets = [c.token.secret, c.root.password, c.restrictedToken.secret, c.tfa.password, c.auditor.password];
    // secrets PVE keeps in a guest's configuration
    t.sim.state.guests.get(100)!.config.cipassword = c.root.password;
    t.audit.entries.length = 0;
    const client = await connect({ mode: "admin" });
    const texts: string[] = [client.getInstructions() ?? "", JSON.stringify(await client.listTools())];
    const call = async (name: string, args: Record<string, unknown>) => {
      const r = await client.callTool({ name, arguments: args });
      texts.push(JSON.stringify(r));
      return r as ToolText & { structuredContent?: unknown };
    };
    for (const view of ["guest", "config", "ips", "snapshots", "console"]) for (const vmid of [100, 200, 4242]) await call("pve_guest", { view, vmid });
    for (const view of ["status", "nodes", "storage", "backups", "pools", "nextid", "tasks", "cluster-log", "doctor"]) await call("pve_cluster", { view });
    await call("pve_cluster", { view: "node", node: "pve1" });
    for (const path of ["/access/users", "/access/users/root@pam", "/access/users/root@pam/token", "/access/users/root@pam/token/pvekit", "/cluster/config/join", "/access/ticket", "/access/domains", "/nodes/pve1/qemu/100/config", "/cluster/ceph/metadata"])
      await call("pve_api", { method: "GET", path });
    // a login through pve_api: the plan, the confirmation, the answer (ticket, CSRF token) and errors
    const login = await call("pve_api", { method: "POST", path: "/access/ticket", params: { username: "root@pam", password: c.root.password } });
    const token = JSON.parse(login.content[0]!.text).confirmToken;
    if (token) await call("pve_api", { method: "POST", path: "/access/ticket", params: { username: "root@pam", password: c.root.password }, confirmToken: token });
    await call("pve_api", { method: "POST", path: "/access/ticket", params: { username: "root@pam", password: c.root.password, otp: "x".repeat(5000) } });
    await call("pve_api", { method: "POST", path: "/access/ticket", params: { username: "", password: c.root.password } });
    await call("pve_api", { method: "PUT", path: "/access/password", params: { userid: "root@pam", password: c.root.password, "confirmation-password": c.root.password } });
    await call("pve_api", { method: "POST", path: "/access/users", params: { userid: "x@pve", password: c.root.password, email: "not an email", expire: -1 } });
    await call("pve_api", { method: "POST", path: "/access/users/root@pam/token/new", params: { privsep: 0 } });
    // secrets passed as arguments the tools refuse: the error must not echo them
    await call("pve_act", { action: "start", vmid: 102, password: c.root.password });
    await call("pve_manage", { action: "create-ct", vmid: 150, template: "local:vztmpl/x.tar.zst", node: "pve1", params: { password: c.root.password, "ssh-public-keys": "x" } });
    await call("pve_manage", { action: "create-ct", vmid: 150, template: "local:vztmpl/x.tar.zst", node: "pve1", params: { password: c.root.password, nonsense: 1 } });
    await call("pve_manage", { action: "create-vm", vmid: 151, node: "pve1", params: { cipassword: c.root.password, memory: "lots" } });
    const all = [...texts, JSON.stringify(t.audit.entries)].join("\n");
    expect(t.audit.entries.length).toBeGreaterThan(3);
    for (const s of secrets) expect(all.includes(s), `a secret appears in ${all.slice(Math.max(0, all.indexOf(s) - 300), all.indexOf(s) + 50)}`).toBe(false);
    expect(all).not.toMatch(/PVE:root@pam:[0-9A-F]{8}::/);
    expect(all).not.toMatch(/"CSRFPreventionToken"\s*:\s*"[0-9A-F]{8}:/);
    expect(all).not.toMatch(/"value"\s*:\s*"[0-9a-f-]{36}"/);
    await client.close();
  });
});
