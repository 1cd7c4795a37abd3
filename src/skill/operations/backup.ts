import * as z from "zod";
import { SkillUsageError } from "../errors";
import { describeGuest, guestNoun, listGuestResources, toGuestRef } from "./guest-locator";
import { planForGuest } from "./guest-plan";
import { nodeName, storageId, vmid } from "./inputs";
import { defineMutation, type OperationContext, type Plan } from "./operation";
import { listBackups } from "./storage-reads";
import { applyAssessment, assessRequest } from "./request-policy";
import { runTask, taskWarnings } from "./task-runner";
import { requireNode } from "./node-list";
import { about } from "./catalog";

type Row = Record<string, unknown>;

/** The first active storage on `node` that accepts backups (the default target of a backup). */
export async function defaultBackupStorage(ctx: OperationContext, node: string): Promise<string> {
  const rows = (await ctx.client.request("GET", "/nodes/{node}/storage", { node, content: "backup" })) as Row[];
  const s = rows.find(
    (r) =>
      r.active !== 0 &&
      String(r.content ?? "backup")
        .split(",")
        .includes("backup"),
  );
  if (!s) throw new SkillUsageError(`Node ${node} has no active storage for backups; pass --storage.`);
  return String(s.storage);
}

/**
 * The notes a backup is made with: `--name` or `--notes`. vzdump archives are named by PVE
 * (`vzdump-qemu-100-<time>`), so a name given to a backup is what PVE shows beside it: its notes.
 */
export function backupNotes(input: { name?: unknown; notes?: unknown }): string | undefined {
  const name = typeof input.name === "string" ? input.name : undefined;
  const notes = typeof input.notes === "string" ? input.notes : undefined;
  if (name !== undefined && notes !== undefined && name !== notes) {
    throw new SkillUsageError("A backup's name is kept as its notes: give --name or --notes, not both.");
  }
  return name ?? notes;
}

export const backupOp = defineMutation({
  kind: "mutation",
  ...about("backup"),
  input: z.object({
    vmid: vmid(),
    storage: storageId("Backup storage (default: the node's first storage for backups)").optional(),
    backupMode: z
      .enum(["snapshot", "suspend", "stop"])
      .default("snapshot")
      .describe("vzdump mode (default snapshot: the guest keeps running)"),
    compress: z.enum(["0", "gzip", "lzo", "zstd"]).default("zstd").describe("Compression (default zstd)"),
    notes: z.string().max(1024).describe("Notes for the backup (vzdump notes-template)").optional(),
    name: z
      .string()
      .min(1)
      .max(1024)
      .describe("A name for the backup, or for every backup of a set: kept as its notes (PVE names the archive files itself)")
      .optional(),
  }),
  async plan(ctx, input) {
    const notes = backupNotes(input);
    const plan = await planForGuest(ctx, input.vmid, "reversible", (g, state) => ({
      summary: `Back up ${guestNoun(g)} ${g.vmid}${g.name ? ` (${g.name})` : ""} on ${g.node} (mode ${input.backupMode}), currently ${state}`,
      warnings:
        input.backupMode === "stop" && state === "running" ? ["mode stop shuts the guest down for the backup and starts it again."] : [],
    }));
    const storage = input.storage ?? (await defaultBackupStorage(ctx, plan.guest.node));
    applyAssessment(
      plan,
      await assessRequest(ctx, "POST", "/nodes/{node}/vzdump", { node: plan.guest.node, vmid: String(plan.guest.vmid), storage, mode: input.backupMode }),
    );
    plan.steps.push(
      `POST /nodes/${plan.guest.node}/vzdump vmid=${plan.guest.vmid} storage=${storage} mode=${input.backupMode}${notes ? ` notes-template=${JSON.stringify(notes)}` : ""}`,
      "wait for the task",
      "list the new backup",
    );
    return { ...plan, storage };
  },
  async execute(ctx, input, plan) {
    const g = plan.guest;
    const before = new Set((await listBackups(ctx, { node: g.node, storage: plan.storage, vmid: g.vmid })).map((b) => String(b.volid)));
    const upid = String(
      await ctx.client.request("POST", "/nodes/{node}/vzdump", {
        node: g.node,
        vmid: String(g.vmid),
        storage: plan.storage,
        mode: input.backupMode,
        compress: input.compress,
        "notes-template": backupNotes(input),
      }),
    );
    const outcome = await runTask(ctx, upid);
    if (!outcome.waited) return { status: "started", summary: `Backup of ${g.vmid} started (not waited for).`, changes: [], upid };
    const created = (await listBackups(ctx, { node: g.node, storage: plan.storage, vmid: g.vmid })).filter(
      (b) => !before.has(String(b.volid)),
    );
    return {
      status: "done",
      summary: `Backup of ${guestNoun(g)} ${g.vmid} written to ${created.map((b) => String(b.volid)).join(", ") || plan.storage}.`,
      changes: created.map((b) => `backup ${String(b.volid)}: created`),
      upid,
      exitstatus: outcome.exitstatus,
      warnings: taskWarnings(outcome),
      data: { backups: created.map((b) => b.volid) },
    };
  },
});

