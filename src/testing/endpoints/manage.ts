import { configDigest, guestVolumes } from "../guest-view";
import { fail, paramError } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import { diskSizeOf, formatSize, parseSize } from "../size";
import type { GuestType } from "../state-types";
import { checkLock } from "../task-table";
import { type Endpoint, GUEST_TYPES, noun, on } from "./endpoint";

function migrate(ctx: SimContext, type: GuestType): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Migrate"]);
  const targetName = ctx.req("target");
  if (targetName === g.node) throw paramError({ target: "target is local node." });
  const target = ctx.state.nodes.find((n) => n.name === targetName);
  if (!target) throw fail(`no such cluster node '${targetName}'`);
  if (!target.online) throw fail(`target node '${targetName}' is not online`);
  const running = g.status === "running";
  if (running && type === "qemu" && !ctx.bool("online")) throw fail("can't migrate running VM without --online");
  if (running && type === "lxc") {
    if (ctx.bool("online")) throw fail("lxc live migration is currently not implemented");
    if (!ctx.bool("restart")) throw fail("running container can only be migrated in restart mode");
  }
  return ctx.task({
    type: type === "qemu" ? "qmigrate" : "vzmigrate",
    id: String(g.vmid),
    durationMs: running ? 20_000 : 8000,
    check: () => checkLock(g),
    lock: { guest: g, name: "migrate" },
    startLog: [`starting migration of ${noun(type)} ${g.vmid} to node '${targetName}' (${target.ip})`],
    run: (log) => {
      g.node = targetName;
      log.info(`migration finished successfully`);
    },
  });
}

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
      for (const d of guestVolumes(g)) log.info(`Removing image: 100% complete...done. (${d.volid})`);
      ctx.state.guests.delete(g.vmid);
    },
  });
}

function resize(ctx: SimContext, type: GuestType): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Config.Disk"]);
  const digest = ctx.str("digest");
  if (digest !== undefined && digest !== configDigest(g.config)) throw fail("detected modified configuration - file changed by other user? Try again.");
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
      if (next < current) throw new Error("shrinking disks is not supported");
      const size = formatSize(next);
      g.config[disk] = /(^|,)size=/.test(value) ? value.replace(/(^|,)size=[^,]*/, `$1size=${size}`) : `${value},size=${size}`;
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
    for (const d of guestVolumes(g)) g.config[d.key] = String(g.config[d.key]).replace(`:vm-${g.vmid}-`, `:base-${g.vmid}-`);
    g.config.template = 1;
  };
  return ctx.task({ type: "qmtemplate", id: String(g.vmid), durationMs: 2000, check: () => checkLock(g), run: convert });
}

export const manageEndpoints: Endpoint[] = GUEST_TYPES.flatMap((type) => [
  on(`POST /nodes/{node}/${type}/{vmid}/migrate`, (ctx) => migrate(ctx, type)),
  on(`DELETE /nodes/{node}/${type}/{vmid}`, (ctx) => destroy(ctx, type)),
  on(`PUT /nodes/{node}/${type}/{vmid}/resize`, (ctx) => resize(ctx, type)),
  on(`POST /nodes/{node}/${type}/{vmid}/template`, (ctx) => template(ctx, type)),
]);
