import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createMcpServer, mcpToolCall } from "../../src/skill/mcp-server";
import { operations } from "../../src/skill/operations";
import { runCli } from "./helpers/run-cli";
import { startSimSkill, type SimSkill } from "./helpers/sim-skill";

// Every operation through both faces an agent uses: the CLI (argv → exit code + JSON) and the MCP server.

let t: SimSkill;
let mcp: Client;
beforeAll(async () => {
  t = await startSimSkill();
  const server = createMcpServer(t.skill({ mode: "admin" }));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  mcp = new Client({ name: "pvekit-test", version: "0.0.0" });
  await mcp.connect(clientSide);
});
afterAll(async () => {
  await mcp.close();
  await t.close();
});
beforeEach(() => t.sim.reset());

interface Case {
  input: Record<string, unknown>;
  argv: string[];
}
const TPL = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";
const backupOf = (vmid: number) =>
  t.sim.state.storages.flatMap((s) => Object.values(s.volumes).flat()).find((v) => v.content === "backup" && v.vmid === vmid)!.volid;
const startTask = async () => String(await t.pve.request("POST", "/nodes/{node}/qemu/{vmid}/status/start", { node: "pve2", vmid: 102 }));

/** Inputs per operation; some need state prepared first (a task, a paused VM, a backup). */
const CASES: Record<string, () => Promise<Case> | Case> = {
  status: () => ({ input: {}, argv: ["status"] }),
  nodes: () => ({ input: {}, argv: ["nodes"] }),
  node: () => ({ input: { node: "pve1" }, argv: ["node", "pve1"] }),
  guests: () => ({ input: { type: "qemu", tag: "prod" }, argv: ["guests", "--type", "qemu", "--tag", "prod"] }),
  guest: () => ({ input: { vmid: 200 }, argv: ["guest", "200"] }),
  config: () => ({ input: { vmid: 100 }, argv: ["config", "100"] }),
  ips: () => ({ input: { vmid: 100 }, argv: ["ips", "100"] }),
  console: () => ({ input: { vmid: 200 }, argv: ["console", "200"] }),
  snapshots: () => ({ input: { vmid: 100 }, argv: ["snapshots", "100"] }),
  storage: () => ({ input: { node: "pve1" }, argv: ["storage", "--node", "pve1"] }),
  content: () => ({
    input: { storage: "local", node: "pve1", content: "vztmpl" },
    argv: ["content", "local", "--node", "pve1", "--content", "vztmpl"],
  }),
  backups: () => ({ input: { vmid: 100 }, argv: ["backups", "--vmid", "100"] }),
  tasks: () => ({ input: { limit: 5 }, argv: ["tasks", "--limit", "5"] }),
  task: async () => {
    const upid = await startTask();
    return { input: { upid, wait: true, log: true }, argv: ["task", upid, "--wait", "--log"] };
  },
  nextid: () => ({ input: {}, argv: ["nextid"] }),
  pools: () => ({ input: {}, argv: ["pools"] }),
  logs: () => ({ input: { node: "pve1", lines: 5 }, argv: ["logs", "--node", "pve1", "--lines", "5"] }),
  "cluster-log": () => ({ input: { lines: 5 }, argv: ["cluster-log", "--lines", "5"] }),
  doctor: () => ({ input: {}, argv: ["doctor"] }),
  start: () => ({ input: { vmid: 102 }, argv: ["start", "102"] }),
  shutdown: () => ({ input: { vmid: 100 }, argv: ["shutdown", "100"] }),
  reboot: () => ({ input: { vmid: 100 }, argv: ["reboot", "100"] }),
  suspend: () => ({ input: { vmid: 100 }, argv: ["suspend", "100"] }),
  resume: async () => {
    await t.pve.request("POST", "/nodes/{node}/qemu/{vmid}/status/suspend", { node: "pve1", vmid: 100 });
    return { input: { vmid: 100 }, argv: ["resume", "100"] };
  },
  snapshot: () => ({ input: { vmid: 100, name: "s1", description: "before" }, argv: ["snapshot", "100", "s1", "--description", "before"] }),
  backup: () => ({ input: { vmid: 101, storage: "local" }, argv: ["backup", "101", "--storage", "local"] }),
  clone: () => ({ input: { vmid: 9000, name: "c1", full: true }, argv: ["clone", "9000", "--name", "c1", "--full"] }),
  "create-vm": () => ({
    input: { vmid: 320, node: "pve1", params: { name: "x", memory: "512" } },
    argv: ["create-vm", "320", "--node", "pve1", "name=x", "memory=512"],
  }),
  "create-ct": () => ({
    input: { vmid: "auto", node: "pve1", template: TPL, params: { hostname: "y", storage: "local-lvm" } },
    argv: ["create-ct", "auto", "--node", "pve1", "--template", TPL, "hostname=y", "storage=local-lvm"],
  }),
  restore: () => {
    const archive = backupOf(100);
    return { input: { archive, vmid: 330, node: "pve1" }, argv: ["restore", archive, "--vmid", "330", "--node", "pve1"] };
  },
  tag: () => ({ input: { vmid: 100, add: ["t1"], remove: ["web"] }, argv: ["tag", "100", "--add", "t1", "--remove", "web"] }),
  pool: () => ({ input: { vmid: 102, pool: "production" }, argv: ["pool", "102", "production"] }),
  stop: () => ({ input: { vmid: 100 }, argv: ["stop", "100"] }),
  reset: () => ({ input: { vmid: 100 }, argv: ["reset", "100"] }),
  rollback: () => ({ input: { vmid: 100, name: "pre-upgrade" }, argv: ["rollback", "100", "pre-upgrade"] }),
  delsnapshot: () => ({ input: { vmid: 100, name: "pre-upgrade" }, argv: ["delsnapshot", "100", "pre-upgrade"] }),
  resize: () => ({ input: { vmid: 101, disk: "scsi0", size: "+1G" }, argv: ["resize", "101", "scsi0", "+1G"] }),
  migrate: () => ({ input: { vmid: 100, target: "pve2" }, argv: ["migrate", "100", "--target", "pve2"] }),
  template: () => ({ input: { vmid: 102 }, argv: ["template", "102"] }),
  delete: () => ({ input: { vmid: 102, purge: true }, argv: ["delete", "102", "--purge"] }),
  set: () => ({
    input: { vmid: 102, params: { memory: "1024" }, delete: ["tags"] },
    argv: ["set", "102", "memory=1024", "--delete", "tags"],
  }),
  api: () => ({
    input: { method: "get", path: "/cluster/resources", params: { type: "node" } },
    argv: ["api", "get", "/cluster/resources", "type=node"],
  }),
};

