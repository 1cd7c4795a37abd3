import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createMcpServer } from "../../src/skill/mcp-server";
import { startSimSkill, type SimSkill } from "./helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

/** An MCP client connected in memory to a server in `mode`. */
async function connect(mode: string): Promise<Client> {
  const server = createMcpServer(t.skill({ mode }));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "pvekit-test", version: "0.0.0" });
  await client.connect(clientSide);
  return client;
}

interface ToolText {
  isError?: boolean;
  content: { type: string; text: string }[];
}
const body = (r: unknown) => JSON.parse((r as ToolText).content[0]!.text) as Record<string, any> & unknown[];

const argsOf = (tool: { inputSchema: { properties?: Record<string, unknown> } }) => Object.keys(tool.inputSchema.properties ?? {});
const actions = (tool: { inputSchema: { properties?: Record<string, unknown> } }, key = "action") =>
  ((tool.inputSchema.properties?.[key] as { enum?: string[] } | undefined)?.enum ?? []);

describe("tools by mode", () => {
  test("read-only: the three read tools and api, read-only and idempotent", async () => {
    const client = await connect("read-only");
    const { tools } = await client.listTools();
    expect(tools.map((x) => x.name)).toEqual(["pve_guests", "pve_guest", "pve_cluster", "pve_api"]);
    for (const tool of tools) expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: true, idempotentHint: true, openWorldHint: false });
    expect(argsOf(tools[0]!)).toContain("type");
    expect(actions(tools[1]!, "view")).toEqual(["guest", "config", "ips", "snapshots", "console"]);
    for (const tool of tools) expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
    await client.close();
  });

  test("operator adds the reversible actions; admin the destructive ones, with destructiveHint and confirmToken", async () => {
    const op = await connect("operator");
    const opTools = (await op.listTools()).tools;
    expect(opTools.map((x) => x.name)).toEqual(["pve_guests", "pve_guest", "pve_cluster", "pve_act", "pve_manage", "pve_api"]);
    const act = opTools.find((x) => x.name === "pve_act")!;
    expect(actions(act)).toEqual(["start", "shutdown", "reboot", "suspend", "resume", "snapshot", "backup", "tag", "pool"]);
    expect(act.annotations).toMatchObject({ destructiveHint: false, openWorldHint: false });
    expect(act.annotations).not.toHaveProperty("readOnlyHint");
    expect(actions(opTools.find((x) => x.name === "pve_manage")!)).toEqual(["create-vm", "create-ct", "clone", "restore"]);
    // the api tool can change things here: not read-only
    expect(opTools.find((x) => x.name === "pve_api")!.annotations).toMatchObject({ destructiveHint: false });
    await op.close();
    const admin = await connect("admin");
    const tools = (await admin.listTools()).tools;
    const adminAct = tools.find((x) => x.name === "pve_act")!;
    expect(actions(adminAct)).toEqual(expect.arrayContaining(["stop", "reset", "migrate"]));
    expect(adminAct.annotations).toMatchObject({ destructiveHint: true });
    expect(argsOf(adminAct)).toEqual(expect.arrayContaining(["confirmToken", "select", "vmid", "parallel", "wait"]));
    expect(adminAct.inputSchema.required).toEqual(["action"]);
    expect(actions(tools.find((x) => x.name === "pve_manage")!)).toEqual(expect.arrayContaining(["set", "resize", "rollback", "delsnapshot", "template", "delete"]));
    await admin.close();
  });

  test("the instructions say what the answers look like", async () => {
    const client = await connect("admin");
    const text = client.getInstructions() ?? "";
    for (const shape of ["confirmation-required", "confirmToken", "counts", "results", "exitCode", "structuredContent"]) expect(text).toContain(shape);
    await client.close();
  });
});

