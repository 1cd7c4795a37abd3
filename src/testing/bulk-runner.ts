import type { AuthInfo } from "./access-control";
import { PveHttpError } from "./pve-http-error";
import type { SimWorld } from "./sim-context";
import type { TaskLog, TaskRecord } from "./task-table";

/** One guest's part in a bulk run; `log` is the bulk worker's log. */
export interface BulkStep {
  vmid: number;
  /**
   * Starts the guest's task through the API (`world.call`) and returns its UPID; `null` when nothing
   * was to be done (the step logged why); throws when the call failed.
   */
  start(startAt: number, log: TaskLog): string | null;
  /** after the guest's task ended: `failed` when it did not end OK */
  ended?(record: TaskRecord, failed: boolean, log: TaskLog): void;
  /** when `start` threw */
  refused?(error: string, log: TaskLog): void;
}

export interface BulkSpec {
  node: string;
  /** worker type: bulk-start, startall, stopall … */
  type: string;
  auth: AuthInfo;
  /** guests in groups run one group after the other (PVE's startup order); within a group `maxWorkers` at a time */
  groups: BulkStep[][];
  maxWorkers: number;
  startLog: string[];
  /** the worker's error when some guests failed (`Some guests failed to start: 100, 101`); undefined: it still ends OK */
  failure?(failed: number[]): string | undefined;
}

/**
 * A worker that starts one task per guest and waits for them, at most `maxWorkers` at a time, like
 * PVE::API2::Cluster::BulkAction::Guest handle_task_foreach_guest and Nodes.pm startall/stopall
 * (pve-manager). A guest's task that ends lets the next one start at that moment of virtual time, so
 * a manual clock advanced once runs the whole chain as the real cluster would have. The worker's own
 * log gets PVE's lines; warnings (skipped guests) end it with `TASK WARNINGS: n`.
 */
export function runBulk(world: SimWorld, spec: BulkSpec): string {
  const queue = spec.groups.map((g) => [...g]);
  const active = new Map<string, BulkStep>();
  const finished: { record: TaskRecord; step: BulkStep }[] = [];
  const failed: number[] = [];
  let pumping = false;
  let done = false;
  let upid = "";
  const log: TaskLog = { info: (line) => world.tasks.append(upid, line), warn: (line) => world.tasks.append(upid, line, true) };

  const unlisten = world.tasks.listen({
    ended: (record) => {
      const step = active.get(record.upid);
      if (!step) return;
      active.delete(record.upid);
      finished.push({ record, step });
      pump(record.endsAt);
    },
  });

  function pump(at: number): void {
    if (pumping || done) return;
    pumping = true;
    try {
      for (;;) {
        while (finished.length) {
          const { record, step } = finished.shift() as { record: TaskRecord; step: BulkStep };
          const bad = record.exitstatus !== "OK" && !record.exitstatus?.startsWith("WARNINGS");
          if (bad) failed.push(step.vmid);
          step.ended?.(record, bad, log);
          at = Math.max(at, record.endsAt);
        }
        const group = queue[0];
        if (group && group.length && active.size < spec.maxWorkers) {
          const step = group.shift() as BulkStep;
          try {
            const child = step.start(at, log);
            if (child) {
              active.set(child, step);
              const rec = world.tasks.get(child);
              // a task that ended at once (instant clock, failed check) was not seen by the listener yet
              if (rec && rec.status === "stopped" && active.has(child)) {
                active.delete(child);
                finished.push({ record: rec, step });
              }
            }
          } catch (err) {
            failed.push(step.vmid);
            step.refused?.(err instanceof PveHttpError || err instanceof Error ? err.message : String(err), log);
          }
          continue;
        }
        if (group && group.length === 0 && active.size === 0 && finished.length === 0) {
          queue.shift();
          continue;
        }
        if (!group && active.size === 0 && finished.length === 0) {
          done = true;
          unlisten();
          world.tasks.finish(upid, undefined, at);
        }
        return;
      }
    } finally {
      pumping = false;
    }
  }

  upid = world.tasks.start({
    node: spec.node,
    type: spec.type,
    id: "",
    user: spec.auth.authid,
    durationMs: 0,
    open: true,
    startLog: spec.startLog,
    run: () => {
      const error = spec.failure?.(failed);
      if (error) throw new Error(error);
    },
  });
  pump(world.clock.now());
  return upid;
}
