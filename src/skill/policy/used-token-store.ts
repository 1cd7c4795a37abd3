import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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
 * File-backed store shared by the CLI invocations of one user (the command that issues a token and the
 * one that redeems it are different processes): one marker file per redeemed token in a directory,
 * created with an exclusive create (O_CREAT|O_EXCL), so of any number of processes redeeming the same
 * token at the same moment exactly one succeeds. Markers of expired tokens are removed (an expired
 * token is refused before it gets here).
 */
export class FileUsedTokenStore implements UsedTokenStore {
  /** `dir`: the marker directory, created 0700. */
  constructor(readonly dir: string) {}

  markUsed(id: string, expiresAt: number, now: number): boolean {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`not a token id: ${id}`);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(join(this.dir, `${id}.${expiresAt.toString(36)}`), "", { flag: "wx", mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw err;
    }
    this.#forgetExpired(now);
    return true;
  }

  #forgetExpired(now: number): void {
    for (const name of readdirSync(this.dir)) {
      const exp = parseInt(name.slice(name.lastIndexOf(".") + 1), 36);
      if (Number.isFinite(exp) && exp <= now) rmSync(join(this.dir, name), { force: true });
    }
  }
}
