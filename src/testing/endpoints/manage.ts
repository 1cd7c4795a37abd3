import { addUnused, formatOf, isManagedVolume, volidOf } from "../guest-config/canonical";
import { guestDigest } from "../guest-config/config-file";
import { parsePve, printPve } from "../guest-config/property-string";
import { checkImageContent, checkStorageOnNode, findStorage, forgetImage, nextVolid, recordImageSize, referencedVolids, volumeSize } from "../guest-config/volumes";
import { guestVolumes } from "../guest-view";
import { fail, paramError } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import { diskSizeOf, formatSize, parseSize } from "../size";
import type { GuestState, GuestType } from "../state-types";
import { checkLock } from "../task-table";
import { driveMirrorProgress, qemuImgProgress } from "../task-progress";
import { type Endpoint, GUEST_TYPES, noun, on } from "./endpoint";
import { migrate } from "./migrate";

function destroy(ctx: SimContext, type: GuestType): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Allocate"]);
  if (g.config.protection) throw fail(`can't remove ${noun(type)} ${g.vmid} - protection mode enabled`);
  if (g.status === "running") {
    if (type === "qemu") throw fail(`VM ${g.vmid} is running - destroy failed`);
    if (!ctx.bool("force")) throw fail(`unable to destroy CT ${g.vmid} - container is running`);
  }
  return ctx.task({
    type: type === "qemu" ? "qmdestroy" : "vzdestroy",
    id: String(g.vmid),
    durationMs: 3000,
    check: () => {
      if (!(ctx.bool("skiplock") && ctx.auth.userid === "root@pam")) checkLock(g);
    },
    lock: { guest: g, name: "destroyed" },
    run: (log) => {
      for (const volid of referencedVolids(g)) {
        log.info(`Removing image: 100% complete...done. (${volid})`);
        forgetImage(ctx.state, volid);
      }
      ctx.state.guests.delete(g.vmid);
    },
  });
}

function resize(ctx: SimContext, type: GuestType): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Config.Disk"]);
  const digest = ctx.str("digest");
  // qemu-server Qemu.pm resize_vm: "checksum mismatch"; pve-container LXC.pm resize_vm: PVE::Tools::assert_if_modified
  if (digest !== undefined && digest !== guestDigest(g)) {
    throw fail(type === "qemu" ? "checksum mismatch (file change by other user?)" : "detected modified configuration - file changed by other user? Try again.");
  }
  const disk = ctx.req("disk");
  const sizeText = ctx.req("size");
  const m = /^(\+)?(\d+(?:\.\d+)?[KMGT]?)$/.exec(sizeText);
  if (!m) throw paramError({ size: "value does not match the regex pattern" });
  return ctx.task({
    type: "resize",
    id: String(g.vmid),
    durationMs: 1000,
    check: () => {
      if (!(ctx.bool("skiplock") && ctx.auth.userid === "root@pam")) checkLock(g);
      if (g.config[disk] === undefined) throw new Error(`disk '${disk}' does not exist`);
    },
    run: (log) => {
      const value = String(g.config[disk]);
      if (/media=cdrom/.test(value)) throw new Error("you can't resize a cdrom");
      const current = diskSizeOf(value);
      const amount = parseSize(m[2] as string) ?? 0;
      const next = m[1] ? current + amount : amount;
      if (next < current) throw new Error(type === "qemu" ? "shrinking disks is not supported" : "unable to shrink disk size");
      const size = formatSize(next);
      g.config[disk] = /(^|,)size=/.test(value) ? value.replace(/(^|,)size=[^,]*/, `$1size=${size}`) : `${value},size=${size}`;
      recordImageSize(ctx.state, volidOf(value), next);
      log.info(`Size of logical volume changed from ${formatSize(current)} to ${size}.`);
    },
  });
}

