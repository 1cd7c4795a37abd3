import { describeGuest } from "../operations/guest-locator";
import { backupNotes, defaultBackupStorage } from "../operations/backup";
import type { GuestRef, OperationContext } from "../operations/operation";
import { listBackups } from "../operations/storage-reads";
import { runTask } from "../operations/task-runner";
import type { BatchSpec } from "./set-actions";
import type { GuestResult } from "./set-outcome";

/**
 * vzdump's per-guest lines in the task log (pve-manager PVE/VZDump.pm exec_backup_task, printed by
 * pve-guest-common PVE/VZDump/Plugin.pm debugmsg as "$pre $line" with $pre INFO:/ERROR:).
 */
const STARTING = /^INFO: Starting Backup of VM (\d+) /;
const FINISHED = /^INFO: Finished Backup of VM (\d+) /;
const FAILED = /^ERROR: Backup of VM (\d+) failed - (.*)$/;

const LOG_TAIL = 10;

/**
 * Backs up a node's guests with ONE vzdump task listing all of them, as PVE's own backup jobs do:
 * vzdump holds a node-wide lock (PVE/VZDump.pm getlock, "only one process allowed"), so per-guest
 * vzdump calls on one node would only queue behind each other. Nodes run in parallel. Each guest's
 * outcome is read from the task log ("Finished Backup of VM …" / "Backup of VM … failed - …").
 */
export const backupBatch: BatchSpec = {
  describe: "one vzdump task per node listing that node's guests (vzdump runs one job per node at a time); each guest's outcome read from the task log",
  key: (g) => g.node,
  nodes: (guests) => [...new Set(guests.map((g) => g.node))],
  async run({ ctx, emitFor }, guests, params) {
    const node = guests[0]!.node;
    const byId = new Map(guests.map((g) => [g.vmid, g]));
    const base = (g: GuestRef): Pick<GuestResult, "vmid" | "node" | "type" | "name"> => ({ vmid: g.vmid, node: g.node, type: g.type, ...(g.name ? { name: g.name } : {}) });
    let storage: string;
    let before: Set<string>;
    let upid: string;
    try {
      // the storage the set's plan checked for this node (prepare), else as a single backup chooses it
      storage = (params.storageByNode as Record<string, string> | undefined)?.[node] ?? (params.storage as string | undefined) ?? (await defaultBackupStorage(ctx, node));
      before = new Set((await listBackups(ctx, { node, storage })).map((b) => String(b.volid)));
      upid = String(
        await ctx.client.request("POST", "/nodes/{node}/vzdump", {
          node,
          vmid: guests.map((g) => g.vmid).join(","),
          storage,
          mode: params.backupMode,
          compress: params.compress,
          "notes-template": backupNotes(params),
        }),
      );
    } catch (err) {
      return guests.map((g) => ({ ...base(g), outcome: "failed", error: `${(err as Error).name}: ${(err as Error).message}` }));
    }

    const state = new Map<number, { ok?: boolean; error?: string; lines: string[] }>();
    let current: GuestRef | undefined;
    const track = (line: string): void => {
      const start = STARTING.exec(line);
      if (start) current = byId.get(Number(start[1]));
      const fin = FINISHED.exec(line);
      const failed = FAILED.exec(line);
      const id = Number((fin ?? failed)?.[1] ?? current?.vmid);
      const s = state.get(id) ?? { lines: [] };
      s.lines.push(line);
      if (s.lines.length > LOG_TAIL) s.lines.shift();
      if (fin) s.ok = true;
      if (failed) Object.assign(s, { ok: false, error: failed[2] });
      if (byId.has(id)) state.set(id, s);
    };
    const sub: OperationContext = {
      ...ctx,
      emit: (e) => {
        if (e.event === "task-log") track(e.line);
        emitFor(current)(e);
      },
    };
    let exitstatus: string | undefined;
    let taskError: (Error & { exitstatus?: string; logTail?: string[] }) | undefined;
    try {
      const outcome = await runTask(sub, upid);
      if (!outcome.waited) return guests.map((g) => ({ ...base(g), outcome: "started", upid }));
      exitstatus = outcome.exitstatus;
    } catch (err) {
      taskError = err as Error & { exitstatus?: string; logTail?: string[] };
      exitstatus = taskError.exitstatus;
    }
    let created = new Map<number, string[]>();
    try {
      for (const b of await listBackups(ctx, { node, storage })) {
        const volid = String(b.volid);
        if (before.has(volid)) continue;
        const vmid = Number(b.vmid);
        created.set(vmid, [...(created.get(vmid) ?? []), volid]);
      }
    } catch {
      created = new Map(); // the per-guest outcome from the log still stands
    }
    return guests.map((g): GuestResult => {
      const s = state.get(g.vmid);
      const volids = created.get(g.vmid) ?? [];
      const common = { ...base(g), upid, ...(exitstatus ? { exitstatus } : {}) };
      // a job with errors still finished this guest's backup
      if (s?.ok) return { ...common, outcome: "ok", changes: volids.map((v) => `backup ${v}: created`) };
      const error = s?.error ?? (taskError ? `${taskError.name}: ${taskError.message}` : `vzdump did not report a backup of ${describeGuest(g)}`);
      const logTail = s?.lines.length ? s.lines : (taskError?.logTail ?? []).slice(-LOG_TAIL);
      return { ...common, outcome: "failed", error, ...(logTail.length ? { logTail } : {}) };
    });
  },
};
