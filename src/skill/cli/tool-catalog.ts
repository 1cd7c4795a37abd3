/**
 * The CLI's commands besides the operations, as the command list shows them: name, description and
 * the usage term (`usage [options] <path>`). The command modules take their description from here;
 * program.ts loads a module only when its command runs or shows its own help.
 */
export interface ToolInfo {
  readonly name: string;
  readonly description: string;
  /** How `pvekit --help` lists it: name, `[options]` when it has any, and its arguments. */
  readonly term: string;
}

export const TOOL_CATALOG = {
  watch: {
    name: "watch",
    term: "watch [options]",
    description:
      "Follow the cluster until interrupted: tasks started and finished (with exit status), guest state changes, guests added/removed/moved, nodes offline/online. One /cluster/tasks and one /cluster/resources read per interval.",
  },
  init: {
    name: "init",
    term: "init [options]",
    description: "Write a commented example config file (mode 600) to fill in; never overwrites an existing one",
  },
  usage: {
    name: "usage",
    term: "usage [options] <path>",
    description: "Show the methods and parameters of an API endpoint from the schema (like pvesh usage); works offline",
  },
  schema: { name: "schema", term: "schema", description: "Fetch a live host's API schema (pull) or compare two schemas (diff)" },
  sim: {
    name: "sim",
    term: "sim [options]",
    description:
      "Serve a simulated Proxmox VE cluster over HTTPS on 127.0.0.1 until interrupted; prints URL, certificate fingerprint and credentials",
  },
  demo: { name: "demo", term: "demo", description: "Run the main job end to end against an embedded simulator (no Proxmox host needed)" },
  mcp: {
    name: "mcp",
    term: "mcp [options]",
    description:
      "Run an MCP server over stdio: the operations the mode allows, in six tools (readOnlyHint/destructiveHint), with the same confirm-token flow and audit log",
  },
} as const satisfies Record<string, ToolInfo>;
