import { existsSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Agent, fetch as undiciFetch } from "undici";

// `shutdown --all` over a large simulated cluster at several --parallel settings, side by side:
// wall time, and the peak number of requests in flight to any one node. pvekit/skill and
// pvekit/testing are loaded from dist/ (what users run). The simulator generates the cluster
// (createSimulator({ nodes, guests })) and runs on a scaled clock with one fixed task duration, so
// every task (6 s of simulated time) takes 100 ms of real time.

type SkillModule = typeof import("../src/skill/index");
type TestingModule = typeof import("../src/testing/index");
type FetchLike = NonNullable<import("../src/index").PveClientOptions["fetch"]>;

const root = join(import.meta.dirname, "..");

async function load<T>(rel: string): Promise<T> {
  const file = join(root, "dist", rel);
  if (!existsSync(file)) throw new Error(`dist/${rel} is missing: run \`npm run setup\` first`);
  return (await import(pathToFileURL(file).href)) as T;
}

export interface FleetRun {
  parallel: number;
  /** run through PVE's per-node bulk endpoint (stopall) instead of one shutdown per guest */
  bulk: boolean;
  /** HTTP requests the run sent */
  requests: number;
  /** guests the shutdown acted on */
  acted: number;
  /** the planning call (one /cluster/resources read, the plan and its token) */
  planMs: number;
  /** the confirmed run */
  runMs: number;
  /** most HTTP requests in flight to one node at any moment (everything under /nodes/{node}/…, task polls included) */
  peakPerNode: number;
  /** most requests in flight overall */
  peakAll: number;
  failed: number;
}

export interface FleetResult {
  nodes: number;
  guests: number;
  taskMs: number;
  perNode: number;
  runs: FleetRun[];
}

/** The node an API URL addresses (`/api2/json/nodes/{node}/…`), or "(cluster)". */
function nodeOfUrl(url: string): string {
  return /\/api2\/json\/nodes\/([^/?]+)/.exec(url)?.[1] ?? "(cluster)";
}

/**
 * A `fetch` for the client that counts HTTP requests in flight per node (sent, answer not yet
 * received): the load one node's pveproxy would see. Verifies the simulator's certificate.
 */
function countingFetch(cert: string): { fetch: FetchLike; peaks(): { perNode: number; all: number; requests: number }; reset(): void } {
  const dispatcher = new Agent({ connect: { ca: cert }, keepAliveTimeout: 10_000 });
  const now = new Map<string, number>();
  let peakNode = 0;
  let all = 0;
  let peakAll = 0;
  let requests = 0;
  return {
    fetch: async (input, init) => {
      requests++;
      const node = nodeOfUrl(input);
      const n = (now.get(node) ?? 0) + 1;
      now.set(node, n);
      if (node !== "(cluster)") peakNode = Math.max(peakNode, n);
      peakAll = Math.max(peakAll, ++all);
      try {
        const res = await undiciFetch(input, { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1]);
        const body = await res.arrayBuffer(); // the answer has arrived when its body has
        return new Response(body, { status: res.status, statusText: res.statusText, headers: [...res.headers] });
      } finally {
        now.set(node, now.get(node)! - 1);
        all--;
      }
    },
    peaks: () => ({ perNode: peakNode, all: peakAll, requests }),
    reset: () => {
      peakNode = 0;
      peakAll = 0;
      requests = 0;
    },
  };
}

/**
 * `shutdown --all --parallel P` for each P on `nodes`/`guests`, each on a freshly reset cluster,
 * through the same skill the CLI runs (plan + one confirm token + bounded execution).
 */
export async function measureFleet(opts: { nodes?: number; guests?: number; parallel?: number[]; progress?: (t: string) => void } = {}): Promise<FleetResult> {
  const nodes = opts.nodes ?? 16;
  const guests = opts.guests ?? 2000;
  const parallels = opts.parallel ?? [1, 4, 16];
  // then the same through stopall, one per node (PVE runs 4 guests of a node at once)
  const plans = [...parallels.map((parallel) => ({ parallel, bulk: false })), { parallel: parallels.at(-1)!, bulk: true }];
  const skillMod = await load<SkillModule>("skill/index.js");
  const testing = await load<TestingModule>("testing/index.js");
  const { PveClient } = await load<typeof import("../src/index")>("index.js");
  const scale = 60;
  const taskMs = 6000; // simulated: 6000 / 60 = 100 ms of real time per task
  const sim = testing.createSimulator({ clock: { mode: "scaled", scale }, nodes, guests, taskDurationMs: taskMs });
  const server = await sim.listen({ port: 0 });
  const counter = countingFetch(server.cert);
  const pve = new PveClient({
    baseUrl: server.url,
    fetch: counter.fetch,
    auth: { tokenId: sim.credentials.token.tokenId, secret: sim.credentials.token.secret },
  });
  const stateDir = mkdtempSync(join(tmpdir(), "pvekit-bench-fleet-"));
  const skill = new skillMod.PveSkill({
    client: skillMod.skillClientFor(pve),
    settings: skillMod.resolveSkillSettings({ mode: "operator", stateDir, auditLog: false }, {}),
  });
  const runs: FleetRun[] = [];
  try {
    for (const { parallel, bulk } of plans) {
      sim.reset();
      opts.progress?.(`  shutdown --all --parallel ${parallel}${bulk ? " --bulk" : ""}…`);
      const input = { select: { all: true }, parallel, bulk };
      const t0 = performance.now();
      const plan = (await skill.run("shutdown", input)) as { status: string; confirmToken?: string };
      const t1 = performance.now();
      if (plan.status !== "confirmation-required" || !plan.confirmToken) throw new Error(`expected a plan with a token, got ${plan.status}`);
      counter.reset();
      const out = (await skill.run("shutdown", input, { confirm: plan.confirmToken })) as { counts: Record<string, number> };
      const t2 = performance.now();
      const peaks = counter.peaks();
      runs.push({
        parallel,
        bulk,
        requests: peaks.requests,
        acted: out.counts.ok! + out.counts.failed!,
        planMs: t1 - t0,
        runMs: t2 - t1,
        peakPerNode: peaks.perNode,
        peakAll: peaks.all,
        failed: out.counts.failed!,
      });
    }
  } finally {
    await pve.close();
    await server.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
  return { nodes, guests, taskMs: taskMs / scale, perNode: 4, runs };
}
