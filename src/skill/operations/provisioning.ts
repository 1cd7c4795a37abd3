import * as z from "zod";
import { PreconditionError, SkillUsageError } from "../errors";
import { splitListValue } from "../policy/allow-list";
import { singleNode } from "./backup";
import { requireNode } from "./node-list";
import { isVmidTaken, newIdInput, nextVmid } from "./clone";
import { guestNoun, guestPath, listGuestResources, toGuestRef } from "./guest-locator";
import { planForGuest } from "./guest-plan";
import { nodeName, passThrough } from "./inputs";
import { defineMutation, type MutationOperation, type OperationContext, type Plan } from "./operation";
import { redactParams } from "../policy/redact";
import { applyAssessment, assessRequest, validateRequest } from "./request-policy";
import { isUpid, runTask, taskWarnings, type TaskOutcome } from "./task-runner";
import { vmid } from "./inputs";
import { routes } from "../../generated/routes";
import { coerceParams } from "../route-lookup";
import { about } from "./catalog";

interface CreatePlan extends Plan {
  node: string;
  vmid: number;
}

/** `create-vm` / `create-ct`: POST /nodes/{node}/qemu|lxc with the given options. */
function createOperation(type: "qemu" | "lxc"): MutationOperation {
  const noun = type === "qemu" ? "VM" : "container";
  const base = {
    vmid: newIdInput(),
    node: nodeName("Node to create it on (default: the only node)").optional(),
    params: passThrough(
      type === "qemu"
        ? "VM options as key=value (name, memory, cores, net0, scsi0, ostype, …), passed to POST /nodes/{node}/qemu"
        : "Container options as key=value (hostname, memory, rootfs, net0, password, …), passed to POST /nodes/{node}/lxc",
    ).default({}),
  };
  const input =
    type === "lxc"
      ? z.object({
          ...base,
          template: z.string().min(3).describe("OS template volume, e.g. local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"),
        })
      : z.object(base);
  return defineMutation({
    kind: "mutation",
    ...about(type === "qemu" ? "create-vm" : "create-ct"),
    input,
    async plan(ctx, args): Promise<CreatePlan> {
      const params = args.params as Record<string, unknown>;
      for (const key of ["vmid", "node", "ostemplate"])
        if (key in params)
          throw new SkillUsageError(
            `Pass ${key} as ${key === "ostemplate" ? "--template" : key === "node" ? "--node" : "the first argument"}, not as key=value.`,
          );
      const node = args.node ? await requireNode(ctx, args.node) : await singleNode(ctx);
      let id: number;
      if (args.vmid === "auto") id = await nextVmid(ctx);
      else {
        id = args.vmid;
        if ((await listGuestResources(ctx)).some((r) => Number(r.vmid) === id)) throw new SkillUsageError(`VMID ${id} is already in use.`);
      }
      // a password or ssh key given as key=value is never shown in a plan
      const shown = Object.entries(redactParams(params))
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(" ");
      const plan: CreatePlan = {
        target: `${type}/${id} (new) on ${node}`,
        tier: "reversible",
        summary: `Create ${noun} ${id} on ${node}${"template" in args ? ` from ${String(args.template)}` : ""}`,
        steps: [`POST /nodes/${node}/${type} vmid=${id} ${shown}`.trim(), "wait for the task", "check the new guest"],
        warnings: [],
        allowTargets: [
          { vmid: id, node, pool: params.pool as string | undefined, tags: splitListValue(params.tags as string | undefined) ?? [] },
        ],
        node,
        vmid: id,
      };
      const request = { ...createParams(type, args), node, vmid: id };
      validateRequest("POST", `/nodes/{node}/${type}`, request);
      // force=1 or another guest's disk make it destructive; pool, storages and volumes become targets
      applyAssessment(plan, await assessRequest(ctx, "POST", `/nodes/{node}/${type}`, request));
      return plan;
    },
    async execute(ctx, args, plan) {
      const params = createParams(type, args);
      let id = plan.vmid;
      const tried = new Set<number>();
      let upid = "";
      for (let attempt = 1; ; attempt++) {
        try {
          upid = String(await ctx.client.request("POST", `/nodes/{node}/${type}`, { ...params, node: plan.node, vmid: id }));
          break;
        } catch (err) {
          if (args.vmid !== "auto" || attempt >= 3 || !isVmidTaken(err)) throw err;
          tried.add(id);
          id = await nextVmid(ctx, tried);
          ctx.assertAllowed({ ...plan.allowTargets[0], vmid: id });
        }
      }
      const outcome = await runTask(ctx, upid);
      return {
        status: outcome.waited ? "done" : "started",
        summary: outcome.waited ? `Created ${noun} ${id} on ${plan.node}.` : `Creation of ${noun} ${id} started (not waited for).`,
        changes: outcome.waited ? [`${type}/${id}: created`] : [],
        upid,
        exitstatus: outcome.exitstatus,
        warnings: taskWarnings(outcome),
        data: { vmid: id, node: plan.node },
      };
    },
  });
}

