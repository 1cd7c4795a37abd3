import { VERSION } from "../version";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import * as z from "zod";
import { errorReport } from "./error-report";
import { publicInputShape } from "./fleet/set-input";
import { takesSets } from "./fleet/set-target";
import { outcomeJson } from "./format/render-outcome";
import { operations } from "./operations";
import type { Operation } from "./operations/operation";
import { modeAllows } from "./policy/mode";
import type { PveSkill } from "./pve-skill";

/** The MCP tool name of an operation: `pve_start`, `pve_create_vm`. */
export function toolName(op: Operation): string {
  return `pve_${op.name.replace(/-/g, "_")}`;
}

const CONFIRM_HELP =
  " When it needs confirmation (destructive, or a set that takes several running guests down): the first call returns {status:'confirmation-required', plan, confirmToken}; show the plan to the user and, only after they agree, call again with the same arguments plus confirmToken.";

const SET_HELP =
  " Several guests: pass select {vmids:[100,\"105-110\"], all, node, pool, tag, type, status, exclude} instead of vmid; the answer has one result per guest (outcome ok|noop|failed|skipped). dryRun:true returns the plan only. A set that stops, resets, migrates or shuts down several guests returns one plan and one confirmToken for the whole set.";

/**
 * An MCP server exposing the operations the skill's mode allows, as tools with JSON-schema inputs
 * and readOnlyHint/destructiveHint. Calls go through `skill.run`, so the same policy, confirm-token
 * flow and audit log apply as for the CLI.
 */
export function createMcpServer(skill: PveSkill, info: { name?: string; version?: string } = {}): McpServer {
  const server = new McpServer(
    { name: info.name ?? "pvekit", version: info.version ?? VERSION },
    {
      instructions: `Proxmox VE operations under pvekit's safety policy (mode: ${skill.settings.mode}). Read before acting; after a change, report the returned changes.`,
    },
  );
  const mode = skill.settings.mode;
  for (const op of operations.filter((o) => modeAllows(mode, o.tier))) {
    const mutating = op.kind === "mutation";
    const canDestroy = op.tier === "destructive" || (op.name === "api" && mode === "admin") || (op.name === "restore" && mode === "admin");
    // A plan's parameters may raise any change to destructive (admin), or make it amount to an operation
    // PVEKIT_CONFIRM_OPERATIONS names (a backup in stop mode is a shutdown): then every change takes a token;
    // so does a set of guests that is destructive or takes several running guests down
    const confirmed = skill.settings.confirmOperations;
    const needsToken = mutating && mode !== "read-only" && (canDestroy || takesSets(op) || mode === "admin" || confirmed.length > 0);
    // operations that take sets accept `select` (the same selector as the CLI's targets and flags)
    const shape: Record<string, z.ZodType> = publicInputShape(op);
    if (mutating) {
      shape.wait = z.boolean().optional().describe("Wait for the task to finish (default true)");
      if (needsToken)
        shape.confirmToken = z
          .string()
          .optional()
          .describe("The confirmToken from an earlier confirmation-required answer, after the user agreed");
    }
    server.registerTool(
      toolName(op),
      {
        title: op.title,
        description: `${op.description} [tier: ${op.tier}]${takesSets(op) ? SET_HELP : ""}${needsToken ? CONFIRM_HELP : ""}`,
        inputSchema: shape,
        annotations: {
          title: op.title,
          readOnlyHint: op.tier === "read" && (op.name !== "api" || mode === "read-only"),
          destructiveHint: canDestroy,
          idempotentHint: op.tier === "read",
          openWorldHint: false,
        },
      },
      async (args: Record<string, unknown>) => {
        const { confirmToken, wait, ...input } = args;
        try {
          const outcome = await skill.run(op.name, input, {
            confirm: typeof confirmToken === "string" ? confirmToken : undefined,
            wait: typeof wait === "boolean" ? wait : true,
          });
          const json = outcomeJson(outcome);
          return {
            content: [{ type: "text" as const, text: JSON.stringify(json, null, 2) }],
            structuredContent: { result: json as unknown },
          };
        } catch (err) {
          return { isError: true, content: [{ type: "text" as const, text: JSON.stringify(errorReport(err, skill.connection), null, 2) }] };
        }
      },
    );
  }
  return server;
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
