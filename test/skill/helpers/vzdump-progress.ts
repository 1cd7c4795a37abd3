import type { Simulator } from "../../../src/testing/simulator";

/** Simulated duration of a one-guest vzdump in the simulator (src/testing/endpoints/backup.ts). */
const VZDUMP_MS = 10_000;

/**
 * Makes running vzdump tasks write backup status lines as virtual time passes, in the format
 * qemu-server's PVE/VZDump/QemuServer.pm prints ("INFO:  45% (14.4 GiB of 32.0 GiB) in 4s, read: …").
 * Driven by the simulator's virtual clock, so nothing depends on real time.
 */
export function vzdumpProgress(sim: Simulator): () => void {
  const last = new Map<string, number>();
  return sim.clock.onAdvance(() => {
    for (const task of sim.tasks.list()) {
      if (task.type !== "vzdump" || task.status !== "running") continue;
      const started = task.endsAt - VZDUMP_MS;
      const pct = Math.min(99, Math.floor(((sim.clock.now() - started) / VZDUMP_MS) * 100));
      if (pct <= (last.get(task.upid) ?? 0)) continue;
      last.set(task.upid, pct);
      const done = ((32 * pct) / 100).toFixed(1);
      const secs = Math.round((sim.clock.now() - started) / 1000);
      task.log.push(`INFO: ${String(pct).padStart(3)}% (${done} GiB of 32.0 GiB) in ${secs}s, read: 320.0 MiB/s, write: 300.0 MiB/s`);
    }
  });
}
