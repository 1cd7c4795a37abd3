import { PreconditionError, SkillUsageError } from "../errors";
import { formatBytes } from "../format/values";
import type { GuestRef, OperationContext } from "../operations/operation";
import type { AllowTarget } from "../policy/allow-list";
import { POWER_SPECS, type PowerAction } from "../operations/power";
import { snapshotName } from "../operations/snapshot-name";
import type { ProgressEventInput } from "../progress/events";
import { backupNotes, defaultBackupStorage } from "../operations/backup";
import { assessTier } from "../policy/endpoint-rules";
import { backupBatch } from "./backup-batch";
import { poolBatch } from "./pool-batch";
import type { GuestResult } from "./set-outcome";

type Params = Record<string, unknown>;

/** What a set command will do to one guest, decided from the `/cluster/resources` read alone. */
export interface GuestPreview {
  /** The action in a few words (`shutdown`, `snapshot pre-upgrade`). */
  action: string;
  /** Why nothing needs doing. */
  noop?: string;
  /** Why the action cannot run for this guest (its type or state); it is left out. */
  skip?: string;
  /** Per-guest input (a computed snapshot name, a memory check already done for the set). */
  input?: Params;
  /** Allow-list targets besides the guest itself (the destination pool). */
  allowTargets?: AllowTarget[];
}

/** Set-wide checks and plan lines (reads only). */
export interface SetPreparation {
  steps?: string[];
  warnings?: string[];
  /** Input every guest gets on top of the command's (e.g. the memory check is done for the set). */
  input?: Params;
  /** Targets found while preparing (the storage a backup goes to on each node): checked against the allow-lists. */
  allowTargets?: AllowTarget[];
}

/** What a batch runner gets: the context (no cached guests), and an event emitter bound to a guest. */
export interface BatchContext {
  ctx: OperationContext;
  emitFor(g: GuestRef | undefined): (e: ProgressEventInput) => void;
}

/** Runs guests in batches through one PVE request each (PVE's own multi-guest endpoints). */
export interface BatchSpec {
  /** The plan's line for how the set runs. */
  describe: string;
  /** Guests with the same key go into one batch. */
  key(g: GuestRef, params: Params): string;
  /** The nodes one batch loads (per-node limits). */
  nodes(guests: readonly GuestRef[], params: Params): string[];
  run(b: BatchContext, guests: readonly GuestRef[], params: Params): Promise<GuestResult[]>;
}

/** How an operation runs over a set of guests. */
export interface SetAction {
  preview(g: GuestRef, params: Params, ctx: OperationContext): GuestPreview;
  /** Targets the whole set touches besides the guests (the migration target node). */
  extraTargets?(params: Params): AllowTarget[];
  prepare?(ctx: OperationContext, acting: readonly GuestRef[], params: Params): Promise<SetPreparation>;
  /**
   * The action interrupts running guests: a set where it interrupts more than one needs one confirmation,
   * even when the tier is reversible. A function says it per guest (a backup in stop mode interrupts a running guest).
   */
  interrupts?: boolean | ((g: GuestRef, params: Params) => boolean);
  /** Other curated operations the set amounts to by its parameters (PVEKIT_CONFIRM_OPERATIONS naming one asks for a token). */
  alsoOperations?(params: Params): string[];
  /** The nodes one guest's job loads (default: its own). */
  nodes?(g: GuestRef, params: Params): string[];
  /** Run in batches instead of one job per guest. */
  batch?: BatchSpec;
}

const stateOf = (g: GuestRef): string => g.status ?? "unknown";

