import * as z from "zod";
import { NotFoundError, PreconditionError, SkillUsageError } from "../errors";
import { formatTime } from "../format/values";
import { guestNoun, guestPath } from "./guest-locator";
import { guestState, planForGuest, stateChange, type GuestPlan } from "./guest-plan";
import { snapName, vmid } from "./inputs";
import { defineMutation, type GuestRef, type OperationContext } from "./operation";
import { SNAPSHOT_NAMING_HELP, snapshotName } from "./snapshot-name";
import { runTask, taskWarnings } from "./task-runner";
import { about } from "./catalog";

interface SnapshotRow {
  name: string;
  parent?: string;
  snaptime?: number;
  vmstate?: number | boolean;
  description?: string;
}

/** Snapshots of a guest, without the `current` pseudo-entry. */
export async function listSnapshots(ctx: OperationContext, g: GuestRef): Promise<SnapshotRow[]> {
  const rows = (await ctx.client.request("GET", ...guestPath(g, "/snapshot"))) as SnapshotRow[];
  return rows.filter((r) => r.name !== "current");
}

export const VMSTATE_WARNING =
  "--vmstate saves the VM's RAM: the VM is frozen while it is written and the heavy I/O can starve other guests on the node. Leave it off for pre-change snapshots.";

interface SnapshotPlan extends GuestPlan {
  snapname: string;
}

export const snapshotOp = defineMutation({
  kind: "mutation",
  ...about("snapshot"),
  input: z.object({
    vmid: vmid(),
    name: snapName("Snapshot name (default: from the naming convention)").optional(),
    change: z.string().max(30).describe("Change/ticket id for the naming convention's {change} / {change_number}").optional(),
    description: z.string().max(8192).describe("Snapshot description").optional(),
    vmstate: z.boolean().optional().describe("Also save the VM's RAM (heavy I/O; VMs only)"),
  }),
  help: SNAPSHOT_NAMING_HELP,
  async plan(ctx, input): Promise<SnapshotPlan> {
    const snapname = input.name ?? snapshotName(ctx.settings.snapshotName, { change: input.change, vmid: input.vmid, now: ctx.now() });
    const plan = await planForGuest(ctx, input.vmid, "reversible", (g, state) => {
      if (input.vmstate && g.type === "lxc")
        throw new SkillUsageError("vmstate is only available for VMs; container snapshots are always disk-only.");
      return {
        summary: `Create snapshot "${snapname}" of ${guestNoun(g)} ${g.vmid} on ${g.node} (${input.vmstate && state === "running" ? "with RAM state" : "disk-only"}), currently ${state}`,
        steps: [
          `POST ${guestPath(g, "/snapshot")[0]} snapname=${snapname}${input.vmstate ? " vmstate=1" : ""}`,
          "wait for the task",
          "re-list snapshots",
        ],
        warnings: input.vmstate ? [VMSTATE_WARNING] : [],
      };
    });
    const existing = await listSnapshots(ctx, plan.guest);
    if (existing.some((s) => s.name === snapname)) {
      throw new SkillUsageError(
        `${guestNoun(plan.guest)} ${plan.guest.vmid} already has a snapshot named "${snapname}"; choose another name.`,
      );
    }
    return { ...plan, snapname };
  },
  async execute(ctx, input, plan) {
    const g = plan.guest;
    const [path, pp] = guestPath(g, "/snapshot");
    const upid = String(
      await ctx.client.request("POST", path, {
        ...pp,
        snapname: plan.snapname,
        description: input.description,
        vmstate: input.vmstate ? 1 : undefined,
      }),
    );
    const outcome = await runTask(ctx, upid);
    const kind = input.vmstate ? "with RAM state" : "disk-only";
    if (!outcome.waited) {
      return {
        status: "started",
        summary: `Snapshot "${plan.snapname}" of ${g.vmid} started (not waited for).`,
        changes: [],
        upid,
        data: { snapname: plan.snapname },
      };
    }
    const found = (await listSnapshots(ctx, g)).find((s) => s.name === plan.snapname);
    if (!found) throw new PreconditionError(`The snapshot task finished but snapshot "${plan.snapname}" is not listed for ${g.vmid}.`);
    return {
      status: "done",
      summary: `Snapshot "${plan.snapname}" of ${guestNoun(g)} ${g.vmid} created (${kind}).`,
      changes: [`snapshot ${plan.snapname}: created (${kind}${found.parent ? `, parent ${found.parent}` : ""})`],
      upid,
      exitstatus: outcome.exitstatus,
      warnings: [...taskWarnings(outcome), ...(input.vmstate ? [VMSTATE_WARNING] : [])],
      data: { snapname: plan.snapname, vmstate: Boolean(input.vmstate) },
    };
  },
});

