import { request } from "undici";
import type { PvekitModule } from "./clients";
import { TOKEN } from "./clients";
import type { LoopbackServer } from "./loopback-server";
import { median, sleep } from "./stats";

type PveClient = InstanceType<PvekitModule["PveClient"]>;

export interface WaitSample {
  /** ms between the task stopping on the server and the waiter returning */
  lateMs: number;
  polls: number;
}

export interface TaskWaitResult {
  taskMs: number;
  runs: number;
  pvekit: { lateMs: number; maxLateMs: number; polls: number };
  fixed: { intervalMs: number; lateMs: number; maxLateMs: number; polls: number };
}

/** A fixed-interval poller as proxmoxer's `Tasks.blocking_status` does it: poll, sleep 1 s, repeat. */
async function pollFixed(server: LoopbackServer, upid: string, intervalMs: number): Promise<void> {
  const headers = { authorization: `PVEAPIToken=${TOKEN.tokenId}=${TOKEN.secret}` };
  const url = `${server.origin}/api2/json/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`;
  for (let polls = 0; polls < 60; polls++) {
    const res = await request(url, { headers });
    const { data } = (await res.body.json()) as { data: { status: string } };
    if (data.status === "stopped") return;
    await sleep(intervalMs);
  }
  throw new Error(`task ${upid} did not stop within 60 polls`);
}

async function sample(server: LoopbackServer, taskMs: number, wait: (upid: string) => Promise<unknown>): Promise<WaitSample> {
  const upid = server.startTask(taskMs);
  await wait(upid);
  const done = performance.now();
  const t = server.task(upid);
  return { lateMs: done - t.endsAt, polls: t.polls };
}

/**
 * `pve.tasks.wait` against fixed-interval polling on a task that takes `taskMs` of real time:
 * how late each notices the stop, and how many status polls it spends. Runs side by side.
 */
export async function measureTaskWait(pve: PveClient, server: LoopbackServer, taskMs = 1500, runs = 5, intervalMs = 1000): Promise<TaskWaitResult> {
  const pvekit: Promise<WaitSample>[] = [];
  const fixed: Promise<WaitSample>[] = [];
  for (let i = 0; i < runs; i++) {
    pvekit.push(sample(server, taskMs, (upid) => pve.tasks.wait(upid, { timeoutMs: 60_000 })));
    fixed.push(sample(server, taskMs, (upid) => pollFixed(server, upid, intervalMs)));
    await sleep(37); // staggered starts, so the runs do not poll in lockstep
  }
  const a = await Promise.all(pvekit);
  const b = await Promise.all(fixed);
  const summary = (s: WaitSample[]) => ({
    lateMs: median(s.map((x) => x.lateMs)),
    maxLateMs: Math.max(...s.map((x) => x.lateMs)),
    polls: Math.max(...s.map((x) => x.polls)),
  });
  return { taskMs, runs, pvekit: summary(a), fixed: { intervalMs, ...summary(b) } };
}