function powerSet(action: PowerAction, extra: Partial<SetAction> = {}): SetAction {
  const spec = POWER_SPECS[action];
  return {
    interrupts: action === "shutdown" || action === "reboot" || action === "suspend" || action === "stop" || action === "reset",
    preview(g) {
      const state = stateOf(g);
      if (g.template) return { action, skip: "it is a template" };
      // /cluster/resources reports a suspended (checkpointed) container as stopped, and a VM paused since
      // it was read as running: resume decides per guest, when its plan reads the live state
      if (action === "resume" && state === "running") return { action: "resume (if paused)" };
      if (action === "resume" && state === "stopped" && g.type === "lxc") return { action: "resume (if suspended)" };
      const noop = spec.noop(state);
      // the spec says "is already running"; the plan's table reads "it is already running"
      if (noop) return { action, noop: `it ${noop}` };
      const refusal = spec.refuse?.(state, g);
      return refusal ? { action, skip: refusal } : { action };
    },
    ...extra,
  };
}

/** The first line of each node: free memory vs what the guests to start there are configured with. */
async function checkSetMemory(ctx: OperationContext, acting: readonly GuestRef[], params: Params): Promise<SetPreparation> {
  if (params.ignoreMemory) return {};
  const need = new Map<string, { bytes: number; count: number }>();
  for (const g of acting) {
    const n = need.get(g.node) ?? { bytes: 0, count: 0 };
    n.bytes += g.maxmem ?? 0;
    n.count++;
    need.set(g.node, n);
  }
  const steps: string[] = [];
  const short: string[] = [];
  for (const [node, n] of [...need].sort(([a], [b]) => a.localeCompare(b))) {
    if (!n.bytes) continue;
    const status = (await ctx.client.request("GET", "/nodes/{node}/status", { node })) as {
      memory?: { free?: number; total?: number; used?: number };
    };
    const mem = status.memory ?? {};
    const free = mem.free ?? (mem.total !== undefined && mem.used !== undefined ? mem.total - mem.used : undefined);
    if (free === undefined) continue;
    steps.push(`memory check: node ${node} has ${formatBytes(free)} free, the ${n.count} guest(s) to start there need ${formatBytes(n.bytes)}`);
    if (free < n.bytes) short.push(`node ${node} has ${formatBytes(free)} free, but the ${n.count} guest(s) to start there are configured with ${formatBytes(n.bytes)}`);
  }
  if (short.length && !params.force)
    throw new PreconditionError(
      `Not enough free memory: ${short.join("; ")}. Start fewer guests (--exclude), free memory, or pass --ignore-memory if ballooning/KSM will cover it (--force to start anyway).`,
    );
  const warnings = short.map((s) => `Starting despite the memory check (--force): ${s}.`);
  // each guest's own start still checks its vCPUs against its node
  return { steps, warnings, input: { ignoreMemory: true } };
}

function tagsAfter(g: GuestRef, params: Params): string[] {
  const add = (params.add as string[] | undefined) ?? [];
  const remove = (params.remove as string[] | undefined) ?? [];
  return [...new Set([...g.tags.filter((t) => !remove.includes(t)), ...add])].sort();
}

/**
 * The operations that take a set of guests, and how each previews, checks and runs a set.
 * Operations not listed take exactly one VMID.
 */