describe("calls", () => {
  test("a read tool answers with JSON", async () => {
    const client = await connect("read-only");
    const rows = body(await client.callTool({ name: "pve_guests", arguments: { type: "lxc" } }));
    expect(rows.map((r) => (r as { vmid: number }).vmid)).toEqual([200, 201]);
    const config = body(await client.callTool({ name: "pve_guest", arguments: { view: "config", vmid: 100 } }));
    expect(config).toHaveProperty("digest");
    await client.close();
  });

  test("a change that amounts to a confirmed operation takes the token over MCP too (backup in stop mode)", async () => {
    const server = createMcpServer(t.skill({ mode: "operator", confirmOperations: "shutdown" }));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: "pvekit-test", version: "0.0.0" });
    await client.connect(clientSide);
    const plan = body(await client.callTool({ name: "pve_act", arguments: { action: "backup", vmid: 100, backupMode: "stop" } }));
    expect(plan.status).toBe("confirmation-required");
    const out = body(await client.callTool({ name: "pve_act", arguments: { action: "backup", vmid: 100, backupMode: "stop", confirmToken: plan.confirmToken } }));
    expect(out.status).toBe("done");
    await client.close();
  });

  test("a reversible action acts and reports the change", async () => {
    const client = await connect("operator");
    const out = body(await client.callTool({ name: "pve_act", arguments: { action: "start", vmid: 102 } }));
    expect(out).toMatchObject({ status: "done", changes: ["status: stopped → running"] });
    await client.close();
  });

  test("the confirm-token flow: plan first, then the same call with confirmToken", async () => {
    const client = await connect("admin");
    const plan = body(await client.callTool({ name: "pve_act", arguments: { action: "stop", vmid: 101 } }));
    expect(plan).toMatchObject({ status: "confirmation-required", plan: { operation: "stop", tier: "destructive" } });
    expect(t.sim.state.guests.get(101)!.status).toBe("running");
    const out = body(await client.callTool({ name: "pve_act", arguments: { action: "stop", vmid: 101, confirmToken: plan.confirmToken } }));
    expect(out).toMatchObject({ status: "done", changes: ["status: running → stopped"] });
    const again = body(await client.callTool({ name: "pve_act", arguments: { action: "stop", vmid: 100, confirmToken: plan.confirmToken } }));
    expect(again).toMatchObject({ status: "confirmation-required" });
    expect(String(again.reason)).toMatch(/different/);
    await client.close();
  });

  test("refusals and failures are tool errors with a machine-readable body", async () => {
    const client = await connect("read-only");
    const refused = await client.callTool({ name: "pve_api", arguments: { method: "post", path: "/nodes/pve2/qemu/102/status/start" } });
    expect((refused as ToolText).isError).toBe(true);
    expect(body(refused)).toMatchObject({ status: "refused", exitCode: 4, error: { name: "PolicyRefusedError" } });
    const missing = await client.callTool({ name: "pve_guest", arguments: { view: "guest", vmid: 4242 } });
    expect(body(missing)).toMatchObject({ status: "error", exitCode: 1 });
    const invalid = await client.callTool({ name: "pve_guest", arguments: { view: "guest", vmid: "abc" } });
    expect((invalid as ToolText).isError).toBe(true);
    expect(body(invalid)).toMatchObject({ status: "error", exitCode: 2 });
    await client.close();
  });
});

test("every answer is the same JSON as text and as structuredContent.result: a read, a confirmation, an error", async () => {
  const client = await connect("admin");
  const read = (await client.callTool({ name: "pve_guest", arguments: { view: "guest", vmid: 100 } })) as ToolText & { structuredContent?: { result: unknown } };
  const confirm = (await client.callTool({ name: "pve_act", arguments: { action: "stop", vmid: 100 } })) as ToolText & { structuredContent?: { result: unknown } };
  const error = (await client.callTool({ name: "pve_guest", arguments: { view: "guest", vmid: 100, bogus: 1 } })) as ToolText & { structuredContent?: { result: unknown } };
  for (const answer of [read, confirm, error]) expect(answer.structuredContent?.result).toEqual(body(answer));
  expect(body(read)).toMatchObject({ vmid: 100 });
  expect(body(confirm)).toMatchObject({ status: "confirmation-required", confirmToken: expect.any(String) });
  expect(error.isError).toBe(true);
  expect(body(error)).toMatchObject({ status: "error", exitCode: 2 });
  await client.close();
});

