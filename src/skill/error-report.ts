import { PolicyRefusedError } from "./errors";
import { exitCodeFor } from "./exit-codes";

/** A secret-free, machine-readable description of an error (`--json`, MCP tool errors). */
export interface ErrorReport {
  status: "error" | "refused";
  exitCode: number;
  error: {
    name: string;
    code?: string;
    message: string;
    status?: number;
    param?: string;
    errors?: Record<string, string>;
    upid?: string;
    exitstatus?: string;
    logTail?: string[];
  };
}

/** Describes `err` for machines; messages of pvekit errors never hold secrets. */
export function errorReport(err: unknown): ErrorReport {
  const e = (err instanceof Error ? err : new Error(String(err))) as Error & Record<string, unknown>;
  const report: ErrorReport["error"] = { name: e.name, message: e.message };
  if (typeof e.code === "string") report.code = e.code;
  if (typeof e.status === "number") report.status = e.status;
  if (typeof e.param === "string" && e.param) report.param = e.param;
  if (e.errors && typeof e.errors === "object" && !Array.isArray(e.errors)) report.errors = e.errors as Record<string, string>;
  if (typeof e.upid === "string") report.upid = e.upid;
  if (typeof e.exitstatus === "string") report.exitstatus = e.exitstatus;
  if (Array.isArray(e.logTail)) report.logTail = e.logTail.map(String);
  return { status: err instanceof PolicyRefusedError ? "refused" : "error", exitCode: exitCodeFor(err), error: report };
}