/** Finds the snapshot or explains which ones exist. */
async function requireSnapshot(ctx: OperationContext, g: GuestRef, name: string): Promise<SnapshotRow> {
  const snaps = await listSnapshots(ctx, g);
  const snap = snaps.find((s) => s.name === name);
  if (!snap) {
    const names = snaps.map((s) => s.name).join(", ") || "none";
    throw new NotFoundError("snapshot", `${guestNoun(g)} ${g.vmid} has no snapshot named "${name}" (snapshots: ${names}).`);
  }
  return snap;
}

export const rollbackOp = defineMutation({
  kind: "mutation",
  ...about("rollback"),
  input: z.object({
    vmid: vmid(),
    name: snapName("The snapshot to roll back to"),
    start: z.boolean().optional().describe("Start the VM after the rollback (VMs only)"),
  }),
  async plan(ctx, input) {
    const plan = await planForGuest(ctx, input.vmid, "destructive", (g, state) => ({
      summary: `Roll back ${guestNoun(g)} ${g.vmid}${g.name ? ` (${g.name})` : ""} on ${g.node} to snapshot "${input.name}", currently ${state}`,
    }));
    const snap = await requireSnapshot(ctx, plan.guest, input.name);
    if (input.start && plan.guest.type === "lxc") throw new SkillUsageError("--start is only available for VMs.");
    plan.steps.push(`POST ${guestPath(plan.guest, `/snapshot/{snapname}/rollback`)[0]}`, "wait for the task", "re-check status");
    plan.warnings.push(
      `All changes to ${guestNoun(plan.guest)} ${plan.guest.vmid} since snapshot "${snap.name}"${snap.snaptime ? ` (${formatTime(snap.snaptime)})` : ""} are lost.`,
    );
    if (!snap.vmstate && plan.before === "running")
      plan.warnings.push("The snapshot has no RAM state: the guest is stopped by the rollback.");
    return plan;
  },
  async execute(ctx, input, plan) {
    const g = plan.guest;
    const [path, pp] = guestPath(g, "/snapshot/{snapname}/rollback");
    const upid = String(await ctx.client.request("POST", path, { ...pp, snapname: input.name, start: input.start ? 1 : undefined }));
    const outcome = await runTask(ctx, upid);
    const after = await guestState(ctx, g);
    return {
      status: outcome.waited ? "done" : "started",
      summary: outcome.waited
        ? `${guestNoun(g)} ${g.vmid} rolled back to "${input.name}"; it is now ${after}.`
        : `Rollback of ${g.vmid} started (not waited for).`,
      changes: [`rolled back to snapshot ${input.name}`, stateChange(plan.before, after)],
      upid,
      exitstatus: outcome.exitstatus,
      warnings: taskWarnings(outcome),
    };
  },
});

export const delsnapshotOp = defineMutation({
  kind: "mutation",
  ...about("delsnapshot"),
  input: z.object({ vmid: vmid(), name: snapName("The snapshot to delete") }),
  async plan(ctx, input) {
    const plan = await planForGuest(ctx, input.vmid, "destructive", (g) => ({
      summary: `Delete snapshot "${input.name}" of ${guestNoun(g)} ${g.vmid}${g.name ? ` (${g.name})` : ""} on ${g.node}`,
    }));
    await requireSnapshot(ctx, plan.guest, input.name);
    plan.steps.push(`DELETE ${guestPath(plan.guest, "/snapshot/{snapname}")[0]}`, "wait for the task", "re-list snapshots");
    plan.warnings.push(`Snapshot "${input.name}" cannot be restored afterwards.`);
    return plan;
  },
  async execute(ctx, input, plan) {
    const g = plan.guest;
    const [path, pp] = guestPath(g, "/snapshot/{snapname}");
    const upid = String(await ctx.client.request("DELETE", path, { ...pp, snapname: input.name }));
    const outcome = await runTask(ctx, upid);
    const still = outcome.waited && (await listSnapshots(ctx, g)).some((s) => s.name === input.name);
    if (still) throw new PreconditionError(`The delete task finished but snapshot "${input.name}" is still listed for ${g.vmid}.`);
    return {
      status: outcome.waited ? "done" : "started",
      summary: outcome.waited
        ? `Snapshot "${input.name}" of ${guestNoun(g)} ${g.vmid} deleted.`
        : `Deletion of snapshot "${input.name}" started (not waited for).`,
      changes: outcome.waited ? [`snapshot ${input.name}: deleted`] : [],
      upid,
      exitstatus: outcome.exitstatus,
      warnings: taskWarnings(outcome),
    };
  },
});
