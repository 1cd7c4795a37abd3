import * as z from "zod";
import { publicInputShape } from "./fleet/set-input";
import { takesSets } from "./fleet/set-target";
import type { Operation } from "./operations/operation";
import { modeAllows, type Mode } from "./policy/mode";
import { protoKeyPath } from "./proto-key";

/**
 * The MCP tool set, as data: six tools instead of one per operation. A tool that covers several
 * operations takes the operation's name as `action` (changes) or `view` (reads); every operation is
 * reachable through exactly one tool (test/skill/mcp-tools.test.ts). Descriptions say when to use
 * the tool; how answers look is said once, in the server's instructions (MCP_INSTRUCTIONS).
 */
export interface McpToolSpec {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** The argument that names the operation, for a tool that covers several. */
  readonly pick?: "action" | "view";
  /** The operations, in the order the tool lists them. */
  readonly ops: readonly string[];
}

export const MCP_TOOLS: readonly McpToolSpec[] = [
  {
    name: "pve_guests",
    title: "List guests",
    description: "List VMs and containers cluster-wide, filtered by node, type, tag, pool, status or template. Start here to find a guest's VMID.",
    ops: ["guests"],
  },
  {
    name: "pve_guest",
    title: "One guest",
    description:
      "One VM or container by VMID (node and type are found for you). view: guest = state, CPU, memory, uptime, lock; config = its configuration (secrets redacted); ips = addresses (guest agent or container interfaces); snapshots; console = web console URL.",
    pick: "view",
    ops: ["guest", "config", "ips", "snapshots", "console"],
  },
  {
    name: "pve_cluster",
    title: "Cluster, nodes, storage, tasks",
    description:
      "Everything that is not one guest. view: status = quorum and nodes online; nodes; node = one node; storage = usage per node; content = volumes on a storage; backups; pools; nextid = next free VMID; tasks = recent tasks; task = one task by UPID (wait, log); logs = a node's journal; cluster-log; doctor = check connection, TLS, auth and privileges (use first when calls fail).",
    pick: "view",
    ops: ["status", "nodes", "node", "storage", "content", "backups", "pools", "nextid", "tasks", "task", "logs", "cluster-log", "doctor"],
  },
  {
    name: "pve_act",
    title: "Act on guests",
    description:
      "Act on one guest (vmid) or several (select): start, shutdown, reboot, suspend, resume; stop and reset are hard (destructive, prefer shutdown/reboot); snapshot (no name: from the naming convention); backup (vzdump); tag (add/remove); pool (move in, or out with remove); migrate to another node (destructive).",
    pick: "action",
    ops: ["start", "shutdown", "reboot", "suspend", "resume", "stop", "reset", "snapshot", "backup", "tag", "pool", "migrate"],
  },
  {
    name: "pve_manage",
    title: "Create, change, remove guests",
    description:
      "One guest: create-vm, create-ct (PVE options in params; vmid auto = next free), clone (also from a template), restore (a backup archive; over an existing guest: destructive), set (config options), resize (grow a disk), rollback / delsnapshot (a snapshot), template (convert, irreversible), delete.",
    pick: "action",
    ops: ["create-vm", "create-ct", "clone", "restore", "set", "resize", "rollback", "delsnapshot", "template", "delete"],
  },
  {
    name: "pve_api",
    title: "Any API endpoint",
    description:
      "Any PVE API call (pvesh-like) when no other tool fits. GET is read-only; the tier of a change comes from the endpoint and its parameters; unknown endpoints are destructive. Allow-lists check every guest, node, storage and pool it names.",
    ops: ["api"],
  },
];

