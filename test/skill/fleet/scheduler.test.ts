import { describe, expect, test } from "vitest";
import { runBounded, type Job } from "../../../src/skill/fleet/scheduler";

/** Jobs that finish only when the test says so, recording how many ran at once overall and per node. */
function harness(nodesOf: string[][]) {
  const release: (() => void)[] = [];
  const started: number[] = [];
  let running = 0;
  let peak = 0;
  const perNode = new Map<string, number>();
  const peakNode = new Map<string, number>();
  const jobs: Job[] = nodesOf.map((nodes, i) => ({
    nodes,
    run: () =>
      new Promise<void>((resolve) => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        for (const n of nodes) {
          perNode.set(n, (perNode.get(n) ?? 0) + 1);
          peakNode.set(n, Math.max(peakNode.get(n) ?? 0, perNode.get(n)!));
        }
        release[i] = () => {
          running--;
          for (const n of nodes) perNode.set(n, perNode.get(n)! - 1);
          resolve();
        };
      }),
  }));
  return { jobs, release, started, peak: () => peak, peakNode, running: () => running };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("runBounded", () => {
  test("never more than `parallel` at once, and every job runs", async () => {
    const h = harness(Array.from({ length: 20 }, (_, i) => [`n${i % 5}`]));
    const done = runBounded(h.jobs, { parallel: 3, perNode: 10 });
    for (let round = 0; h.started.length < 20 || h.running() > 0; round++) {
      await tick();
      expect(h.running()).toBeLessThanOrEqual(3);
      for (const i of [...h.started]) h.release[i]?.();
      h.release.length = 0;
      expect(round).toBeLessThan(100);
    }
    expect(await done).toEqual([]);
    expect(h.peak()).toBe(3);
    expect(new Set(h.started).size).toBe(20);
  });

  test("a full node holds its jobs back while other nodes' jobs go ahead", async () => {
    // six jobs on pve1 first, then two on pve2
    const h = harness([...Array(6).fill(["pve1"]), ["pve2"], ["pve2"]]);
    const done = runBounded(h.jobs, { parallel: 8, perNode: 2 });
    await tick();
    expect(h.started).toEqual([0, 1, 6, 7]);
    h.release[0]!();
    await tick();
    expect(h.started).toEqual([0, 1, 6, 7, 2]);
    for (let i = 0; i < 8; i++) {
      for (const j of h.started) h.release[j]?.();
      await tick();
    }
    await done;
    expect(h.peakNode.get("pve1")).toBe(2);
    expect(h.started.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test("a job loading two nodes (a migration) counts on both", async () => {
    const h = harness([["pve1", "pve3"], ["pve2", "pve3"], ["pve1"]]);
    const done = runBounded(h.jobs, { parallel: 8, perNode: 1 });
    await tick();
    expect(h.started).toEqual([0]);
    h.release[0]!();
    await tick();
    expect(h.started).toEqual([0, 1, 2]);
    h.release[1]!();
    h.release[2]!();
    await done;
  });

  test("an abort stops starting jobs; the ones not started come back", async () => {
    const ac = new AbortController();
    const h = harness([["a"], ["a"], ["a"]]);
    const done = runBounded(h.jobs, { parallel: 1, perNode: 1, signal: ac.signal });
    await tick();
    ac.abort();
    h.release[0]!();
    const left = await done;
    expect(h.started).toEqual([0]);
    expect(left).toHaveLength(2);
  });

  test("a job that throws does not stop the others", async () => {
    const ran: number[] = [];
    const jobs: Job[] = [0, 1, 2].map((i) => ({
      nodes: ["x"],
      run: async () => {
        ran.push(i);
        if (i === 0) throw new Error("boom");
      },
    }));
    await runBounded(jobs, { parallel: 1, perNode: 1 });
    expect(ran).toEqual([0, 1, 2]);
  });
});