interface RestorePlan extends Plan {
  node: string;
  type: "qemu" | "lxc";
  exists: boolean;
}

/** `vzdump-qemu-100-…` / `vzdump-lxc-…` → the guest type. */
export function backupType(archive: string): "qemu" | "lxc" | undefined {
  if (/vzdump-qemu-/.test(archive)) return "qemu";
  if (/vzdump-(lxc|openvz)-/.test(archive)) return "lxc";
  return undefined;
}

export const restoreOp = defineMutation({
  kind: "mutation",
  ...about("restore"),
  input: z.object({
    archive: z.string().min(3).describe("Backup volume id, e.g. local:backup/vzdump-qemu-100-….vma.zst"),
    vmid: vmid().describe("VMID to restore to (an existing guest is replaced)"),
    node: nodeName("Node to restore on (default: the existing guest's node, else the only node)").optional(),
    storage: storageId("Target storage for the disks").optional(),
    start: z.boolean().optional().describe("Start the guest after restoring"),
  }),
  async plan(ctx, input): Promise<RestorePlan> {
    const type = backupType(input.archive);
    if (!type)
      throw new SkillUsageError(
        `Cannot tell from "${input.archive}" whether it is a VM or container backup (expected vzdump-qemu-… or vzdump-lxc-…).`,
      );
    const row = (await listGuestResources(ctx)).find((r) => Number(r.vmid) === input.vmid);
    const existing = row ? toGuestRef(row) : undefined;
    if (existing) {
      if (existing.type !== type)
        throw new SkillUsageError(`VMID ${input.vmid} is a ${existing.type} guest; the archive is a ${type} backup.`);
      if (existing.status === "running") throw new SkillUsageError(`Guest ${input.vmid} is running; stop it before restoring over it.`);
    }
    const node = input.node ? await requireNode(ctx, input.node) : (existing?.node ?? (await singleNode(ctx)));
    const plan: RestorePlan = {
      target: existing ? describeGuest(existing) : `${type}/${input.vmid} (new) on ${node}`,
      tier: "reversible",
      summary: existing
        ? `Restore ${input.archive} OVER existing ${type}/${input.vmid}${existing.name ? ` (${existing.name})` : ""} on ${node}`
        : `Restore ${input.archive} as new ${type}/${input.vmid} on ${node}`,
      steps: [
        `POST /nodes/${node}/${type} vmid=${input.vmid} ${type === "qemu" ? "archive" : "ostemplate"}=${input.archive} restore=1${existing ? " force=1" : ""}`,
        "wait for the task",
        "re-check the guest",
      ],
      warnings: existing ? [`The current disks and configuration of ${input.vmid} are replaced by the backup's.`] : [],
      allowTargets: [
        existing ? { vmid: existing.vmid, node: existing.node, pool: existing.pool, tags: existing.tags } : { vmid: input.vmid, node },
      ],
      node,
      type,
      exists: Boolean(existing),
    };
    // the endpoint rules decide the tier: force=1 (over an existing guest) is destructive, as through `api`;
    // the target rules add the backup's own guest and the storages
    applyAssessment(plan, await assessRequest(ctx, "POST", `/nodes/{node}/${type}`, restoreParams(input, plan)));
    return plan;
  },
  async execute(ctx, input, plan) {
    const upid = String(await ctx.client.request("POST", `/nodes/{node}/${plan.type}`, restoreParams(input, plan)));
    const outcome = await runTask(ctx, upid);
    return {
      status: outcome.waited ? "done" : "started",
      summary: outcome.waited
        ? `Restored ${input.archive} to ${plan.type}/${input.vmid} on ${plan.node}.`
        : `Restore to ${input.vmid} started (not waited for).`,
      changes: outcome.waited ? [`${plan.type}/${input.vmid}: ${plan.exists ? "replaced from backup" : "created from backup"}`] : [],
      upid,
      exitstatus: outcome.exitstatus,
      warnings: taskWarnings(outcome),
    };
  },
});

/** The create request a restore sends (qemu: archive=; lxc: ostemplate= with restore=1). */
function restoreParams(input: { archive: string; vmid: number; storage?: string; start?: boolean }, plan: RestorePlan): Record<string, unknown> {
  const params: Record<string, unknown> = {
    node: plan.node,
    vmid: input.vmid,
    storage: input.storage,
    force: plan.exists ? 1 : undefined,
    start: input.start ? 1 : undefined,
  };
  if (plan.type === "qemu") params.archive = input.archive;
  else Object.assign(params, { ostemplate: input.archive, restore: 1 });
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
}

/** The node to use when none is given: only possible when the cluster has one online node. */
export async function singleNode(ctx: OperationContext): Promise<string> {
  const rows = (await ctx.client.request("GET", "/nodes")) as { node?: string; status?: string }[];
  const online = rows.filter((n) => n.status === undefined || n.status === "online").map((n) => String(n.node));
  if (online.length === 1) return online[0]!;
  throw new SkillUsageError(`The cluster has several nodes (${online.sort().join(", ")}); pass --node to choose one.`);
}