function template(ctx: SimContext, type: GuestType): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Allocate"]);
  if (g.config.template) throw fail(`you can't convert a template to a template`);
  if (g.status === "running") {
    throw fail(type === "qemu" ? "you can't convert a VM to template if VM is running" : "you can't convert a CT to template if the CT is running");
  }
  const convert = () => {
    checkLock(g);
    // pve-storage vdisk_create_base: vm-<id>-disk-<n> becomes base-<id>-disk-<n>
    for (const d of guestVolumes(g)) g.config[d.key] = String(g.config[d.key]).replace(new RegExp(`\\bvm-${g.vmid}-disk-`, "g"), `base-${g.vmid}-disk-`);
    g.config.template = 1;
  };
  return ctx.task({ type: "qmtemplate", id: String(g.vmid), durationMs: 2000, check: () => checkLock(g), run: convert });
}

/**
 * Moves a disk to another storage (qemu-server Qemu.pm move_vm_disk, pve-container LXC.pm move_volume):
 * a new volume on the target storage; the old one stays as `unusedN` unless `delete=1`.
 */
function moveDisk(ctx: SimContext, type: GuestType): unknown {
  const g = ctx.guest(type);
  const key = ctx.req(type === "qemu" ? "disk" : "volume");
  const storageId = ctx.str("storage");
  ctx.check(`/vms/${g.vmid}`, ["VM.Config.Disk"]);
  if (ctx.str("target-vmid") !== undefined) return reassignDisk(ctx, g, key);
  if (storageId === undefined) throw paramError({ storage: "either set storage or target-vmid" });
  ctx.check(`/storage/${storageId}`, ["Datastore.AllocateSpace"]);
  const storage = findStorage(ctx.state, storageId);
  checkImageContent(storage, type, "storage");
  checkStorageOnNode(storage, g.node);
  const remove = ctx.bool("delete");
  const check = () => {
    checkLock(g);
    const digest = ctx.str("digest");
    if (digest !== undefined && digest !== guestDigest(g)) throw new Error("detected modified configuration - file changed by other user? Try again.");
    const value = g.config[key];
    if (value === undefined) throw new Error(type === "qemu" ? `disk '${key}' does not exist` : `cannot move volume '${key}' - not a valid volume`);
    if (/(^|,)media=cdrom/.test(String(value))) throw new Error("you can't move a cdrom");
    if (type === "lxc" && g.status === "running") throw new Error("cannot move volumes of a running container");
    const format = ctx.str("format");
    if (volidOf(value).startsWith(`${storageId}:`) && !format) throw new Error("you can't move to the same storage with same format");
    if (remove && g.snapshots.some((s) => volidOf(s.config[key]) === volidOf(value))) throw new Error("you can't move a disk with snapshots and delete the source");
  };
  const old = String(g.config[key] ?? "");
  const oldVolid = volidOf(old);
  const running = type === "qemu" && g.status === "running";
  const bytes = volumeSize(ctx.state, oldVolid, g.node) ?? diskSizeOf(old);
  let volid = "";
  return ctx.task({
    type: type === "qemu" ? "qmmove" : "move_volume",
    id: String(g.vmid),
    durationMs: 10_000,
    check,
    ...(type === "lxc" ? { lock: { guest: g, name: "disk" } } : {}),
    startLog: [`copying volume '${oldVolid}' from current storage '${oldVolid.split(":")[0]}' to target storage '${storageId}'`],
    stages: [
      {
        durationMs: 10_000,
        // qemu-server Qemu.pm move_vm_disk copies through clone_disk (QemuServer.pm): qemu-img convert for a
        // stopped VM, a drive mirror completed onto the new volume for a running one (BlockJob.pm)
        begin: (log) => {
          volid = nextVolid(storage, g.vmid, referencedVolids(g), { format: ctx.str("format") });
          recordImageSize(ctx.state, volid, bytes);
          if (type !== "qemu") return;
          log.info(`create full clone of drive ${key} (${oldVolid})`);
          if (storage.type === "lvm" || storage.type === "lvmthin") log.info(`  Logical volume "${volid.split(":")[1]}" created.`);
          log.info(`allocated target volume '${volid}'`);
        },
        ...(type === "qemu" ? { progress: running ? driveMirrorProgress(key, bytes) : qemuImgProgress(bytes) } : {}),
        end: (log) => {
          if (running) {
            log.info(`drive-${key}: Completing block job...`);
            log.info(`drive-${key}: Completed successfully.`);
            log.info(`drive-${key}: mirror-job finished`);
          }
          const value = String(g.config[key]);
          const fmt = formatOf(type, key);
          const d = fmt ? parsePve(fmt, value) : {};
          if (type === "qemu") d.file = volid;
          else d.volume = volid;
          d.size = String(bytes);
          delete d.format;
          g.config[key] = fmt ? printPve(fmt, d) : `${volid},size=${formatSize(bytes)}`;
          if (remove) {
            forgetImage(ctx.state, oldVolid);
            log.info(`removing source volume '${oldVolid}' after successful copy`);
          } else if (isManagedVolume(key, value)) {
            const unused = addUnused(g.config, key, value, ctx.state);
            if (type === "qemu" && unused) log.info(`adding source volume '${oldVolid}' as '${unused}' to config`);
          }
        },
        failed: () => forgetImage(ctx.state, volid), // Qemu.pm: the new volume is freed when the copy failed
      },
    ],
    run: () => {},
  });
}