/** The create request's parameters, typed by the schema (without node and vmid). */
function createParams(type: "qemu" | "lxc", args: { params?: unknown; template?: unknown }): Record<string, unknown> {
  const meta = routes[`POST /nodes/{node}/${type}` as keyof typeof routes];
  return {
    ...coerceParams(meta, (args.params ?? {}) as Record<string, unknown>),
    ...(type === "lxc" ? { ostemplate: args.template } : {}),
  };
}

export const createVmOp = createOperation("qemu");
export const createCtOp = createOperation("lxc");

/** Runs a call that returns a task id on newer PVE versions and nothing on older ones. */
async function maybeTask(ctx: OperationContext, result: unknown): Promise<TaskOutcome | undefined> {
  return isUpid(result) ? runTask(ctx, result) : undefined;
}

export const templateOp = defineMutation({
  kind: "mutation",
  ...about("template"),
  input: z.object({ vmid: vmid() }),
  async plan(ctx, input) {
    const plan = await planForGuest(ctx, input.vmid, "destructive", (g, state) => {
      if (g.template) return { summary: `${g.vmid} is already a template`, noop: `${guestNoun(g)} ${g.vmid} is already a template` };
      if (state !== "stopped")
        throw new PreconditionError(`${guestNoun(g)} ${g.vmid} is ${state}; shut it down before converting it to a template.`);
      return {
        summary: `Convert ${guestNoun(g)} ${g.vmid}${g.name ? ` (${g.name})` : ""} on ${g.node} into a template`,
        steps: [`POST ${guestPath(g, "/template")[0]}`, "re-check the guest"],
        warnings: ["A template cannot be started or converted back; clone it to get a runnable guest."],
      };
    });
    return plan;
  },
  async execute(ctx, _input, plan) {
    const g = plan.guest;
    const outcome = await maybeTask(ctx, await ctx.client.request("POST", ...guestPath(g, "/template")));
    const row = (await listGuestResources(ctx)).find((r) => Number(r.vmid) === g.vmid);
    const isTemplate = row ? toGuestRef(row).template : false;
    return {
      status: outcome && !outcome.waited ? "started" : "done",
      summary: isTemplate ? `${guestNoun(g)} ${g.vmid} is now a template.` : `Conversion of ${g.vmid} to a template requested.`,
      changes: isTemplate ? ["template: no → yes"] : [],
      upid: outcome?.upid,
      exitstatus: outcome?.exitstatus,
      warnings: outcome ? taskWarnings(outcome) : [],
    };
  },
});

export const deleteOp = defineMutation({
  kind: "mutation",
  ...about("delete"),
  input: z.object({
    vmid: vmid(),
    purge: z.boolean().optional().describe("Also remove it from backup jobs, replication and HA"),
  }),
  async plan(ctx, input) {
    return planForGuest(ctx, input.vmid, "destructive", (g, state) => {
      if (state !== "stopped")
        throw new PreconditionError(`${guestNoun(g)} ${g.vmid} is ${state}; shut it down (or stop it) before deleting it.`);
      return {
        summary: `DELETE ${g.template ? "template" : guestNoun(g)} ${g.vmid}${g.name ? ` (${g.name})` : ""} on ${g.node} and all its disks`,
        steps: [`DELETE ${guestPath(g)[0]}${input.purge ? " purge=1" : ""}`, "wait for the task", "check that it is gone"],
        warnings: [`${guestNoun(g)} ${g.vmid}, its configuration and its disks are destroyed; only backups remain.`],
      };
    });
  },
  async execute(ctx, input, plan) {
    const g = plan.guest;
    const upid = String(await ctx.client.request("DELETE", ...withParams(guestPath(g), { purge: input.purge ? 1 : undefined })));
    const outcome = await runTask(ctx, upid);
    const gone = outcome.waited && !(await listGuestResources(ctx)).some((r) => Number(r.vmid) === g.vmid);
    return {
      status: outcome.waited ? "done" : "started",
      summary: gone
        ? `${guestNoun(g)} ${g.vmid} deleted.`
        : `Deletion of ${g.vmid} ${outcome.waited ? "finished" : "started (not waited for)"}.`,
      changes: gone ? [`${g.type}/${g.vmid}: deleted`] : [],
      upid,
      exitstatus: outcome.exitstatus,
      warnings: taskWarnings(outcome),
    };
  },
});

/** Adds parameters to a `[path, pathParams]` pair. */
export function withParams(p: [string, Record<string, unknown>], extra: Record<string, unknown>): [string, Record<string, unknown>] {
  return [p[0], { ...p[1], ...extra }];
}