/** stdout as JSON; when it is not, the failure shows what was printed (seen once under load, not yet reproduced). */
function parseOutput(r: { stdout: string; stderr: string }): unknown {
  try {
    return JSON.parse(r.stdout) as unknown;
  } catch (e) {
    throw new Error(`stdout is not one JSON value (${(e as Error).message}):\n${r.stdout}\n--- stderr:\n${r.stderr}`);
  }
}

/** A compact, comparable view of an answer. */
function summary(json: unknown): unknown {
  if (json && typeof json === "object" && !Array.isArray(json) && "status" in json) {
    const j = json as { status: string; changes?: string[]; target?: string };
    return { status: j.status, target: j.target, changes: j.changes };
  }
  return Array.isArray(json) ? { rows: json.length } : { keys: Object.keys(json as object).sort() };
}

test("the table covers every operation", () => {
  expect(Object.keys(CASES).sort()).toEqual(operations.map((op) => op.name).sort());
});

describe.each(operations.map((op) => [op.name, op.kind, op.tier] as const))("%s", (name, kind, tier) => {
  const destructive = tier === "destructive";

  test("CLI", async () => {
    const c = await CASES[name]!();
    const argv = [...c.argv, "--mode", "admin", "--json"];
    let r = await runCli(argv, t.env());
    if (destructive) {
      expect(r.code, r.stderr).toBe(3);
      argv.push("--confirm", (JSON.parse(r.stdout) as { confirmToken: string }).confirmToken);
      r = await runCli(argv, t.env());
    }
    expect(r.code, r.stderr).toBe(0);
    const json = parseOutput(r);
    if (kind === "mutation" && name !== "api") expect(summary(json)).toMatchObject({ status: expect.stringMatching(/^(done|no-change)$/) });
    expect(json).toBeDefined();
  });

  test("MCP", async () => {
    const c = await CASES[name]!();
    const call = async (args: Record<string, unknown>) => {
      const r = (await mcp.callTool(mcpToolCall(name, args))) as {
        isError?: boolean;
        content: { text: string }[];
      };
      expect(r.isError, r.content[0]?.text).toBeFalsy();
      return JSON.parse(r.content[0]!.text) as Record<string, unknown>;
    };
    let json = await call(c.input);
    if (destructive) {
      expect(json.status).toBe("confirmation-required");
      json = await call({ ...c.input, confirmToken: json.confirmToken });
    }
    if (kind === "mutation" && name !== "api") expect(json.status).toMatch(/^(done|no-change)$/);
    expect(json).toBeDefined();
  });
});
