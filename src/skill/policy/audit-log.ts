import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { redactParams } from "./redact";

/** The outcome of one mutation attempt. */
export type AuditOutcome = "ok" | "failed" | "refused" | "confirmation-required" | "no-change";

/** One JSON line of the audit log. */
export interface AuditEntry {
  time: string;
  /** The acting identity (token id or user@realm), never a secret. */
  user: string;
  mode: string;
  operation: string;
  target: string;
  params: Record<string, unknown>;
  outcome: AuditOutcome;
  upid?: string;
  exitstatus?: string;
  error?: string;
}

/** Where audit entries go. */
export interface AuditSink {
  append(entry: AuditEntry): void;
}

/**
 * Append-only JSON-lines audit log of every mutation and its outcome. Parameters are redacted
 * before writing; the file is created with mode 600.
 */
export class FileAuditLog implements AuditSink {
  constructor(readonly file: string) {}

  append(entry: AuditEntry): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    appendFileSync(this.file, JSON.stringify({ ...entry, params: redactParams(entry.params) }) + "\n", { mode: 0o600 });
  }
}

/** Keeps entries in memory (library users and tests). */
export class MemoryAuditLog implements AuditSink {
  readonly entries: AuditEntry[] = [];
  append(entry: AuditEntry): void {
    this.entries.push({ ...entry, params: redactParams(entry.params) });
  }
}
