import * as z from "zod";
import type { Operation } from "../operations/operation";
import { guestSelector } from "./selector";
import { takesSets } from "./set-target";

/** Default and largest number of guests worked on at once (PVE's own bulk actions allow max-workers 1…64). */
export const DEFAULT_PARALLEL = 8;
export const MAX_PARALLEL = 64;
/** Default jobs per node at once: PVE's bulk start/shutdown default (max-workers 4). */
export const DEFAULT_PER_NODE = 4;

/** Options of a set run (not part of what a confirm token is bound to). */
export const setRunOptions = {
  parallel: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PARALLEL)
    .optional()
    .describe(`Guests worked on at once, cluster-wide (default ${DEFAULT_PARALLEL})`),
  perNode: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PARALLEL)
    .optional()
    .describe(`Guests worked on at once per node (default ${DEFAULT_PER_NODE})`),
  dryRun: z.boolean().optional().describe("Only show the plan for the set (every guest, its state and action); change nothing"),
  bulk: z
    .boolean()
    .optional()
    .describe("Use PVE's per-node bulk endpoints (startall, stopall, migrateall): one request per node, PVE runs perNode guests at once"),
};

/**
 * The input schema of an operation as the MCP server and `skill.run` accept it: for operations that
 * take sets, `vmid` becomes optional and `select` (a guest selector) plus the set run options are added.
 */
export function publicInputShape(op: Operation): Record<string, z.ZodType> {
  const shape = { ...(op.input.shape as Record<string, z.ZodType>) };
  if (!takesSets(op)) return shape;
  shape.vmid = (shape.vmid as z.ZodType).optional().describe("One guest's VMID (or use select for several)");
  return { ...shape, select: guestSelector().optional(), ...setRunOptions };
}
