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
  test("fleet tools describe select; one-guest tools do not have it", async () => {
    const client = await connect("admin");
    const tools = (await client.listTools()).tools;
    for (const name of ["pve_start", "pve_shutdown", "pve_stop", "pve_snapshot", "pve_backup", "pve_tag", "pve_pool", "pve_migrate"]) {
      const tool = tools.find((x) => x.name === name)!;
      const select = tool.inputSchema.properties!.select as { properties: Record<string, unknown> };
      expect(Object.keys(select.properties).sort(), name).toEqual(["all", "exclude", "node", "pool", "status", "tag", "type", "vmids"]);
      expect(tool.inputSchema.properties, name).toHaveProperty("parallel");
      expect(tool.description).toMatch(/select/);
    }
    expect(tools.find((x) => x.name === "pve_delete")!.inputSchema.properties).not.toHaveProperty("select");
    await client.close();
  });

  test("a selector call returns one result per guest", async () => {
    const client = await connect("operator");
    const out = body(await client.callTool({ name: "pve_start", arguments: { select: { vmids: ["102-103"], type: "qemu" }, parallel: 2 } }));
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
    const plan = body(await client.callTool({ name: "pve_stop", arguments: args }));
    expect(plan.status).toBe("confirmation-required");
    expect(plan.plan.guests.map((g: { vmid: number }) => g.vmid)).toEqual([100, 101, 200]);
    const done = body(await client.callTool({ name: "pve_stop", arguments: { ...args, confirmToken: plan.confirmToken } }));
    expect(done.counts).toMatchObject({ ok: 3 });
    expect(t.sim.state.guests.get(200)!.status).toBe("stopped");
    await client.close();
  });

  test("operator mode: a set that takes several running guests down takes the confirmToken too", async () => {
    const client = await connect("operator");
    const tool = (await client.listTools()).tools.find((x) => x.name === "pve_shutdown")!;
    expect(tool.inputSchema.properties).toHaveProperty("confirmToken");
    const args = { select: { tag: "prod" } };
    const plan = body(await client.callTool({ name: "pve_shutdown", arguments: args }));
    expect(plan.status).toBe("confirmation-required");
    const done = body(await client.callTool({ name: "pve_shutdown", arguments: { ...args, confirmToken: plan.confirmToken } }));
    expect(done.counts).toMatchObject({ ok: 3, failed: 0 });
    await client.close();
  });

  test("allow-list refusal of the set is a tool error naming the guests", async () => {
    const client = await connect("operator", { allowedTags: "prod" });
    const r = (await client.callTool({ name: "pve_start", arguments: { select: { all: true } } })) as { isError?: boolean };
    expect(r.isError).toBe(true);
    expect(body(r)).toMatchObject({ status: "refused", exitCode: 4, error: { message: expect.stringMatching(/select\.exclude/) } });
    await client.close();
  });

  test("neither vmid nor select is a clear usage error", async () => {
    const client = await connect("operator");
    const r = (await client.callTool({ name: "pve_start", arguments: {} })) as { isError?: boolean };
    expect(r.isError).toBe(true);
    expect(body(r).error.message).toMatch(/start needs vmid \(one guest\) or select \(several guests\)/);
    await client.close();
  });
});