/** Said once at the start of a session: how to call the tools and what their answers look like. */
export function mcpInstructions(mode: Mode): string {
  return [
    `Proxmox VE under pvekit's safety policy (mode: ${mode}). Read before acting; after a change, report its changes.`,
    "Answers are JSON (as text, and as structuredContent.result): a read returns its data (rows or an object);",
    "a change returns {status: done|started|no-change, operation, target, summary, changes[], upid?, warnings?, notes?};",
    "a set (select) returns {status, operation, target, counts, results[{vmid, node, outcome: ok|noop|failed|skipped|started, …}]}; dryRun returns {status: planned, plan};",
    "a change that needs confirmation returns {status: confirmation-required, plan, confirmToken, expiresAt}: show the plan to the user and only after they agree call again with the same arguments plus confirmToken;",
    "a refusal or failure is an error result {status: error|refused, exitCode, error: {name, code?, message, hint?}}.",
    "Unknown arguments are refused, not ignored.",
  ].join(" ");
}

/** The operation a tool call names, and its input without the tool's own arguments. */
export interface ToolCall {
  op: Operation;
  input: Record<string, unknown>;
  wait?: boolean;
  confirmToken?: string;
}

/** One tool as the server lists it for a mode, and how it reads a call. */
export interface McpTool {
  spec: McpToolSpec;
  /** The operations of the tool this mode allows. */
  ops: Operation[];
  definition: {
    name: string;
    title: string;
    description: string;
    inputSchema: Record<string, unknown> & { type: "object" };
    annotations: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint: boolean };
  };
  /** Which operation a call names and its input; a usage error for an unknown operation or argument. */
  read(args: Record<string, unknown>): ToolCall;
}

/** What the skill needs to say for each mode: whether an operation may destroy, whether it may answer with a confirm token. */
export interface ToolPolicy {
  mode: Mode;
  confirmOperations: readonly string[];
}

/**
 * The tools `mode` allows (a tool is left out when none of its operations is allowed; a tool with
 * several lists only the allowed ones). `operations` are the loaded definitions.
 */
export function mcpTools(operations: readonly Operation[], policy: ToolPolicy, usage: (message: string) => Error): McpTool[] {
  const byName = new Map(operations.map((op) => [op.name, op]));
  const tools: McpTool[] = [];
  for (const spec of MCP_TOOLS) {
    const ops = spec.ops.map((n) => byName.get(n)!).filter((op) => op && modeAllows(policy.mode, op.tier));
    if (ops.length === 0) continue;
    tools.push(buildTool(spec, ops, policy, usage));
  }
  return tools;
}

/** Whether `op` can destroy something in this mode (restore over a guest, api with an admin token). */
function canDestroy(op: Operation, mode: Mode): boolean {
  return op.tier === "destructive" || ((op.name === "api" || op.name === "restore") && mode === "admin");
}

/**
 * Whether `op` may answer with a plan and a confirm token instead of acting: a plan's parameters may
 * raise any change to destructive (admin), or make it amount to an operation PVEKIT_CONFIRM_OPERATIONS
 * names (a backup in stop mode is a shutdown); a set that takes several running guests down asks too.
 */
function mayAskConfirmation(op: Operation, policy: ToolPolicy): boolean {
  if (op.kind !== "mutation" || policy.mode === "read-only") return false;
  return canDestroy(op, policy.mode) || takesSets(op) || policy.mode === "admin" || policy.confirmOperations.length > 0;
}

const WAIT = { type: "boolean", description: "Wait for the task (default true)" };

/**
 * Shorter texts for the arguments many tools share (the operations' own texts are written for
 * `--help`). The set-run arguments say they go with select instead of naming every action.
 */
const SHARED: Record<string, (sets: boolean) => Json> = {
  select: () => ({
    type: "object",
    properties: {
      vmids: { type: "array" },
      all: { type: "boolean" },
      node: { type: "array" },
      pool: { type: "array" },
      tag: { type: "array" },
      type: { enum: ["qemu", "lxc"] },
      status: { type: "array" },
      exclude: { type: "array" },
    },
    additionalProperties: false,
    description:
      'Several guests instead of vmid: vmids [100, "105-110"], all, filters node, pool, tag (lists), type, status (running|stopped), minus exclude. Fields narrow each other; values in one are alternatives; templates only by VMID. With select: parallel (default 8), perNode (4), dryRun (plan only), bulk (PVE\'s startall/stopall/migrateall per node).',
  }),
  parallel: () => ({ type: "integer" }),
  perNode: () => ({ type: "integer" }),
  dryRun: () => ({ type: "boolean" }),
  bulk: () => ({ type: "boolean" }),
};
const CONFIRM = { type: "string", description: "From a confirmation-required answer, once the user agreed" };

