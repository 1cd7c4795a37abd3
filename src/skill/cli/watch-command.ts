import { Command, Option } from "commander";
import { systemClock } from "../../runtime/clock";
import { SkillUsageError } from "../errors";
import { parseVmidSpecs } from "../fleet/selector";
import type { WatchEvent } from "../watch/cluster-diff";
import { DEFAULT_WATCH_INTERVAL_MS, watchCluster } from "../watch/watch";
import type { CliApp } from "./app";
import { addCommonOptions, type GlobalOpts } from "./common-options";
import { listOption } from "./set-options";
import { addExecOptions, execFor, execTimeoutMs, type ExecOpts } from "./task-exec";
import { TOOL_CATALOG } from "./tool-catalog";

interface WatchOpts extends GlobalOpts, ExecOpts {
  node?: string[];
  vmid?: string[];
  interval?: string;
  count?: string;
}

/** One event as a line for people. */
export function watchLine(e: WatchEvent): string {
  const who = e.vmid !== undefined ? `${String(e.vmid)}@${String(e.node)}` : String(e.node ?? "-");
  const name = e.name ? ` (${String(e.name)})` : "";
  switch (e.event) {
    case "task-start":
      return `${e.time} [${who}] task started: ${String(e.task)} by ${String(e.user ?? "?")} ${String(e.upid)}`;
    case "task-end":
      return `${e.time} [${who}] task ${e.status === "failed" ? "failed" : "finished"}: ${String(e.task)} ${String(e.exitstatus)} ${String(e.upid)}`;
    case "state":
      return `${e.time} [${who}]${name} ${String(e.previous)} → ${String(e.status)}`;
    case "guest-moved":
      return `${e.time} [${who}]${name} moved from ${String(e.previousNode)}`;
    case "guest-added":
      return `${e.time} [${who}]${name} added (${String(e.status)})`;
    case "guest-removed":
      return `${e.time} [${who}]${name} removed`;
    case "node-offline":
      return `${e.time} [${who}] node offline (${String(e.status)})`;
    case "node-online":
      return `${e.time} [${who}] node online`;
  }
}

/** The shortest `--interval`: each poll reads /cluster/tasks and /cluster/resources. */
export const MIN_WATCH_INTERVAL_S = 1;

function positive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new SkillUsageError(`${flag} must be a positive number, got "${value}".`);
  return n;
}

/** `pvekit watch`: cluster events until interrupted. */
export function watchCommand(app: CliApp, cmd = new Command("watch")): Command {
  cmd.description(TOOL_CATALOG.watch.description);
  cmd.addOption(listOption("--node <node>", "only events of these nodes"));
  cmd.addOption(listOption("--vmid <vmids>", "only events of these guests (VMIDs or ranges) and their tasks"));
  cmd.addOption(new Option("--interval <seconds>", `seconds between polls (default ${DEFAULT_WATCH_INTERVAL_MS / 1000}, at least 1)`));
  cmd.addOption(new Option("--count <n>", "stop after this many events"));
  addExecOptions(cmd, "once per event");
  addCommonOptions(cmd);
  cmd.addHelpText(
    "after",
    "\nOutput: one line per event; --json: one JSON object per line. --exec runs the command through sh -c once per event, the event JSON on stdin and PVEKIT_EVENT, PVEKIT_EVENT_VMID, _NODE, _UPID, _TASK, _STATUS, _EXITSTATUS, _TIME in its environment (never on its command line); pvekit's credential variables are not passed on.\nTier: read-only (allowed in every mode).",
  );
  cmd.action(async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const opts = command.optsWithGlobals() as WatchOpts;
    const intervalS = positive(opts.interval, "--interval");
    // two API reads per poll: a sub-second interval would hammer the cluster (PVE's own GUI polls every few seconds)
    if (intervalS !== undefined && intervalS < MIN_WATCH_INTERVAL_S)
      throw new SkillUsageError(`--interval must be at least ${MIN_WATCH_INTERVAL_S} second, got "${opts.interval}".`);
    const count = positive(opts.count, "--count");
    if (opts.exec !== undefined) execTimeoutMs(opts); // a bad --exec-timeout is a usage error before anything runs
    const vmids = opts.vmid ? parseVmidSpecs(opts.vmid) : undefined;
    const skill = await app.skill(opts);
    const clock = app.io.clock ?? systemClock;
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    const signal = app.io.signal ?? stop.signal;
    if (!app.io.signal) {
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
    }
    try {
      await watchCluster({
        client: skill.client,
        sleep: (ms, s) => clock.sleep(ms, s),
        now: () => new Date(),
        intervalMs: intervalS !== undefined ? intervalS * 1000 : undefined,
        filter: { ...(opts.node ? { nodes: opts.node } : {}), ...(vmids ? { vmids } : {}) },
        signal,
        ...(count !== undefined ? { maxEvents: Math.floor(count) } : {}),
        onEvent: async (e) => {
          app.out(opts.json ? JSON.stringify(e) : watchLine(e));
          if (opts.exec !== undefined) await execFor(app, opts, e);
        },
        onError: (err) => app.err(`pvekit watch: ${(err as Error).message ?? String(err)} (retrying)`),
      });
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  });
  return cmd;
}
