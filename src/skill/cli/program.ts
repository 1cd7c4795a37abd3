import { Command } from "commander";
import { schemaCommand } from "../commands/schema";
import { operations } from "../operations";
import type { CliApp } from "./app";
import { addCommonOptions } from "./common-options";
import { demoCommand } from "./demo-command";
import { initCommand } from "./init-command";
import { mcpCommand } from "./mcp-command";
import { operationCommand } from "./operation-command";
import { simCommand } from "./sim-command";
import { usageCommand } from "./usage-command";

const GROUP: Record<string, string> = {
  read: "Read-only commands:",
  reversible: "Reversible commands (--mode operator):",
  destructive: "Destructive commands (--mode admin, confirm token):",
};

/** Where commander writes: help to stdout; with --json its error text is left out (the CLI prints a JSON error). */
function output(app: CliApp) {
  const json = app.argv.includes("--json");
  return {
    writeOut: (s: string) => void app.io.stdout.write(s),
    writeErr: (s: string) => void (json ? undefined : app.io.stderr.write(s)),
  };
}

/** The `pvekit` command tree: one command per operation plus usage, schema, sim, demo and mcp. */
export function buildProgram(app: CliApp): Command {
  const program = new Command("pvekit")
    .description(
      "Safe Proxmox VE operations for people and AI agents. Read-only by default; --mode operator for reversible actions, --mode admin for destructive ones (with a confirm token).",
    )
    .version("0.1.0")
    .showHelpAfterError("(add --help for usage)")
    .configureOutput(output(app))
    .exitOverride();
  addCommonOptions(program);
  for (const op of operations) {
    const cmd = operationCommand(app, op);
    cmd.helpGroup(op.name === "api" ? "Any endpoint:" : GROUP[op.tier]!);
    program.addCommand(cmd);
  }
  for (const cmd of [initCommand(app), usageCommand(app), schemaCommand(app), simCommand(app), demoCommand(app), mcpCommand(app)]) {
    cmd.helpGroup("Tools:");
    program.addCommand(cmd);
  }
  program.addHelpText(
    "after",
    "\nExit codes: 0 done, 1 API or task failure, 2 usage or validation error, 3 confirmation required, 4 refused by policy.\nConnection: PROXMOX_HOST, PROXMOX_TOKEN_ID, PROXMOX_TOKEN_SECRET (or ~/.proxmox-credentials, or --config <yaml>).",
  );
  // Subcommands inherit output routing and error handling.
  const inherit = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub
        .configureOutput(output(app))
        .exitOverride()
        .showHelpAfterError("(add --help for usage)");
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}
