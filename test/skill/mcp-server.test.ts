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
const body = (r: unknown) => JSON.parse((r as ToolText).content[0]!.text) as Record<string, unknown> & unknown[];

describe("tools by mode", () => {
  test("read-only lists only read tools, with readOnlyHint", async () => {
    const client = await connect("read-only");
    const { tools } = await client.listTools();
    const names = tools.map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(["pve_guests", "pve_guest", "pve_config", "pve_snapshots", "pve_doctor", "pve_api"]));
    expect(names).not.toContain("pve_start");
    expect(names).not.toContain("pve_stop");
    const guests = tools.find((x) => x.name === "pve_guests")!;
    expect(guests.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(guests.inputSchema.properties).toHaveProperty("type");
    await client.close();
  });

  test("operator adds reversible tools; admin adds destructive ones with destructiveHint and confirmToken", async () => {
    const op = await connect("operator");
    const opNames = (await op.listTools()).tools.map((x) => x.name);
    expect(opNames).toEqual(expect.arrayContaining(["pve_start", "pve_snapshot", "pve_create_vm"]));
    expect(opNames).not.toContain("pve_stop");
    await op.close();
    const admin = await connect("admin");
    const tools = (await admin.listTools()).tools;
    const stop = tools.find((x) => x.name === "pve_stop")!;
    expect(stop.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(stop.inputSchema.properties).toHaveProperty("confirmToken");
    // issue #12: one guest by vmid, or several by select
    expect(stop.inputSchema.required ?? []).toEqual([]);
    expect(stop.inputSchema.properties).toHaveProperty("select");
    expect(tools.find((x) => x.name === "pve_start")!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    await admin.close();
  });
});

describe("calls", () => {
  test("a read tool answers with JSON", async () => {
    const client = await connect("read-only");
    const rows = body(await client.callTool({ name: "pve_guests", arguments: { type: "lxc" } }));
    expect(rows.map((r) => (r as { vmid: number }).vmid)).toEqual([200, 201]);
    await client.close();
  });

  test("a change that amounts to a confirmed operation takes the token over MCP too (backup in stop mode)", async () => {
    const server = createMcpServer(t.skill({ mode: "operator", confirmOperations: "shutdown" }));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: "pvekit-test", version: "0.0.0" });
    await client.connect(clientSide);
    const plan = body(await client.callTool({ name: "pve_backup", arguments: { vmid: 100, backupMode: "stop" } }));
    expect(plan.status).toBe("confirmation-required");
    const out = body(await client.callTool({ name: "pve_backup", arguments: { vmid: 100, backupMode: "stop", confirmToken: plan.confirmToken } }));
    expect(out.status).toBe("done");
    await client.close();
  });

  test("a reversible tool acts and reports the change", async () => {
    const client = await connect("operator");
    const out = body(await client.callTool({ name: "pve_start", arguments: { vmid: 102 } }));
    expect(out).toMatchObject({ status: "done", changes: ["status: stopped → running"] });
    await client.close();
  });

  test("the confirm-token flow: plan first, then the same call with confirmToken", async () => {
    const client = await connect("admin");
    const plan = body(await client.callTool({ name: "pve_stop", arguments: { vmid: 101 } }));
    expect(plan).toMatchObject({ status: "confirmation-required", plan: { operation: "stop", tier: "destructive" } });
    expect(t.sim.state.guests.get(101)!.status).toBe("running");
    const out = body(await client.callTool({ name: "pve_stop", arguments: { vmid: 101, confirmToken: plan.confirmToken } }));
    expect(out).toMatchObject({ status: "done", changes: ["status: running → stopped"] });
    const again = body(await client.callTool({ name: "pve_stop", arguments: { vmid: 100, confirmToken: plan.confirmToken } }));
    expect(again).toMatchObject({ status: "confirmation-required" });
    expect(String(again.reason)).toMatch(/different/);
    await client.close();
  });

  test("refusals and failures are tool errors with a machine-readable body", async () => {
    const client = await connect("read-only");
    const refused = await client.callTool({ name: "pve_api", arguments: { method: "post", path: "/nodes/pve2/qemu/102/status/start" } });
    expect((refused as ToolText).isError).toBe(true);
    expect(body(refused)).toMatchObject({ status: "refused", exitCode: 4, error: { name: "PolicyRefusedError" } });
    const missing = await client.callTool({ name: "pve_guest", arguments: { vmid: 4242 } });
    expect(body(missing)).toMatchObject({ status: "error", exitCode: 1 });
    const invalid = await client.callTool({ name: "pve_guest", arguments: { vmid: "abc" } });
    expect((invalid as ToolText).isError).toBe(true);
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
  const names = (await client.listTools()).tools.map((x) => x.name);
  expect(names).toContain("pve_start");
  expect(names).not.toContain("pve_stop");
  const out = body(await client.callTool({ name: "pve_start", arguments: { vmid: 102 } }));
  expect(out).toMatchObject({ status: "done", target: "qemu/102 (test-vm) on pve2" });
  await client.close();
});
