import { Command, Help } from "commander";
import { VERSION } from "../../version";
import { OPERATION_CATALOG, type OperationInfo } from "../operations/catalog";
import type { CliApp } from "./app";
import { addCommonOptions } from "./common-options";
import { TOOL_CATALOG } from "./tool-catalog";

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

/** A command as the list shows it before its module is loaded, and how to build it in full. */
interface CommandEntry {
  name: string;
  description: string;
  group: string;
  /** The list's usage term (`start [options] [targets...]`). */
  term: string;
  /** Adds the command's arguments, options, help texts and action to `cmd` (loading its module). */
  build(app: CliApp, cmd: Command): Promise<unknown>;
}

/** `start [options] [targets...]`, `resize [options] <vmid> <disk> <size>`: as commander lists the built command. */
function operationTerm(info: OperationInfo): string {
  const args = info.sets
    ? ["[targets...]"]
    : (info.args ?? []).map((spec) => {
        const key = spec.replace(/\?$|\.\.\.$/, "");
        return spec.endsWith("...") ? `[${key}...]` : spec.endsWith("?") ? `[${key}]` : `<${key}>`;
      });
  return [info.name, "[options]", ...args].join(" ");
}

const operationEntry = (info: OperationInfo): CommandEntry => ({
  name: info.name,
  description: info.description,
  group: info.name === "api" ? "Any endpoint:" : GROUP[info.tier]!,
  term: operationTerm(info),
  async build(app, cmd) {
    const { loadOperation, operationCommand } = await import("./skill-runtime");
    operationCommand(app, (await loadOperation(info.name))!, cmd);
  },
});

const toolEntry = (info: (typeof TOOL_CATALOG)[keyof typeof TOOL_CATALOG], group: string, build: CommandEntry["build"]): CommandEntry => ({
  ...info,
  group,
  build,
});

/** Every command in list order: the operations by tier (watch among the reads), `api`, then the tools. */
function commandEntries(): CommandEntry[] {
  const ops = OPERATION_CATALOG.map(operationEntry);
  const lastRead = ops.findLastIndex((e) => e.group === GROUP.read);
  const watch = toolEntry(TOOL_CATALOG.watch, GROUP.read!, async (app, cmd) => (await import("./watch-command")).watchCommand(app, cmd));
  const tools = [
    toolEntry(TOOL_CATALOG.init, "Tools:", async (app, cmd) => (await import("./init-command")).initCommand(app, cmd)),
    toolEntry(TOOL_CATALOG.usage, "Tools:", async (app, cmd) => (await import("./usage-command")).usageCommand(app, cmd)),
    toolEntry(TOOL_CATALOG.schema, "Tools:", async (app, cmd) => (await import("../commands/schema")).schemaCommand(app, cmd)),
    toolEntry(TOOL_CATALOG.sim, "Tools:", async (app, cmd) => (await import("./sim-command")).simCommand(app, undefined, cmd)),
    toolEntry(TOOL_CATALOG.demo, "Tools:", async (app, cmd) => (await import("./demo-command")).demoCommand(app, cmd)),
    toolEntry(TOOL_CATALOG.mcp, "Tools:", async (app, cmd) => (await import("./mcp-command")).mcpCommand(app, cmd)),
  ];
  return [...ops.slice(0, lastRead + 1), watch, ...ops.slice(lastRead + 1), ...tools];
}

/** The `pvekit` program and how to finish building the commands it lists. */
export interface CliProgram {
  program: Command;
  /**
   * Builds command `name` in full (loads its module, adds its options and action); a no-op for a
   * command already built or a name that is not a command.
   */
  complete(name: string): Promise<void>;
  /** Builds every command in full (what tests and SKILL.md checks inspect). */
  completeAll(): Promise<void>;
}

/**
 * The `pvekit` command tree: one command per operation plus watch, init, usage, schema, sim, demo
 * and mcp. Each command starts as its name, description and place in the list; it is built in full
 * (its module loaded) just before commander runs it or shows its help, so a command loads only what
 * it needs. The list in `pvekit --help` is the same either way.
 */
export function buildProgram(app: CliApp): CliProgram {
  const entries = new Map(commandEntries().map((e) => [e.name, e]));
  const built = new Set<Command>();
  const program = new Command("pvekit")
    .description(
      "Safe Proxmox VE operations for people and AI agents. Read-only by default; --mode operator for reversible actions, --mode admin for destructive ones (with a confirm token).",
    )
    .version(VERSION)
    .showHelpAfterError("(add --help for usage)")
    .configureOutput(output(app))
    .exitOverride();
  addCommonOptions(program);
  // commands not built yet have no arguments or options: the list shows their terms as the built ones would
  const defaultTerm = Help.prototype.subcommandTerm;
  program.configureHelp({
    subcommandTerm(cmd) {
      return built.has(cmd) ? defaultTerm.call(this, cmd) : (entries.get(cmd.name())?.term ?? defaultTerm.call(this, cmd));
    },
  });
  // Commands inherit output routing and error handling.
  const inherit = (cmd: Command): void => {
    cmd
      .configureOutput(output(app))
      .exitOverride()
      .showHelpAfterError("(add --help for usage)");
    for (const sub of cmd.commands) inherit(sub);
  };
  for (const e of entries.values()) {
    const cmd = new Command(e.name).description(e.description);
    cmd.helpGroup(e.group);
    inherit(cmd);
    program.addCommand(cmd);
  }
  program.addHelpText("after", `\n${SAFETY_HELP}`);
  const complete = async (name: string): Promise<void> => {
    const cmd = program.commands.find((c) => c.name() === name);
    const entry = entries.get(name);
    if (!cmd || !entry || built.has(cmd)) return;
    built.add(cmd);
    await entry.build(app, cmd);
    inherit(cmd);
  };
  program.hook("preSubcommand", (_program, sub) => complete(sub.name()));
  return { program, complete, completeAll: async () => void (await Promise.all([...entries.keys()].map(complete))) };
}
