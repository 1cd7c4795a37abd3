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
import { watchCommand } from "./watch-command";

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

/** The policy in a few lines, after the command list of `pvekit --help`. */
export const SAFETY_HELP = [
  "Safety (enforced here; PVE's own permissions on a privilege-separated API token stay the real boundary):",
  "  Tiers come from the endpoint AND its parameters, for commands and for `api` alike: force (restore over a",
  "  guest), forceStop, skiplock, vzdump all/pool/exclude/several VMIDs or prune-backups, another guest's disk,",
  "  … make a change destructive; stopall/startall/suspendall/migrateall and bulk actions are destructive; an",
  "  endpoint or parameter the rules do not know is destructive (--mode admin and a confirm token).",
  "  Allow-lists (PROXMOX_ALLOWED_VMIDS, _NODES, _POOLS, _TAGS, _STORAGES) are checked against every target a",
  "  request names: VMIDs in any parameter (newid, vms, target-vmid), volume ids and backups, HA sids, pool",
  "  members, ACL paths, target nodes and storages. Node- and cluster-wide actions are expanded to their guests",
  "  and sent as that list; what cannot be listed is refused while a list is set. An empty or malformed list is",
  "  a usage error. PVEKIT_MAX_MODE caps --mode; PVEKIT_CONFIRM_OPERATIONS=shutdown,reboot asks for tokens there too.",
  "  The audit log line is written before a change is sent (no line, no change). Credentials go only to the",
  "  configured host over https (--allow-http, --trust-host to override).",
  "",
  "Exit codes: 0 done, 1 API or task failure, 2 usage or validation error, 3 confirmation required, 4 refused by policy.",
  "Connection: PROXMOX_HOST, PROXMOX_TOKEN_ID, PROXMOX_TOKEN_SECRET (or ~/.proxmox-credentials, or --config <yaml>).",
].join("\n");

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
  const watch = watchCommand(app);
  watch.helpGroup(GROUP.read!);
  program.addCommand(watch);
  for (const cmd of [initCommand(app), usageCommand(app), schemaCommand(app), simCommand(app), demoCommand(app), mcpCommand(app)]) {
    cmd.helpGroup("Tools:");
    program.addCommand(cmd);
  }
  program.addHelpText("after", `\n${SAFETY_HELP}`);
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
