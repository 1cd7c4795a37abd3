import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Remembers which confirm tokens were redeemed, so each works once. */
export interface UsedTokenStore {
  /** Marks `id` used; returns false when it already was. `expiresAt` lets the store forget it later. */
  markUsed(id: string, expiresAt: number, now: number): boolean;
}

/** In-memory store, for one process (the MCP server, tests). */
export class MemoryUsedTokenStore implements UsedTokenStore {
  readonly #used = new Map<string, number>();
  markUsed(id: string, expiresAt: number, now: number): boolean {
    for (const [k, exp] of this.#used) if (exp <= now) this.#used.delete(k);
    if (this.#used.has(id)) return false;
    this.#used.set(id, expiresAt);
    return true;
  }
}

/**
 * File-backed store (JSON lines `{"id","exp"}`), shared by the CLI invocations of one user:
 * the command that issues a token and the one that redeems it are different processes.
 */
export class FileUsedTokenStore implements UsedTokenStore {
  constructor(readonly file: string) {}

  markUsed(id: string, expiresAt: number, now: number): boolean {
    const live = this.#read().filter((e) => e.exp > now);
    if (live.some((e) => e.id === id)) return false;
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const line = JSON.stringify({ id, exp: expiresAt }) + "\n";
    // Rewrite now and then so the file holds only tokens that could still be replayed.
    if (live.length < 64) appendFileSync(this.file, line, { mode: 0o600 });
    else writeFileSync(this.file, live.map((e) => JSON.stringify(e) + "\n").join("") + line, { mode: 0o600 });
    return true;
  }

  #read(): { id: string; exp: number }[] {
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch {
      return [];
    }
    const out: { id: string; exp: number }[] = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as { id?: unknown; exp?: unknown };
        if (typeof e.id === "string" && typeof e.exp === "number") out.push({ id: e.id, exp: e.exp });
      } catch {
        // A torn line from a concurrent writer: ignore it.
      }
    }
    return out;
  }
}