function buildTool(spec: McpToolSpec, ops: Operation[], policy: ToolPolicy, usage: (message: string) => Error): McpTool {
  const mutations = ops.some((op) => op.kind === "mutation");
  const confirms = ops.some((op) => mayAskConfirmation(op, policy));
  const fields = mergedFields(ops, spec.pick !== undefined);
  const properties: Record<string, unknown> = {};
  if (spec.pick) properties[spec.pick] = { type: "string", enum: ops.map((op) => op.name) };
  Object.assign(properties, fields.properties);
  if (mutations) properties.wait = WAIT;
  if (confirms) properties.confirmToken = CONFIRM;
  const required = spec.pick ? [spec.pick] : fields.required;
  const readOnly = ops.every((op) => op.tier === "read" && (op.name !== "api" || policy.mode === "read-only"));
  const definition: McpTool["definition"] = {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: { type: "object", properties, ...(required.length ? { required } : {}), additionalProperties: false },
    // MCP's defaults: not read-only, destructive, not idempotent, open world; said here where they do not hold
    annotations: readOnly
      ? { readOnlyHint: true, idempotentHint: true, openWorldHint: false }
      : { destructiveHint: ops.some((op) => canDestroy(op, policy.mode)), openWorldHint: false },
  };
  const read = (args: Record<string, unknown>): ToolCall => {
    const hidden = protoKeyPath(args);
    if (hidden !== undefined) throw usage(`${spec.name} does not take ${hidden}: a key named __proto__ is never an argument.`);
    // own keys only, and every one of them: a tool without a pick has no argument to leave out
    const picked = spec.pick !== undefined && Object.hasOwn(args, spec.pick) ? args[spec.pick] : undefined;
    const rest = Object.fromEntries(Object.entries(args).filter(([k]) => spec.pick === undefined || k !== spec.pick));
    const op = spec.pick ? ops.find((o) => o.name === picked) : ops[0];
    if (!op)
      throw usage(`${spec.name} needs ${spec.pick}: one of ${ops.map((o) => o.name).join(", ")}${picked === undefined ? "" : ` (got ${JSON.stringify(picked)})`}.`);
    // wait and confirmToken belong to the tool for a change; a read's own `wait` (task) is its input
    const { wait, confirmToken, ...changeInput } = rest;
    const input = op.kind === "mutation" ? changeInput : rest;
    const known = new Set(Object.keys(publicInputShape(op)));
    const unknown = Object.keys(input).filter((k) => !known.has(k));
    if (op.kind === "mutation" && confirmToken !== undefined && !mayAskConfirmation(op, policy)) unknown.push("confirmToken");
    if (unknown.length) {
      const takes = [...known, ...(op.kind === "mutation" ? ["wait"] : []), ...(mayAskConfirmation(op, policy) ? ["confirmToken"] : [])];
      throw usage(`${spec.name}${spec.pick ? ` ${spec.pick}=${op.name}` : ""} does not take ${unknown.join(", ")}; it takes ${takes.join(", ") || "no arguments"}.`);
    }
    if (op.kind !== "mutation") return { op, input };
    if (wait !== undefined && typeof wait !== "boolean") throw usage(`wait must be true or false, not ${JSON.stringify(wait)}.`);
    if (confirmToken !== undefined && typeof confirmToken !== "string") throw usage("confirmToken must be the token text of an earlier answer.");
    return { op, input, ...(wait !== undefined ? { wait } : {}), ...(confirmToken !== undefined ? { confirmToken } : {}) };
  };
  return { spec, ops, definition, read };
}