export const SET_ACTIONS: Readonly<Record<string, SetAction>> = {
  start: powerSet("start", { prepare: checkSetMemory }),
  shutdown: powerSet("shutdown"),
  reboot: powerSet("reboot"),
  suspend: powerSet("suspend"),
  resume: powerSet("resume"),
  stop: powerSet("stop"),
  reset: powerSet("reset"),
  snapshot: {
    preview(g, params, ctx) {
      if (params.vmstate && g.type === "lxc") return { action: "snapshot", skip: "containers have no RAM state to save (vmstate)" };
      const name =
        (params.name as string | undefined) ??
        snapshotName(ctx.settings.snapshotName, { change: params.change as string | undefined, vmid: g.vmid, now: ctx.now() });
      return { action: `snapshot ${name}${params.vmstate ? " with RAM" : ""}`, input: { name } };
    },
  },
  backup: {
    // vzdump's stop mode shuts a running guest down for the backup and suspend mode suspends it
    // (vzdump modes, pve-manager PVE/VZDump.pm)
    interrupts: (g, params) => g.status === "running" && (params.backupMode === "stop" || params.backupMode === "suspend"),
    preview: (g, params) => {
      const notes = backupNotes(params);
      return {
        action: `backup${notes ? ` "${notes}"` : ""} (mode ${String(params.backupMode ?? "snapshot")}${params.storage ? `, to ${String(params.storage)}` : ""})`,
      };
    },
    // the endpoint rules say what a vzdump with these parameters also amounts to (mode=stop: a shutdown)
    alsoOperations: (params) =>
      (assessTier("POST", "/nodes/{node}/vzdump", { node: "-", vmid: "100", mode: params.backupMode }).also ?? []).map((a) => a.operation),
    // the storage on each node is decided here, checked against the allow-lists, and used by the batch
    async prepare(ctx, acting, params) {
      const storageByNode: Record<string, string> = {};
      for (const node of [...new Set(acting.map((g) => g.node))].sort())
        storageByNode[node] = (params.storage as string | undefined) ?? (await defaultBackupStorage(ctx, node));
      return { input: { storageByNode }, allowTargets: [...new Set(Object.values(storageByNode))].map((storage) => ({ storage })) };
    },
    batch: backupBatch,
  },
  tag: {
    preview(g, params) {
      const add = (params.add as string[] | undefined) ?? [];
      const remove = (params.remove as string[] | undefined) ?? [];
      if (add.length === 0 && remove.length === 0) throw new SkillUsageError("Nothing to change: pass --add and/or --remove.");
      const after = tagsAfter(g, params);
      const before = [...g.tags].sort();
      const text = `tags ${before.join(";") || "(none)"} → ${after.join(";") || "(none)"}`;
      return after.join(";") === before.join(";") ? { action: text, noop: `the tags are already ${before.join(";") || "empty"}` } : { action: text };
    },
  },
  pool: {
    preview(g, params) {
      const dest = params.pool as string | undefined;
      if (!dest === !params.remove) throw new SkillUsageError("Pass either a pool or --remove.");
      if (params.remove) return g.pool ? { action: `leave pool ${g.pool}` } : { action: "leave its pool", noop: "it is in no pool" };
      const allowTargets = [{ vmid: g.vmid, node: g.node, pool: dest, tags: g.tags }];
      if (g.pool === dest) return { action: `join pool ${dest}`, noop: `it is already in pool ${dest}`, allowTargets };
      return { action: g.pool ? `move from pool ${g.pool} to ${dest}` : `join pool ${dest}`, allowTargets };
    },
    batch: poolBatch,
  },
  migrate: {
    interrupts: true,
    preview(g, params) {
      const target = String(params.target);
      if (g.node === target) return { action: `migrate to ${target}`, noop: `it is already on ${target}` };
      const running = g.status === "running";
      if (g.type === "lxc" && running && !params.restart) return { action: `migrate to ${target}`, skip: "a running container needs --restart" };
      const how = running ? (g.type === "qemu" ? " (online)" : " (restart)") : "";
      return { action: `migrate ${g.node} → ${target}${how}` };
    },
    extraTargets: (params) => [{ node: String(params.target) }],
    nodes: (g, params) => [g.node, String(params.target)],
    async prepare(ctx, _acting, params) {
      const nodes = (await ctx.client.request("GET", "/nodes")) as { node?: string; status?: string }[];
      const target = nodes.find((n) => n.node === params.target);
      if (!target) throw new SkillUsageError(`There is no node "${String(params.target)}" (nodes: ${nodes.map((n) => n.node).join(", ")}).`);
      if (target.status && target.status !== "online") throw new PreconditionError(`Node ${String(params.target)} is ${target.status}.`);
      return {};
    },
  },
};

/** The set behaviour of operation `name`, if it takes sets. */
export function setActionFor(name: string): SetAction | undefined {
  return Object.hasOwn(SET_ACTIONS, name) ? SET_ACTIONS[name] : undefined;
}
