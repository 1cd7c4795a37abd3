import { Command } from "commander";
import type { CliApp } from "./app";
import { addCommonOptions, type GlobalOpts } from "./common-options";
import { TOOL_CATALOG } from "./tool-catalog";

/** `pvekit mcp`: the operations as MCP tools over stdio, filtered by mode. */
export function mcpCommand(app: CliApp, cmd = new Command("mcp")): Command {
  cmd.description(TOOL_CATALOG.mcp.description);
  addCommonOptions(cmd);
  cmd.action(async (_opts: unknown, command: Command) => {
    const opts = command.optsWithGlobals() as GlobalOpts;
    const skill = await app.skill(opts);
    // Loaded on demand: the MCP SDK is the heaviest import and only this command needs it.
    const { createMcpServer, mcpToolDefinitions, trackAnswers } = await import("../mcp-server");
    const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js");
    const server = createMcpServer(skill);
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => {
      transport.onclose = () => resolve();
      process.stdin.once("end", () => resolve());
    });
    const answers = trackAnswers(transport);
    await server.connect(transport);
    app.err(`pvekit MCP server ready (mode ${skill.settings.mode}: ${skill.allowedOperations().length} operations in ${mcpToolDefinitions(skill).length} tools)`);
    await closed;
    // the client closed its side: answer the calls already received before exiting
    await answers.idle();
    await server.close();
  });
  return cmd;
}
