import type { StatusClient } from "./clients";

export interface FanOutResult {
  sequentialMs: number;
  boundedMs: number;
  concurrency: number;
  calls: number;
}

/** Runs `task` over `items` with at most `limit` in flight (what a user writes with pvekit for a fan-out). */
export async function mapBounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** `calls` guest status reads (VMIDs 1000…) one after another, then with `concurrency` in flight. */
export async function measureFanOut(client: StatusClient, calls = 1000, concurrency = 16): Promise<FanOutResult> {
  const vmids = Array.from({ length: calls }, (_, i) => 1000 + i);
  let t0 = performance.now();
  for (const vmid of vmids) await client.status(vmid);
  const sequentialMs = performance.now() - t0;
  t0 = performance.now();
  await mapBounded(vmids, concurrency, (vmid) => client.status(vmid));
  const boundedMs = performance.now() - t0;
  return { sequentialMs, boundedMs, concurrency, calls };
}
