import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import * as z from "zod";
import { VERSION } from "../version";
import { errorReport } from "./error-report";
import { SkillUsageError } from "./errors";
import { outcomeJson } from "./format/render-outcome";
import { MCP_TOOLS, mcpInstructions, mcpTools, type McpTool } from "./mcp-tools";
import { operations } from "./operations";
import type { PveSkill } from "./pve-skill";

/**
 * The MCP tool call that runs operation `name` with `input`: its tool and the arguments, with the
 * operation named as `action`/`view` where the tool covers several (`start` → `pve_act`, action start).
 */
export function mcpToolCall(name: string, input: Record<string, unknown> = {}): { name: string; arguments: Record<string, unknown> } {
  const spec = MCP_TOOLS.find((t) => t.ops.includes(name));
  if (!spec) throw new SkillUsageError(`Unknown operation "${name}".`);
  return { name: spec.name, arguments: spec.pick ? { [spec.pick]: name, ...input } : input };
}

/**
 * tools/call with the arguments as sent: the SDK's own schema reads them as a record, which leaves a
 * `__proto__` key out; the tool must see it to refuse it. (The SDK still checks the request against
 * its own schema first, so the arguments are an object.)
 */
const CallToolAsSent = CallToolRequestSchema.extend({
  params: CallToolRequestSchema.shape.params.extend({ arguments: z.unknown() }),
});

/**
 * An MCP server exposing the operations the skill's mode allows as six tools (see MCP_TOOLS): JSON
 * Schema inputs that refuse unknown arguments, readOnlyHint/destructiveHint per tool, and the answer
 * shapes in the server's instructions. Calls go through `skill.run`, so the same policy,
 * confirm-token flow and audit log apply as for the CLI.
 */
export function createMcpServer(skill: PveSkill, info: { name?: string; version?: string } = {}): Server {
  const mode = skill.settings.mode;
  const server = new Server(
    { name: info.name ?? "pvekit", version: info.version ?? VERSION },
    { capabilities: { tools: {} }, instructions: mcpInstructions(mode) },
  );
  const tools = toolsFor(skill);
  const byName = new Map(tools.map((t) => [t.definition.name, t]));
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map((t) => t.definition) }));
  server.setRequestHandler(CallToolAsSent, async (request) => {
    try {
      const tool = byName.get(request.params.name);
      if (!tool) throw new SkillUsageError(`No tool ${request.params.name} in mode ${mode} (tools: ${[...byName.keys()].join(", ")}).`);
      const args = request.params.arguments ?? {};
      if (typeof args !== "object" || Array.isArray(args)) throw new SkillUsageError(`${tool.definition.name} takes its arguments as an object.`);
      const call = tool.read(args as Record<string, unknown>);
      const outcome = await skill.run(call.op.name, call.input, { confirm: call.confirmToken, wait: call.wait ?? true });
      const json = outcomeJson(outcome);
      return { content: [{ type: "text" as const, text: JSON.stringify(json, null, 2) }], structuredContent: { result: json as unknown } };
    } catch (err) {
      // the same two faces as an answer, so an agent reads one shape whichever way it went
      const report = errorReport(err, skill.connection);
      return { isError: true, content: [{ type: "text" as const, text: JSON.stringify(report, null, 2) }], structuredContent: { result: report as unknown } };
    }
  });
  return server;
}

/** The tools `skill`'s mode allows, as the server lists them. */
export function mcpToolDefinitions(skill: PveSkill): McpTool["definition"][] {
  return toolsFor(skill).map((t) => t.definition);
}

function toolsFor(skill: PveSkill): McpTool[] {
  return mcpTools(operations, { mode: skill.settings.mode, confirmOperations: skill.settings.confirmOperations }, (m) => new SkillUsageError(m));
}

/**
 * Counts the requests a transport receives until their answers are sent, so a server whose input
 * closed (stdin ended) can finish the calls in flight before it exits. Call before `server.connect`:
 * the server chains the handlers set here.
 */
export function trackAnswers(transport: Transport): { idle(): Promise<void> } {
  const pending = new Set<string | number>();
  let wake: (() => void) | undefined;
  const onmessage = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if ("method" in message && "id" in message) pending.add(message.id);
    onmessage?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    await send(message, options);
    if (!("method" in message) && "id" in message && (message.id !== undefined)) {
      pending.delete(message.id as string | number);
      if (pending.size === 0) wake?.();
    }
  };
  return {
    idle: () =>
      pending.size === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            wake = resolve;
          }),
  };
}
