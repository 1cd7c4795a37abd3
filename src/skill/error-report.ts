import { PolicyRefusedError } from "./errors";
import { exitCodeFor } from "./exit-codes";
import { permissionHint, type Grantee } from "./permission-hint";

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
    /** what to do about it (a 403: the missing privilege, a role that has it and the pveum command) */
    hint?: string;
  };
}

/** Describes `err` for machines; messages of pvekit errors never hold secrets. `who` makes 403 hints exact. */
export function errorReport(err: unknown, who: Grantee = {}): ErrorReport {
  const e = (err instanceof Error ? err : new Error(String(err))) as Error & Record<string, unknown>;
  const report: ErrorReport["error"] = { name: e.name, message: e.message };
  if (typeof e.code === "string") report.code = e.code;
  if (typeof e.status === "number") report.status = e.status;
  if (typeof e.param === "string" && e.param) report.param = e.param;
  if (e.errors && typeof e.errors === "object" && !Array.isArray(e.errors)) report.errors = e.errors as Record<string, string>;
  if (typeof e.upid === "string") report.upid = e.upid;
  if (typeof e.exitstatus === "string") report.exitstatus = e.exitstatus;
  if (Array.isArray(e.logTail)) report.logTail = e.logTail.map(String);
  if (e.code === "PVE_ERR_PERMISSION") {
    const hint = permissionHint(e.message, who);
    if (hint) report.hint = hint;
  }
  return { status: err instanceof PolicyRefusedError ? "refused" : "error", exitCode: exitCodeFor(err), error: report };
}
