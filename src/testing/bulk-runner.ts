import type { AuthInfo } from "./access-control";
import { PveHttpError } from "./pve-http-error";
import type { SimWorld } from "./sim-context";
import type { TaskLog, TaskRecord } from "./task-table";
import type { VirtualTimer } from "./virtual-timers";

/** One guest's part in a bulk run; `log` is the bulk worker's log. */
export interface BulkStep {
  vmid: number;
  /**
   * Starts the guest's task through the API (`world.call`): its UPID, and how long the worker then waits
   * before it goes on (startall's startup delay); `null` when nothing was to be done (the step logged
   * why); throws when the call failed.
   */
  start(startAt: number, log: TaskLog): { upid: string; waitMs?: number } | null;
  /**
   * The guest task's exit status as the worker learns it (default: the record's). Cluster bulk actions
   * ask the API for it; `undefined` when they could not.
   */
  outcome?(record: TaskRecord): string | undefined;
  /**
   * After the guest's task ended: `failed` when it did not end OK (or its status could not be read).
   * Returns how long the worker waits before it goes on (the bulk start's startup delay), if at all.
   */
  ended?(exitstatus: string | undefined, failed: boolean, log: TaskLog): number | void;
  /** when `start` threw */
  refused?(error: unknown, log: TaskLog): void;
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

/** A failed call as the bulk worker logs it: PVE::APIClient::Exception prefixes its HTTP status. */
export function callError(err: unknown): string {
  if (err instanceof PveHttpError) return err.message.startsWith(`${err.status}`) ? err.message : `${err.status} ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

const isError = (exitstatus: string | undefined): boolean => exitstatus === undefined || (exitstatus !== "OK" && !exitstatus.startsWith("WARNINGS"));

/**
 * A worker that starts one task per guest and waits for them, at most `maxWorkers` at a time, like
 * PVE::API2::Cluster::BulkAction::Guest handle_task_foreach_guest and Nodes.pm startall/stopall
 * (pve-manager). A guest's task that ends lets the next one start at that moment of virtual time, and
 * the worker's own waits (startup delays) run on the virtual clock too, so a manual clock advanced once
 * runs the whole chain as the real cluster would have. The worker's own log gets PVE's lines; warnings
 * (skipped guests) end it with `TASK WARNINGS: n`.
 */
export function runBulk(world: SimWorld, spec: BulkSpec): string {
  const queue = spec.groups.map((g) => [...g]);
  const active = new Map<string, BulkStep>();
  const finished: { record: TaskRecord; step: BulkStep }[] = [];
  const failed: number[] = [];
  let pumping = false;
  let done = false;
  let upid = "";
  /** the worker sleeps until then (startup delays) */
  let busyUntil = -Infinity;
  let wake: VirtualTimer | undefined;
  const log: TaskLog = { info: (line) => world.tasks.append(upid, line), warn: (line) => world.tasks.append(upid, line, true) };
  /** on the instant clock the worker's own waits take no time either */
  const wait = (ms: number | void): number => (world.clock.instant ? 0 : (ms ?? 0));

  const unlisten = world.tasks.listen({
    ended: (record) => {
      const step = active.get(record.upid);
      if (!step) return;
      active.delete(record.upid);
      finished.push({ record, step });
      pump(record.endsAt);
    },
  });

  /** Sleeps until `busyUntil`, then goes on from there. */
  function sleep(): void {
    if (wake && !wake.cancelled && wake.at === busyUntil) return;
    if (wake) world.tasks.cancel(wake);
    wake = world.tasks.at(busyUntil, (t) => pump(t));
  }

  /** The worker notices ended guest tasks (polling them, as PVE's workers do) and logs their outcome. */
  function collect(at: number): number {
    while (finished.length) {
      const { record, step } = finished.shift() as { record: TaskRecord; step: BulkStep };
      const exitstatus = step.outcome ? step.outcome(record) : record.exitstatus;
      const bad = isError(exitstatus);
      if (bad) failed.push(step.vmid);
      at = Math.max(at, record.endsAt);
      const waitMs = wait(step.ended?.(exitstatus, bad, log));
      if (waitMs) busyUntil = Math.max(busyUntil, at + waitMs);
    }
    return at;
  }

  // PVE's loop (handle_task_foreach_guest, startall): start the group's guests while fewer than max-workers
  // tasks are held; a held task that ended is only noticed when a slot is needed or the group is done
  function pump(at: number): void {
    if (pumping || done) return;
    pumping = true;
    try {
      for (;;) {
        if (at < busyUntil) return sleep();
        const group = queue[0];
        if (group && group.length) {
          if (active.size + finished.length >= spec.maxWorkers) {
            if (!finished.length) return; // every slot is busy: wait for a task to end
            at = collect(at);
            continue;
          }
          const step = group.shift() as BulkStep;
          try {
            const child = step.start(at, log);
            if (child) {
              if (wait(child.waitMs)) busyUntil = Math.max(busyUntil, at + wait(child.waitMs));
              active.set(child.upid, step);
              const rec = world.tasks.get(child.upid);
              // a task that ended at once (instant clock, failed check) was not seen by the listener yet
              if (rec && rec.status === "stopped" && active.has(child.upid)) {
                active.delete(child.upid);
                finished.push({ record: rec, step });
              }
            }
          } catch (err) {
            failed.push(step.vmid);
            step.refused?.(err, log);
          }
          continue;
        }
        if (finished.length) {
          at = collect(at);
          continue;
        }
        if (active.size) return; // the group's last tasks are still running
        if (group) {
          queue.shift();
          continue;
        }
        done = true;
        unlisten();
        world.tasks.finish(upid, undefined, at);
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
