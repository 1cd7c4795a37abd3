import { operationInfo } from "../operations/catalog";
import type { Operation } from "../operations/operation";

/** True when `op` takes a set of guests (`select`), not only one VMID (the catalog's `sets`). */
export function takesSets(op: Pick<Operation, "name" | "kind">): boolean {
  return op.kind === "mutation" && operationInfo(op.name)?.sets === true;
}

/** True when `input` asks for a set (has `select`). */
export function isSetInput(input: Record<string, unknown>): boolean {
  return input.select !== undefined && input.select !== null;
}