/** `target-vmid`: hands the volume to another guest on the same node (renamed to the new owner). */
function reassignDisk(ctx: SimContext, g: GuestState, key: string): unknown {
  const targetVmid = Number(ctx.req("target-vmid"));
  const target = ctx.state.guests.get(targetVmid);
  if (!target) throw fail(`could not find target VM ${targetVmid}`);
  if (target.node !== g.node) throw fail(`Both VMs need to be on the same node (${g.node} != ${target.node})`);
  if (g.config.template || target.config.template) throw fail("Can't move disks from or to template VMs");
  ctx.check(`/vms/${targetVmid}`, ["VM.Config.Disk"]);
  const targetKey = ctx.str(g.type === "qemu" ? "target-disk" : "target-volume") ?? key;
  const value = g.config[key];
  if (value === undefined) throw fail(`Disk '${key}' for VM '${g.vmid}' does not exist`);
  if (target.config[targetKey] !== undefined) throw fail(`Target disk key '${targetKey}' is already in use for VM '${targetVmid}'`);
  if (/(^|,)media=cdrom/.test(String(value))) throw fail("CD drive contents can't be moved to another VM");
  if (g.status === "running" && !key.startsWith("unused")) throw fail("Cannot move disk to another VM while the source VM is running - detach first");
  return ctx.task({
    type: g.type === "qemu" ? "qmmove" : "move_volume",
    id: String(g.vmid),
    durationMs: 1000,
    run: (log) => {
      const oldVolid = volidOf(value);
      const storage = findStorage(ctx.state, oldVolid.split(":")[0] as string);
      const volid = nextVolid(storage, targetVmid, referencedVolids(target));
      const bytes = volumeSize(ctx.state, oldVolid, g.node) ?? diskSizeOf(value);
      forgetImage(ctx.state, oldVolid);
      recordImageSize(ctx.state, volid, bytes);
      log.info(`renamed volume '${oldVolid}' to '${volid}'`);
      delete g.config[key];
      target.config[targetKey] = String(value).replace(oldVolid, volid);
    },
  });
}

export const manageEndpoints: Endpoint[] = GUEST_TYPES.flatMap((type) => [
  on(`POST /nodes/{node}/${type}/{vmid}/migrate`, (ctx) => migrate(ctx, type)),
  on(`DELETE /nodes/{node}/${type}/{vmid}`, (ctx) => destroy(ctx, type)),
  on(`PUT /nodes/{node}/${type}/{vmid}/resize`, (ctx) => resize(ctx, type)),
  on(`POST /nodes/{node}/${type}/{vmid}/template`, (ctx) => template(ctx, type)),
  on(type === "qemu" ? "POST /nodes/{node}/qemu/{vmid}/move_disk" : "POST /nodes/{node}/lxc/{vmid}/move_volume", (ctx) => moveDisk(ctx, type)),
]);
