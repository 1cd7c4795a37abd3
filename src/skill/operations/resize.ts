import * as z from "zod";
import { NotFoundError, PreconditionError, SkillUsageError } from "../errors";
import { formatBytes } from "../format/values";
import { diskSizeOf, IN_GUEST_RESIZE_STEPS, parseSizeRequest } from "./disk-size";
import { guestNoun, guestPath } from "./guest-locator";
import { planForGuest } from "./guest-plan";
import { vmid } from "./inputs";
import { defineMutation } from "./operation";
import { isUpid, runTask, taskWarnings } from "./task-runner";
import { about } from "./catalog";

type Row = Record<string, unknown>;

export const resizeOp = defineMutation({
  kind: "mutation",
  ...about("resize"),
  input: z.object({
    vmid: vmid(),
    disk: z
      .string()
      .regex(/^(scsi|virtio|sata|ide|efidisk|tpmstate|rootfs|mp|unused)\d*$/, "a disk name (scsi0, virtio0, rootfs, mp0…)")
      .describe("Disk name: scsi0, virtio0, sata0, rootfs, mp0…"),
    size: z.string().describe("New size (32G) or growth (+10G)"),
  }),
  async plan(ctx, input) {
    const req = parseSizeRequest(input.size);
    const plan = await planForGuest(ctx, input.vmid, "destructive", (g, state) => ({
      summary: `Resize disk ${input.disk} of ${guestNoun(g)} ${g.vmid}${g.name ? ` (${g.name})` : ""} on ${g.node} to ${req.text}, currently ${state}`,
    }));
    const g = plan.guest;
    const config = (await ctx.client.request("GET", ...guestPath(g, "/config"))) as Row;
    const option = config[input.disk];
    if (typeof option !== "string") {
      const disks = Object.keys(config).filter(
        (k) =>
          /^(scsi|virtio|sata|ide|rootfs|mp)\d*$/.test(k) && typeof config[k] === "string" && !String(config[k]).includes("media=cdrom"),
      );
      throw new NotFoundError("disk", `${guestNoun(g)} ${g.vmid} has no disk ${input.disk} (disks: ${disks.join(", ") || "none"}).`);
    }
    const current = diskSizeOf(option);
    if (current === undefined) throw new PreconditionError(`Cannot read the current size of ${input.disk} ("${option}").`);
    const targetBytes = req.relative ? current + req.bytes : req.bytes;
    if (targetBytes < current) {
      throw new SkillUsageError(
        `Refusing to shrink ${input.disk} of ${g.vmid} from ${formatBytes(current)} to ${formatBytes(targetBytes)}: PVE disks can only grow.`,
      );
    }
    if (targetBytes === current) plan.noop = `${input.disk} of ${g.vmid} is already ${formatBytes(current)}`;
    plan.steps.push(
      `PUT ${guestPath(g, "/resize")[0]} disk=${input.disk} size=${req.text} (with the config digest)`,
      "wait for the task",
      "re-read the disk size",
    );
    plan.warnings.push(`${input.disk} grows from ${formatBytes(current)} to ${formatBytes(targetBytes)}; disks cannot be shrunk again.`);
    return {
      ...plan,
      currentBytes: current,
      targetBytes,
      digest: typeof config.digest === "string" ? config.digest : undefined,
      sizeText: req.text,
    };
  },
  async execute(ctx, input, plan) {
    const g = plan.guest;
    const [path, pp] = guestPath(g, "/resize");
    const result = await ctx.client.request("PUT", path, { ...pp, disk: input.disk, size: plan.sizeText, digest: plan.digest });
    const outcome = isUpid(result) ? await runTask(ctx, result) : undefined;
    const config = (await ctx.client.request("GET", ...guestPath(g, "/config"))) as Row;
    const now = typeof config[input.disk] === "string" ? diskSizeOf(String(config[input.disk])) : undefined;
    return {
      status: outcome && !outcome.waited ? "started" : "done",
      summary: `Disk ${input.disk} of ${guestNoun(g)} ${g.vmid} is now ${formatBytes(now ?? plan.targetBytes)}.`,
      changes: [`${input.disk}: ${formatBytes(plan.currentBytes)} → ${formatBytes(now ?? plan.targetBytes)}`],
      upid: outcome?.upid,
      exitstatus: outcome?.exitstatus,
      warnings: outcome ? taskWarnings(outcome) : [],
      notes:
        g.type === "qemu"
          ? [...IN_GUEST_RESIZE_STEPS]
          : ["PVE grows the container's filesystem itself; nothing to do inside the container."],
    };
  },
});
