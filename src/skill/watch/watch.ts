import type { SkillClient } from "../skill-client";
import { diffSnapshots, snapshotOf, vanishedRunning, type ClusterSnapshot, type WatchEvent, type WatchFilter } from "./cluster-diff";

type Row = Record<string, unknown>;

/** Default seconds between polls: well inside pvestatd's 10 s broadcast, a handful of requests a minute. */
export const DEFAULT_WATCH_INTERVAL_MS = 5_000;

export interface WatchOptions {
  client: SkillClient;
  /** Waits between polls; rejects (or returns) when `signal` aborts. Tests inject a virtual clock. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  now(): Date;
  intervalMs?: number;
  filter?: WatchFilter;
  signal?: AbortSignal;
  /** Stop after this many events. */
  maxEvents?: number;
  /** Called once per event, in order; awaited before the next. */
  onEvent(event: WatchEvent): Promise<void> | void;
  /** A poll failed (the watch goes on with the next interval). */
  onError?(err: unknown): void;
}

/** One poll: the two cluster-wide reads, whatever the size of the cluster. */
async function poll(client: SkillClient): Promise<ClusterSnapshot> {
  const [tasks, resources] = await Promise.all([
    client.request("GET", "/cluster/tasks") as Promise<Row[]>,
    client.request("GET", "/cluster/resources") as Promise<Row[]>,
  ]);
  return snapshotOf(tasks ?? [], resources ?? []);
}

/**
 * Follows the cluster until `signal` aborts (or `maxEvents` were seen): every interval one read of
 * `/cluster/tasks` and one of `/cluster/resources` — never one per guest — compared with the last
 * poll: tasks started and finished (with exit status), guest state changes, guests added, removed
 * or moved, nodes going offline or online. Only a running task that drops off the bounded cluster
 * task list is asked for by itself. The first poll is the baseline and reports nothing; if it
 * fails the watch fails, later failed polls are reported to `onError` and retried.
 * Returns the number of events.
 */
export async function watchCluster(o: WatchOptions): Promise<number> {
  const interval = o.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
  let prev: ClusterSnapshot | undefined;
  let count = 0;
  while (!o.signal?.aborted) {
    try {
      const next = await poll(o.client);
      if (prev) {
        for (const t of vanishedRunning(prev, next)) {
          const status = (await o.client.tasks.status(t.upid).catch(() => undefined)) as Row | undefined;
          next.tasks.set(t.upid, status?.status === "stopped" && typeof status.exitstatus === "string" ? { ...t, exitstatus: status.exitstatus } : t);
        }
        for (const e of diffSnapshots(prev, next, o.filter ?? {}, o.now().toISOString())) {
          await o.onEvent(e);
          count++;
          if (o.maxEvents !== undefined && count >= o.maxEvents) return count;
        }
      }
      prev = next;
    } catch (err) {
      // the baseline must work (bad credentials, no such host: say so and stop); later polls retry
      if (!prev) throw err;
      o.onError?.(err);
    }
    if (o.signal?.aborted) break;
    try {
      await o.sleep(interval, o.signal);
    } catch {
      break; // aborted while waiting
    }
  }
  return count;
}
