import { operationInfo } from "../operations/catalog";
import type { Operation } from "../operations/operation";

/** True when `op` takes a set of guests (`select`), not only one VMID (the catalog's `sets`). */
export function takesSets(op: Pick<Operation, "name" | "kind">): boolean {
  return op.kind === "mutation" && operationInfo(op.name)?.sets === true;
}

/** The options of a set run (how many at once, plan only, PVE's bulk endpoints). */
export const SET_RUN_KEYS = ["parallel", "perNode", "dryRun", "bulk"] as const;

/** True when `input` asks for a set: it has `select`, or options only a set run takes (one VMID with dryRun is a set of one). */
export function isSetInput(input: Record<string, unknown>): boolean {
  return (input.select !== undefined && input.select !== null) || SET_RUN_KEYS.some((k) => input[k] !== undefined);
}
