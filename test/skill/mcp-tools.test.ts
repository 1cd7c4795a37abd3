import { describe, expect, test } from "vitest";
import { SkillUsageError } from "../../src/skill/errors";
import { mcpToolCall } from "../../src/skill/mcp-server";
import { MCP_TOOLS, mcpTools } from "../../src/skill/mcp-tools";
import { OPERATION_CATALOG } from "../../src/skill/operations/catalog";
import { operations } from "../../src/skill/operations";
import { MODES } from "../../src/skill/policy/mode";

describe("the MCP tool set", () => {
  test("every operation is reachable through exactly one tool", () => {
    const listed = MCP_TOOLS.flatMap((t) => t.ops);
    expect([...listed].sort()).toEqual(OPERATION_CATALOG.map((o) => o.name).sort());
    expect(new Set(listed).size).toBe(listed.length);
    for (const t of MCP_TOOLS) if (t.ops.length > 1) expect(t.pick, t.name).toBeDefined();
  });

  test.each(MODES)("mode %s lists every operation the mode allows, each once", (mode) => {
    const tools = mcpTools(operations, { mode, confirmOperations: [] }, (m) => new SkillUsageError(m));
    const offered = tools.flatMap((t) => t.ops.map((op) => op.name));
    const allowed = OPERATION_CATALOG.filter((o) => mode === "admin" || o.tier === "read" || (mode === "operator" && o.tier === "reversible"));
    expect(offered.sort()).toEqual(allowed.map((o) => o.name).sort());
  });

  test("mcpToolCall names the tool and the action or view", () => {
    expect(mcpToolCall("stop", { vmid: 100 })).toEqual({ name: "pve_act", arguments: { action: "stop", vmid: 100 } });
    expect(mcpToolCall("config", { vmid: 100 })).toEqual({ name: "pve_guest", arguments: { view: "config", vmid: 100 } });
    expect(mcpToolCall("guests")).toEqual({ name: "pve_guests", arguments: {} });
    expect(() => mcpToolCall("frobnicate")).toThrow(SkillUsageError);
  });

  test("a property that operations of one tool use differently says which does what", () => {
    const manage = mcpTools(operations, { mode: "admin", confirmOperations: [] }, (m) => new SkillUsageError(m)).find((t) => t.spec.name === "pve_manage")!;
    const props = manage.definition.inputSchema.properties as Record<string, { description?: string; anyOf?: unknown[] }>;
    expect(props.vmid!.description).toMatch(/create-vm, create-ct: New VMID, or auto.*clone: /);
    expect(props.vmid!.anyOf).toEqual(expect.arrayContaining([{ type: "integer" }]));
    expect(props.name!.description).toMatch(/rollback: .*delsnapshot: /);
  });
});
