// `npm run bench`: pvekit side by side with raw undici and proxmox-api (npm), in one run, against
// servers on 127.0.0.1 only. Every loop is bounded; the whole run takes a few minutes and stops by
// itself. Progress goes to stderr, the one results table (Markdown) to stdout.
import { cpus } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { proxmoxApiClient, pvekitClient, undiciClient } from "./clients";
import { measureCli, startCliSim } from "./cli";
import { measureCodegen } from "./codegen-time";
import { measureColdImport } from "./cold-import";
import { measureFanOut } from "./fan-out";
import { measureFleet, type FleetRun } from "./fleet";
import { startLoopbackServer } from "./loopback-server";
import { measureMcpToolsList } from "./mcp-size";
import { measurePackage } from "./package-size";
import { measurePerRequest } from "./per-request";
import { fmt, ratio } from "./stats";
import { goal, renderTable, type Row } from "./table";
import { measureTaskWait } from "./task-wait";
import { compilers, measureTypeCheck, writeConsumers } from "./type-check";

const root = join(import.meta.dirname, "..");
const version = (dir: string): string => (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
const progress = (text: string): void => void process.stderr.write(`bench: ${text}\n`);

async function main(): Promise<void> {
  const started = performance.now();
  const rows: Row[] = [];

  progress("per-request time (sequential GET status/current, loopback HTTP)…");
  const server = await startLoopbackServer();
  const pvekit = await pvekitClient(server.origin);
  const undici = undiciClient(server.origin);
  const undiciTimeout = undiciClient(server.origin, 30_000);
  const peer = await proxmoxApiClient(server.port);
  try {
    const pr = await measurePerRequest([pvekit, undici, undiciTimeout, peer]);
    const m = pr.microsPerRequest;
    const [p, u, ut, x] = [m.pvekit, m["undici.request"], m["undici.request+timeout"], m["proxmox-api"]] as [number, number, number, number];
    rows.push({ measure: "per-request time (sequential GET, loopback) vs raw undici.request", pvekit: fmt(p, "µs"), baseline: `${fmt(u, "µs")} undici.request`, ratio: ratio(p, u), goal: goal("≤ 1.10x", p / u <= 1.1) });
    rows.push({ measure: "per-request time vs undici.request with a per-request AbortController timeout", pvekit: fmt(p, "µs"), baseline: `${fmt(ut, "µs")} undici.request+timeout`, ratio: ratio(p, ut), goal: "— (info)" });
    rows.push({ measure: "per-request time vs proxmox-api", pvekit: fmt(p, "µs"), baseline: `${fmt(x, "µs")} proxmox-api`, ratio: ratio(p, x), goal: "—" });

    progress("fan-out of 1,000 guest status calls (5 ms server latency)…");
    server.latencyMs = 5;
    const fo = await measureFanOut(pvekit);
    server.latencyMs = 0;
    rows.push({
      measure: `fan-out: ${fo.calls} guest status calls, ${fo.concurrency} in flight vs sequential (5 ms server latency)`,
      pvekit: fmt(fo.boundedMs / 1000, "s", 2),
      baseline: `${fmt(fo.sequentialMs / 1000, "s", 2)} sequential`,
      ratio: ratio(fo.boundedMs, fo.sequentialMs),
      goal: `— (${(fo.sequentialMs / fo.boundedMs).toFixed(1)}x faster)`,
    });

    progress("tasks.wait on a 1.5 s task vs fixed 1 s polling…");
    const tw = await measureTaskWait(pvekit.pve, server);
    rows.push({
      measure: `tasks.wait lateness, ${tw.taskMs / 1000} s task (median of ${tw.runs}; max)`,
      pvekit: `${fmt(tw.pvekit.lateMs, "ms", 0)} (max ${fmt(tw.pvekit.maxLateMs, "ms", 0)})`,
      baseline: `${fmt(tw.fixed.lateMs, "ms", 0)} (max ${fmt(tw.fixed.maxLateMs, "ms", 0)}) fixed ${tw.fixed.intervalMs / 1000} s polling`,
      ratio: ratio(tw.pvekit.lateMs, tw.fixed.lateMs),
      goal: goal("≤ 250 ms", tw.pvekit.maxLateMs <= 250),
    });
    rows.push({
      measure: `tasks.wait status polls, ${tw.taskMs / 1000} s task (max of ${tw.runs})`,
      pvekit: String(tw.pvekit.polls),
      baseline: `${tw.fixed.polls} fixed ${tw.fixed.intervalMs / 1000} s polling`,
      ratio: ratio(tw.pvekit.polls, tw.fixed.polls),
      goal: goal("≤ 12", tw.pvekit.polls <= 12),
    });
  } finally {
    await Promise.all([pvekit.close(), undici.close(), undiciTimeout.close(), peer.close()]);
    await server.close();
  }

  progress("per-request time over keep-alive TLS (the same HTTPS server and connection for each client)…");
  const tlsServer = await startLoopbackServer({ tls: true });
  const serverTls = tlsServer.tls as { cert: string; fingerprint: string };
  const tlsClients = [await pvekitClient(tlsServer.origin, serverTls), undiciClient(tlsServer.origin, undefined, serverTls), undiciClient(tlsServer.origin, 30_000, serverTls)];
  try {
    const m = (await measurePerRequest(tlsClients)).microsPerRequest;
    const [p, u, ut] = [m.pvekit, m["undici.request"], m["undici.request+timeout"]] as [number, number, number];
    rows.push({ measure: "per-request time (sequential GET, keep-alive TLS, loopback) vs raw undici.request", pvekit: fmt(p, "µs"), baseline: `${fmt(u, "µs")} undici.request`, ratio: ratio(p, u), goal: goal("≤ 1.10x", p / u <= 1.1) });
    rows.push({ measure: "per-request time (keep-alive TLS) vs undici.request with a per-request AbortController timeout", pvekit: fmt(p, "µs"), baseline: `${fmt(ut, "µs")} undici.request+timeout`, ratio: ratio(p, ut), goal: goal("≤ 1.10x", p / ut <= 1.1) });
  } finally {
    await Promise.all(tlsClients.map((c) => c.close()));
    await tlsServer.close();
  }

  progress("CLI in fresh processes (node -e 0, --version, --help, guests --json over HTTPS to the simulator) and MCP tools/list per mode…");
  const cliSim = await startCliSim();
  try {
    const cli = await measureCli(cliSim);
    const w = cli.wallMs;
    const node0 = w["node -e 0"] as number;
    const cliGoals: [string, string, number][] = [
      ["pvekit guests --json", `read command (${cli.guests} guests, HTTPS to the simulator)`, 2.0],
      ["pvekit --version", "--version", 1.5],
      ["pvekit --help", "--help", 1.5],
    ];
    for (const [name, what, limit] of cliGoals) {
      const t = w[name] as number;
      rows.push({ measure: `CLI ${what}, fresh process (median of ${cli.runs}) vs node -e 0`, pvekit: fmt(t, "ms", 0), baseline: `${fmt(node0, "ms", 0)} node -e 0`, ratio: ratio(t, node0), goal: goal(`≤ ${limit.toFixed(1)}x`, t / node0 <= limit) });
    }
    const floor = w.floor as number;
    rows.push({
      measure: "floor: commander + zod + undici's pool making the same request (bench/cli-floor.ts, bundled) vs node -e 0",
      pvekit: fmt(floor, "ms", 0),
      baseline: `${fmt(node0, "ms", 0)} node -e 0`,
      ratio: ratio(floor, node0),
      goal: "— (info: what the three libraries cost before any pvekit code)",
    });
    if (w.curl !== undefined) {
      const t = w["pvekit guests --json"] as number;
      rows.push({ measure: "CLI read command vs curl making the same request (the seeds' approach)", pvekit: fmt(t, "ms", 0), baseline: `${fmt(w.curl, "ms", 0)} curl`, ratio: ratio(t, w.curl), goal: "— (info)" });
    }
    // before #15: one tool per operation (39 in admin mode)
    const before: Record<string, string> = { "read-only": "10,437 chars before #15", operator: "—", admin: "34,303 chars (39 tools) before #15" };
    for (const mode of ["read-only", "operator", "admin"]) {
      const size = await measureMcpToolsList(mode, cliSim.env);
      rows.push({
        measure: `MCP tools/list answer, ${mode} mode (${size.tools} tools)`,
        pvekit: `${size.chars.toLocaleString("en")} chars`,
        baseline: before[mode] as string,
        ratio: "—",
        goal: mode === "admin" ? goal("≤ 12,000 chars", size.chars <= 12_000) : "— (info)",
      });
    }
  } finally {
    await cliSim.close();
  }

  const fleetGuests = Number(process.env.PVEKIT_BENCH_FLEET_GUESTS ?? 2000);
  progress(`shutdown --all on a simulated 16-node, ${fleetGuests}-guest cluster at --parallel 1, 4, 16 (several minutes at --parallel 1)…`);
  const fl = await measureFleet({ guests: fleetGuests, progress });
  const [f1, f4, f16, fb] = fl.runs as [FleetRun, FleetRun, FleetRun, FleetRun];
  for (const f of [f4, f16]) {
    rows.push({
      measure: `shutdown --all, ${fl.guests} guests on ${fl.nodes} nodes (${f.acted} running, ${fl.taskMs} ms per task): --parallel ${f.parallel} vs 1`,
      pvekit: fmt(f.runMs / 1000, "s", 1),
      baseline: `${fmt(f1.runMs / 1000, "s", 1)} at --parallel 1`,
      ratio: ratio(f.runMs, f1.runMs),
      goal: `— (${(f1.runMs / f.runMs).toFixed(1)}x faster${f.failed ? `, ${f.failed} failed` : ""})`,
    });
  }
  const perGuest = fl.runs.filter((f) => !f.bulk);
  const peaks = perGuest.map((f) => f.peakPerNode);
  rows.push({
    measure: `peak HTTP requests in flight to one node, --parallel ${perGuest.map((f) => f.parallel).join(" / ")} (overall peak ${perGuest.map((f) => f.peakAll).join(" / ")})`,
    pvekit: peaks.join(" / "),
    baseline: `per-node limit ${fl.perNode} (--per-node)`,
    ratio: "—",
    goal: goal(`≤ ${fl.perNode}`, Math.max(...peaks) <= fl.perNode),
  });
  rows.push({
    measure: `shutdown --all --bulk (one stopall per node, PVE runs ${fl.perNode} per node) vs one shutdown per guest at --parallel ${f16.parallel}: HTTP requests`,
    pvekit: `${fb.requests} requests, ${fmt(fb.runMs / 1000, "s", 1)}`,
    baseline: `${f16.requests} requests, ${fmt(f16.runMs / 1000, "s", 1)}`,
    ratio: ratio(fb.requests, f16.requests),
    goal: `— (info; peak to one node ${fb.peakPerNode}${fb.failed ? `, ${fb.failed} failed` : ""})`,
  });
  rows.push({
    measure: `plan of the whole set (one /cluster/resources read, ${fl.guests} guests, plan + confirm token)`,
    pvekit: fmt(Math.min(...fl.runs.map((f) => f.planMs)), "ms", 0),
    baseline: "—",
    ratio: "—",
    goal: "— (info)",
  });

  progress("cold import in fresh node processes…");
  const ci = measureColdImport(["pvekit", "undici", "proxmox-api", "pvekit/skill"]);
  const [ip, iu, ix, is] = ["pvekit", "undici", "proxmox-api", "pvekit/skill"].map((s) => ci.importMs[s] as number) as [number, number, number, number];
  rows.push({ measure: `cold import (median of ${ci.runs} fresh processes) vs undici alone`, pvekit: fmt(ip, "ms"), baseline: `${fmt(iu, "ms")} undici`, ratio: ratio(ip, iu), goal: goal("≤ 1.25x", ip / iu <= 1.25) });
  rows.push({ measure: "cold import vs proxmox-api", pvekit: fmt(ip, "ms"), baseline: `${fmt(ix, "ms")} proxmox-api`, ratio: ratio(ip, ix), goal: "—" });
  rows.push({ measure: "cold import of pvekit/skill (CLI/MCP layer: zod, policy) vs undici", pvekit: fmt(is, "ms"), baseline: `${fmt(iu, "ms")} undici`, ratio: ratio(is, iu), goal: "— (info)" });

  progress("type-check of a 10-line consumer program…");
  const dirs = writeConsumers();
  for (const c of compilers()) {
    progress(`  ${c.name}…`);
    const tc = measureTypeCheck(c, dirs);
    const [tp, tx] = [tc.totalS.pvekit, tc.totalS["proxmox-api"]] as [number, number];
    const [mp, mx] = [tc.memoryMB.pvekit, tc.memoryMB["proxmox-api"]] as [number, number];
    rows.push({ measure: `consumer type-check time, ${c.name} (median of ${tc.runs})`, pvekit: fmt(tp, "s", 2), baseline: `${fmt(tx, "s", 2)} proxmox-api`, ratio: ratio(tp, tx), goal: goal("≤ 1.30x", tp / tx <= 1.3) });
    rows.push({ measure: `consumer type-check memory, ${c.name}`, pvekit: fmt(mp, "MB", 0), baseline: `${fmt(mx, "MB", 0)} proxmox-api`, ratio: ratio(mp, mx), goal: goal("≤ 1.30x", mp / mx <= 1.3) });
    const [tr, mr] = [tc.totalS["pvekit-request"], tc.memoryMB["pvekit-request"]] as [number, number];
    rows.push({ measure: `consumer type-check time, request() with concrete paths, ${c.name}`, pvekit: fmt(tr, "s", 2), baseline: `${fmt(tx, "s", 2)} proxmox-api`, ratio: ratio(tr, tx), goal: goal("≤ 1.30x", tr / tx <= 1.3) });
    rows.push({ measure: `consumer type-check memory, request() with concrete paths, ${c.name}`, pvekit: fmt(mr, "MB", 0), baseline: `${fmt(mx, "MB", 0)} proxmox-api`, ratio: ratio(mr, mx), goal: goal("≤ 1.30x", mr / mx <= 1.3) });
  }

  progress("package size (npm pack --dry-run)…");
  const pkg = measurePackage();
  const kb = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;
  // before #15 (commit 86739af): the bundled declarations twice, as .d.ts and .d.cts
  rows.push({ measure: "package: tarball (npm pack)", pvekit: kb(pkg.tarballBytes), baseline: `${kb(1_404_607)} before #15`, ratio: ratio(pkg.tarballBytes, 1_404_607), goal: "— (smaller)" });
  rows.push({ measure: `package: unpacked (${pkg.files} files)`, pvekit: kb(pkg.unpackedBytes), baseline: `${kb(8_185_099)} before #15 (238 files)`, ratio: ratio(pkg.unpackedBytes, 8_185_099), goal: "— (smaller)" });
  rows.push({ measure: "package: declarations (.d.ts + .d.cts), one copy for import and require", pvekit: kb(pkg.declarationBytes), baseline: `${kb(3_657_314)} before #15 (two bundled copies)`, ratio: ratio(pkg.declarationBytes, 3_657_314), goal: "— (one copy)" });

  progress("full codegen…");
  const cg = measureCodegen();
  rows.push({ measure: `full regeneration (npm run codegen, median of ${cg.runs})`, pvekit: fmt(cg.wallS, "s"), baseline: "—", ratio: "—", goal: `— (${cg.summary})` });

  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  console.log(
    `pvekit ${version(root)} · node ${process.version} · undici ${version(join(root, "node_modules", "undici"))} · proxmox-api ${version(join(root, "node_modules", "proxmox-api"))} · ${cpus().length}× ${cpu} · ${fmt((performance.now() - started) / 1000, "s", 0)}\n`,
  );
  console.log(renderTable(rows));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
