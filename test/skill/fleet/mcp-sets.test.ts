import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createMcpServer } from "../../../src/skill/mcp-server";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// MCP tools take the same selectors as the CLI's targets and flags.

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

async function connect(mode: string, overrides: Record<string, string> = {}): Promise<Client> {
  const server = createMcpServer(t.skill({ mode, ...overrides }));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "pvekit-test", version: "0.0.0" });
  await client.connect(clientSide);
  return client;
}

const body = (r: unknown) => JSON.parse((r as { content: { text: string }[] }).content[0]!.text) as Record<string, any>;

describe("MCP tools over sets", () => {
  test("the tool of the fleet actions takes select (the CLI's selector); the one-guest tool does not", async () => {
    const client = await connect("admin");
    const tools = (await client.listTools()).tools;
    const act = tools.find((x) => x.name === "pve_act")!;
    const select = act.inputSchema.properties!.select as { properties: Record<string, unknown>; description: string };
    expect(Object.keys(select.properties).sort()).toEqual(["all", "exclude", "node", "pool", "status", "tag", "type", "vmids"]);
    expect(select.description).toMatch(/vmids.*exclude/);
    expect(act.inputSchema.properties).toHaveProperty("parallel");
    expect((act.inputSchema.properties!.action as { enum: string[] }).enum.sort()).toEqual(
      ["backup", "migrate", "pool", "reboot", "reset", "resume", "shutdown", "snapshot", "start", "stop", "suspend", "tag"],
    );
    expect(tools.find((x) => x.name === "pve_manage")!.inputSchema.properties).not.toHaveProperty("select");
    await client.close();
  });

  test("a selector call returns one result per guest", async () => {
    const client = await connect("operator");
    const out = body(await client.callTool({ name: "pve_act", arguments: { action: "start", select: { vmids: ["102-103"], type: "qemu" }, parallel: 2 } }));
    expect(out.status).toBe("done");
    expect(out.results.map((r: { vmid: number; outcome: string }) => [r.vmid, r.outcome])).toEqual([
      [102, "ok"],
      [103, "ok"],
    ]);
    await client.close();
  });

  test("one plan and one confirmToken for a destructive set, then the same call with the token", async () => {
    const client = await connect("admin");
    const args = { select: { node: "pve1" } };
    const plan = body(await client.callTool({ name: "pve_act", arguments: { action: "stop", ...args } }));
    expect(plan.status).toBe("confirmation-required");
    expect(plan.plan.guests.map((g: { vmid: number }) => g.vmid)).toEqual([100, 101, 200]);
    const done = body(await client.callTool({ name: "pve_act", arguments: { action: "stop", ...args, confirmToken: plan.confirmToken } }));
    expect(done.counts).toMatchObject({ ok: 3 });
    expect(t.sim.state.guests.get(200)!.status).toBe("stopped");
    await client.close();
  });

  test("operator mode: a set that takes several running guests down takes the confirmToken too", async () => {
    const client = await connect("operator");
    const tool = (await client.listTools()).tools.find((x) => x.name === "pve_act")!;
    expect(tool.inputSchema.properties).toHaveProperty("confirmToken");
    const args = { select: { tag: "prod" } };
    const plan = body(await client.callTool({ name: "pve_act", arguments: { action: "shutdown", ...args } }));
    expect(plan.status).toBe("confirmation-required");
    const done = body(await client.callTool({ name: "pve_act", arguments: { action: "shutdown", ...args, confirmToken: plan.confirmToken } }));
    expect(done.counts).toMatchObject({ ok: 3, failed: 0 });
    await client.close();
  });

  test("allow-list refusal of the set is a tool error naming the guests", async () => {
    const client = await connect("operator", { allowedTags: "prod" });
    const r = (await client.callTool({ name: "pve_act", arguments: { action: "start", select: { all: true } } })) as { isError?: boolean };
    expect(r.isError).toBe(true);
    expect(body(r)).toMatchObject({ status: "refused", exitCode: 4, error: { message: expect.stringMatching(/select\.exclude/) } });
    await client.close();
  });

  test("neither vmid nor select is a clear usage error", async () => {
    const client = await connect("operator");
    const r = (await client.callTool({ name: "pve_act", arguments: { action: "start" } })) as { isError?: boolean };
    expect(r.isError).toBe(true);
    expect(body(r).error.message).toMatch(/start needs vmid \(one guest\) or select \(several guests\)/);
    await client.close();
  });
});