describe("arguments a tool does not take are refused, never dropped", () => {
  test("an unknown argument, one of another action, and a misspelt selector key", async () => {
    const client = await connect("admin");
    const typo = await client.callTool({ name: "pve_guests", arguments: { tpye: "lxc" } });
    expect((typo as ToolText).isError).toBe(true);
    expect(body(typo)).toMatchObject({ exitCode: 2, error: { message: expect.stringMatching(/pve_guests does not take tpye; it takes node, type/) } });
    const other = await client.callTool({ name: "pve_act", arguments: { action: "start", vmid: 102, name: "snap1" } });
    expect(body(other).error).toMatchObject({ message: expect.stringMatching(/pve_act action=start does not take name/) });
    const sel = await client.callTool({ name: "pve_act", arguments: { action: "stop", select: { all: true, exlude: [100] } } });
    expect((sel as ToolText).isError).toBe(true);
    expect(body(sel).error.message).toMatch(/exlude/);
    expect([...t.sim.state.guests.values()].filter((g) => g.status === "running").length).toBeGreaterThan(0);
    await client.close();
  });

  test("an action the mode does not list, or none, is an error naming the choices", async () => {
    const client = await connect("operator");
    const stop = await client.callTool({ name: "pve_act", arguments: { action: "stop", vmid: 100 } });
    expect(body(stop).error.message).toMatch(/pve_act needs action: one of start, shutdown, .* \(got "stop"\)/);
    expect(t.sim.state.guests.get(100)!.status).toBe("running");
    const none = await client.callTool({ name: "pve_guest", arguments: { vmid: 100 } });
    expect(body(none).error.message).toMatch(/pve_guest needs view: one of guest, config/);
    const noTool = await client.callTool({ name: "pve_stop", arguments: { vmid: 100 } });
    expect(body(noTool).error.message).toMatch(/No tool pve_stop/);
    await client.close();
  });

  test("wait is a read's own argument (task), and the tool's for a change; confirmToken only where a token can be asked for", async () => {
    const client = await connect("operator");
    const upid = String(await t.pve.request("POST", "/nodes/{node}/qemu/{vmid}/status/start", { node: "pve2", vmid: 102 }));
    const task = body(await client.callTool({ name: "pve_cluster", arguments: { view: "task", upid, wait: true } }));
    expect(task).toMatchObject({ status: "stopped", exitstatus: "OK" });
    const started = body(await client.callTool({ name: "pve_act", arguments: { action: "shutdown", vmid: 102, wait: false } }));
    expect(started).toMatchObject({ status: "started", upid: expect.stringMatching(/^UPID:/) });
    const token = await client.callTool({ name: "pve_manage", arguments: { action: "clone", vmid: 9000, confirmToken: "x" } });
    expect(body(token).error.message).toMatch(/does not take confirmToken/);
    await client.close();
  });
});

test("pvekit mcp serves the tools over stdio", async () => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--import", "tsx", "src/skill/cli.ts", "mcp", "--mode", "operator"],
    env: t.env() as Record<string, string>,
    stderr: "pipe",
  });
  const client = new Client({ name: "pvekit-test", version: "0.0.0" });
  await client.connect(transport);
  const act = (await client.listTools()).tools.find((x) => x.name === "pve_act")!;
  expect(actions(act)).toContain("start");
  expect(actions(act)).not.toContain("stop");
  const out = body(await client.callTool({ name: "pve_act", arguments: { action: "start", vmid: 102 } }));
  expect(out).toMatchObject({ status: "done", target: "qemu/102 (test-vm) on pve2" });
  await client.close();
});
