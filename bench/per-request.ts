import type { StatusClient } from "./clients";
import { median } from "./stats";

export interface PerRequestResult {
  /** median microseconds per sequential request, by client name */
  microsPerRequest: Record<string, number>;
  requests: number;
}

/**
 * Sequential GETs, one at a time, by each client in turn: a warm-up, then `rounds` rounds of
 * `perRound` requests whose order of clients rotates, so drift (GC, CPU frequency) hits all alike.
 * The per-request time is the median over rounds.
 */
export async function measurePerRequest(clients: readonly StatusClient[], rounds = 11, perRound = 300, warmUp = 2000): Promise<PerRequestResult> {
  // long enough for the JIT to settle: the first few hundred requests of a client run slower
  for (const c of clients) for (let i = 0; i < warmUp; i++) await c.status(100 + (i % 10));
  const samples = new Map<string, number[]>(clients.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < clients.length; k++) {
      const c = clients[(r + k) % clients.length] as StatusClient;
      const t0 = performance.now();
      for (let i = 0; i < perRound; i++) await c.status(100 + (i % 10));
      samples.get(c.name)?.push(((performance.now() - t0) * 1000) / perRound);
    }
  }
  return {
    microsPerRequest: Object.fromEntries([...samples].map(([name, s]) => [name, median(s)])),
    requests: clients.length * (warmUp + perRound * rounds),
  };
}
