import * as z from "zod";
import { SkillUsageError } from "../errors";
import { guestNoun, guestPath, listGuestResources } from "./guest-locator";
import { planForGuest } from "./guest-plan";
import { nodeName, storageId, vmid } from "./inputs";
import { defineMutation, type GuestRef, type OperationContext } from "./operation";
import { applyAssessment, assessRequest } from "./request-policy";
import { runTask, taskWarnings } from "./task-runner";
import { requireNode } from "./node-list";
import { about } from "./catalog";

/** How often `--newid auto` picks a fresh VMID when the one it got was taken meanwhile. */
const CLONE_ATTEMPTS = 3;

/**
 * The next free VMID: from `/cluster/nextid`, or — when a VMID allow-list is set — the lowest
 * allowed VMID not in use, so `auto` stays inside the allow-list.
 */
export async function nextVmid(ctx: OperationContext, skip: ReadonlySet<number> = new Set()): Promise<number> {
  const ranges = ctx.settings.allow.vmids;
  if (!ranges) {
    const id = Number(await ctx.client.request("GET", "/cluster/nextid"));
    return skip.has(id) ? Math.max(...skip) + 1 : id;
  }
  const used = new Set((await listGuestResources(ctx)).map((r) => Number(r.vmid)));
  for (const r of [...ranges].sort((a, b) => a.from - b.from)) {
    for (let id = Math.max(r.from, 100); id <= r.to; id++) if (!used.has(id) && !skip.has(id)) return id;
  }
  throw new SkillUsageError("No free VMID is left inside the allowed VMIDs (PROXMOX_ALLOWED_VMIDS).");
}

/** True for PVE's "VMID already in use" answers. */
export function isVmidTaken(err: unknown): boolean {
  if ((err as { code?: unknown } | null)?.code === "PVE_ERR_ALREADY_EXISTS") return true;
  const msg = err instanceof Error ? `${err.message} ${String((err as { reason?: unknown }).reason ?? "")}` : String(err);
  return /already exists|already in use|config file already exists/i.test(msg);
}

export const newIdInput = () =>
  z.union([z.literal("auto"), z.coerce.number().int().min(100).max(999_999_999)]).describe("New VMID, or auto for the next free one");

export const cloneOp = defineMutation({
  kind: "mutation",
  ...about("clone"),
  input: z.object({
    vmid: vmid().describe("VMID of the source VM, container or template"),
    newid: newIdInput().default("auto"),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, "a DNS name")
      .max(63)
      .describe("Name (VM) or hostname (container) of the clone")
      .optional(),
    full: z.boolean().optional().describe("Full copy instead of a linked clone (linked clones need a template)"),
    target: nodeName("Node to create the clone on").optional(),
    storage: storageId("Target storage for full clones").optional(),
    pool: z.string().describe("Add the clone to this pool").optional(),
    snapname: z.string().describe("Clone from this snapshot").optional(),
  }),
  async plan(ctx, input) {
    const plan = await planForGuest(ctx, input.vmid, "reversible", (g, state) => ({
      summary: `Clone ${g.template ? "template" : guestNoun(g)} ${g.vmid}${g.name ? ` (${g.name})` : ""} on ${g.node} to ${input.newid === "auto" ? "the next free VMID" : `VMID ${input.newid}`}${input.name ? ` named ${input.name}` : ""}, source currently ${state}`,
    }));
    const g = plan.guest;
    if (input.newid !== "auto") {
      const taken = (await listGuestResources(ctx)).some((r) => Number(r.vmid) === input.newid);
      if (taken) throw new SkillUsageError(`VMID ${input.newid} is already in use; choose another or use --newid auto.`);
    }
    const newid = input.newid === "auto" ? await nextVmid(ctx) : input.newid;
    if (input.target) await requireNode(ctx, input.target);
    // the new guest (with the clone's node and pool), a target node and storage, through the same rules as `api`
    applyAssessment(plan, await assessRequest(ctx, "POST", guestPath(g, "/clone")[0], cloneParams(g, input, newid)));
    plan.allowTargets.push({ vmid: newid, node: input.target ?? g.node, pool: input.pool, tags: g.tags });
    plan.steps.push(
      `POST ${guestPath(g, "/clone")[0]} newid=${newid}${input.full ? " full=1" : ""}`,
      "wait for the task",
      "check the new guest",
    );
    if (!g.template && !input.full && g.type === "qemu") plan.warnings.push("The source is not a template: PVE makes a full clone.");
    return { ...plan, newid };
  },
  async execute(ctx, input, plan) {
    const g = plan.guest;
    const [path, pp] = guestPath(g, "/clone");
    let newid = plan.newid;
    const tried = new Set<number>();
    let upid = "";
    for (let attempt = 1; ; attempt++) {
      try {
        upid = String(await ctx.client.request("POST", path, { ...pp, ...cloneParams(g, input, newid) }));
        break;
      } catch (err) {
        if (input.newid !== "auto" || attempt >= CLONE_ATTEMPTS || !isVmidTaken(err)) throw err;
        ctx.progress(`VMID ${newid} was taken meanwhile; trying the next free one`);
        tried.add(newid);
        newid = await nextVmid(ctx, tried);
        ctx.assertAllowed({ vmid: newid, node: input.target ?? g.node, pool: input.pool, tags: g.tags });
      }
    }
    const outcome = await runTask(ctx, upid);
    const created = outcome.waited ? (await listGuestResources(ctx)).find((r) => Number(r.vmid) === newid) : undefined;
    return {
      status: outcome.waited ? "done" : "started",
      summary: outcome.waited
        ? `Cloned ${g.vmid} to ${String(created?.type ?? g.type)}/${newid}${created?.name ? ` (${String(created.name)})` : ""} on ${String(created?.node ?? input.target ?? g.node)}.`
        : `Clone of ${g.vmid} to ${newid} started (not waited for).`,
      changes: outcome.waited ? [`${g.type}/${newid}: created (${created?.status ?? "stopped"})`] : [],
      upid,
      exitstatus: outcome.exitstatus,
      warnings: taskWarnings(outcome),
      data: { newid },
    };
  },
});

/** The clone request's parameters (path parameters included). */
function cloneParams(
  g: GuestRef,
  input: { name?: string; full?: boolean; target?: string; storage?: string; pool?: string; snapname?: string },
  newid: number,
): Record<string, unknown> {
  const params: Record<string, unknown> = {
    node: g.node,
    vmid: g.vmid,
    newid,
    [g.type === "qemu" ? "name" : "hostname"]: input.name,
    full: input.full ? 1 : undefined,
    target: input.target,
    storage: input.storage,
    pool: input.pool,
    snapname: input.snapname,
  };
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
}
