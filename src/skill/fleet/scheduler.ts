/** One unit of work: it loads `nodes` while it runs. */
export interface Job {
  nodes: readonly string[];
  run(): Promise<void>;
}

/** Limits of a run. */
export interface Limits {
  /** Jobs running at once, cluster-wide. */
  parallel: number;
  /** Jobs running at once that load the same node (so one node's pveproxy/pvedaemon is not flooded). */
  perNode: number;
  /** Stops starting new jobs (running ones finish). */
  signal?: AbortSignal;
}

/**
 * Runs `jobs` with at most `parallel` at once and at most `perNode` loading any one node, in the
 * given order except that a job waits while one of its nodes is full and later jobs for other nodes
 * go ahead. Resolves when every started job has finished; returns the jobs never started (aborted).
 */
export async function runBounded(jobs: readonly Job[], limits: Limits): Promise<Job[]> {
  const pending = [...jobs];
  const load = new Map<string, number>();
  let running = 0;
  const fits = (j: Job) => j.nodes.every((n) => (load.get(n) ?? 0) < limits.perNode);
  return new Promise((resolve) => {
    const pump = (): void => {
      while (!limits.signal?.aborted && running < limits.parallel) {
        const i = pending.findIndex(fits);
        if (i < 0) break;
        const [job] = pending.splice(i, 1) as [Job];
        running++;
        for (const n of job.nodes) load.set(n, (load.get(n) ?? 0) + 1);
        job
          .run()
          .catch(() => {}) // jobs report their own failures
          .finally(() => {
            running--;
            for (const n of job.nodes) load.set(n, (load.get(n) ?? 1) - 1);
            pump();
          });
      }
      if (running === 0 && (pending.length === 0 || limits.signal?.aborted)) resolve(pending.splice(0));
    };
    pump();
  });
}
