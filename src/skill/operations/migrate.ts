import * as z from "zod";
import { NotFoundError, PreconditionError } from "../errors";
import { guestNoun, guestPath, locateGuest } from "./guest-locator";
import { planForGuest } from "./guest-plan";
import { nodeName, vmid } from "./inputs";
import { defineMutation } from "./operation";
import { runTask, taskWarnings } from "./task-runner";
import { about } from "./catalog";

export const migrateOp = defineMutation({
  kind: "mutation",
  ...about("migrate"),
  input: z.object({
    vmid: vmid(),
    target: nodeName("Target node"),
    online: z.boolean().optional().describe("Live-migrate a running VM (default when it runs)"),
    restart: z.boolean().optional().describe("Restart-migrate a running container"),
    withLocalDisks: z.boolean().optional().describe("Also migrate local disks (VMs)"),
  }),
  async plan(ctx, input) {
    const plan = await planForGuest(ctx, input.vmid, "destructive", (g, state) => {
      if (g.node === input.target)
        return { summary: `${g.vmid} is already on ${g.node}`, noop: `${guestNoun(g)} ${g.vmid} is already on ${g.node}` };
      if (g.type === "lxc" && state === "running" && !input.restart) {
        throw new PreconditionError(
          `Container ${g.vmid} is running; containers cannot live-migrate. Pass --restart to stop, move and start it.`,
        );
      }
      return {
        summary: `Migrate ${guestNoun(g)} ${g.vmid}${g.name ? ` (${g.name})` : ""} from ${g.node} to ${input.target}${state === "running" ? (g.type === "qemu" ? " (online)" : " (restart)") : ""}, currently ${state}`,
        warnings:
          state === "running" && g.type === "lxc" ? ["The container is stopped during the move and started again on the target."] : [],
      };
    });
    const nodes = (await ctx.client.request("GET", "/nodes")) as { node?: string; status?: string }[];
    const target = nodes.find((n) => n.node === input.target);
    if (!target) throw new NotFoundError("node", `There is no node "${input.target}" in the cluster (nodes: ${nodes.map((n) => n.node).join(", ")}).`);
    if (target.status && target.status !== "online") throw new PreconditionError(`Node ${input.target} is ${target.status}.`);
    plan.allowTargets.push({ node: input.target });
    plan.steps.push(`POST ${guestPath(plan.guest, "/migrate")[0]} target=${input.target}`, "wait for the task", "re-locate the guest");
    return plan;
  },
  async execute(ctx, input, plan) {
    const g = plan.guest;
    const running = plan.before === "running";
    const [path, pp] = guestPath(g, "/migrate");
    const extra =
      g.type === "qemu"
        ? { online: (input.online ?? running) ? 1 : undefined, "with-local-disks": input.withLocalDisks ? 1 : undefined }
        : { restart: input.restart && running ? 1 : undefined };
    const upid = String(await ctx.client.request("POST", path, { ...pp, target: input.target, ...extra }));
    const outcome = await runTask(ctx, upid);
    const after = outcome.waited ? await locateGuest(ctx, g.vmid) : undefined;
    return {
      status: outcome.waited ? "done" : "started",
      summary: after
        ? `${guestNoun(g)} ${g.vmid} is now on ${after.node} (${after.status ?? "unknown"}).`
        : `Migration of ${g.vmid} started (not waited for).`,
      changes: after ? [`node: ${g.node} → ${after.node}`, `status: ${plan.before} → ${after.status ?? "unknown"}`] : [],
      upid,
      exitstatus: outcome.exitstatus,
      warnings: taskWarnings(outcome),
    };
  },
});
