/** HTTP verbs of the PVE API. */
export type SkillVerb = "GET" | "POST" | "PUT" | "DELETE";

/** Options for waiting on a task. */
export interface SkillWaitOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with each new task log line (progress). */
  onLog?: (line: string) => void;
}

/**
 * The part of `PveClient` the skill uses: the flat `request` form and the task helpers.
 * Kept structural so operations can be exercised with any client of that shape.
 */
export interface SkillClient {
  request(verb: SkillVerb, path: string, params?: Record<string, unknown>): Promise<unknown>;
  tasks: {
    wait(upid: string, options?: SkillWaitOptions): Promise<unknown>;
    status(upid: string): Promise<unknown>;
    log(upid: string, options?: { start?: number; limit?: number }): Promise<unknown>;
  };
}