/**
 * The arguments of the tool's operations, as JSON Schema: one property per name. Where operations
 * of one tool use a name differently, its description says which does what (`restore: …; clone: …`).
 */
function mergedFields(ops: Operation[], grouped: boolean): { properties: Record<string, unknown>; required: string[] } {
  const uses = new Map<string, { op: string; schema: Json }[]>();
  let required: string[] = [];
  for (const op of ops) {
    const json = z.toJSONSchema(z.object(publicInputShape(op)), { io: "input", unrepresentable: "any" }) as Json;
    const props = (json.properties ?? {}) as Record<string, Json>;
    for (const [key, schema] of Object.entries(props)) uses.set(key, [...(uses.get(key) ?? []), { op: op.name, schema: compact(schema) }]);
    if (!grouped) required = (json.required as string[] | undefined) ?? [];
  }
  const properties: Record<string, unknown> = {};
  for (const [key, list] of uses) {
    const shared = SHARED[key];
    if (shared) {
      properties[key] = shared(true);
      continue;
    }
    // one guest's VMID, the same for every operation: a short text, and where select is the alternative
    if (key === "vmid" && list.every((u) => u.schema.type === "integer") && list.length === ops.length) {
      const sets = ops.some(takesSets);
      properties[key] = { type: "integer", description: sets ? "The guest's VMID (or select for several)" : "The guest's VMID" };
      continue;
    }
    const descriptions = new Map<string, string[]>();
    for (const u of list) {
      const d = typeof u.schema.description === "string" ? u.schema.description : "";
      descriptions.set(d, [...(descriptions.get(d) ?? []), u.op]);
    }
    const types = dedupe(list.map((u) => withoutDescription(u.schema)));
    const merged: Json = types.length === 1 ? { ...types[0] } : { anyOf: dedupe(types.flatMap((t) => (Array.isArray(t.anyOf) ? (t.anyOf as Json[]) : [t]))) };
    const texts = [...descriptions].filter(([d]) => d);
    const description =
      texts.length === 0
        ? undefined
        : texts.length === 1 && (!grouped || texts[0]![1].length === ops.length)
          ? texts[0]![0]
          : texts.map(([d, names]) => `${names.join(", ")}: ${d}`).join("; ");
    properties[key] = description ? { ...merged, description } : merged;
  }
  return { properties, required };
}

type Json = Record<string, unknown>;

/**
 * What an agent needs from a JSON Schema to call well: types, enums, items, nested properties and
 * descriptions. Patterns, bounds and defaults are left out of the listing to keep it short; the
 * server checks them (and everything else) on every call with the operation's own schema.
 */
function compact(schema: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "type" || k === "enum" || k === "const" || k === "description") out[k] = v;
    else if (k === "items" && v && typeof v === "object") out[k] = compact(v as Json);
    else if (k === "anyOf" && Array.isArray(v)) out[k] = (v as Json[]).map(compact);
    else if (k === "properties" && v && typeof v === "object")
      out[k] = Object.fromEntries(Object.entries(v as Record<string, Json>).map(([p, s]) => [p, compact(s)]));
    else if (k === "additionalProperties" && v === false) out[k] = false;
    else if (k === "additionalProperties" && v && typeof v === "object" && Object.keys(v).length) out[k] = compact(v as Json);
  }
  // anyOf of bare types reads shorter as a type list
  const any = out.anyOf as Json[] | undefined;
  if (any && any.every((s) => Object.keys(s).length === 1 && typeof s.type === "string")) {
    delete out.anyOf;
    out.type = dedupe(any.map((s) => s.type as string));
  }
  return out;
}

function withoutDescription(schema: Json): Json {
  const { description: _d, ...rest } = schema;
  return rest;
}

function dedupe<T>(values: T[]): T[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = JSON.stringify(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
