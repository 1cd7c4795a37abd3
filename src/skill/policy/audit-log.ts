import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { redactParams } from "./redact";

/**
 * The outcome of one mutation attempt. `intent` is written (and must succeed) before the request is
 * sent; `ok`/`failed` follow it once the answer is in.
 */
export type AuditOutcome = "intent" | "ok" | "failed" | "refused" | "confirmation-required" | "no-change";

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
 * before writing; the file is created with mode 600. Each line is one `write(2)` on a file opened for
 * appending, so a failure (disk full, no permission) throws here, before anything is sent.
 */
export class FileAuditLog implements AuditSink {
  /** The other files every line also goes to (the configured log, when an option named another). */
  readonly copies: readonly string[];

  constructor(
    readonly file: string,
    ...copies: string[]
  ) {
    this.copies = copies;
  }

  /** Writes the line to every file; the first that fails throws (before anything is sent, for an intent line). */
  append(entry: AuditEntry): void {
    const line = JSON.stringify({ ...entry, params: redactParams(entry.params) }) + "\n";
    for (const file of [this.file, ...this.copies]) {
      try {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        const fd = openSync(file, "a", 0o600);
        try {
          writeSync(fd, line);
        } finally {
          closeSync(fd);
        }
      } catch (err) {
        throw Object.assign(err as Error, { file });
      }
    }
  }
}

/** Keeps entries in memory (library users and tests). */
export class MemoryAuditLog implements AuditSink {
  readonly entries: AuditEntry[] = [];
  append(entry: AuditEntry): void {
    this.entries.push({ ...entry, params: redactParams(entry.params) });
  }
}
