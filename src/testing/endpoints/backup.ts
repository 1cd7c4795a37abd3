import { fail } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import type { GuestConfig, GuestState } from "../state-types";
import { checkLock } from "../task-table";
import { type Endpoint, on } from "./endpoint";
import { maxDisk } from "../guest-view";

const stamp = (sec: number): string => new Date(sec * 1000).toISOString().slice(0, 19).replace(/[-T:]/g, "_");

/** The config a backup keeps: without the lock it holds while being backed up, nor its snapshot parent. */
function backedUpConfig(g: GuestState): GuestConfig {
  const { lock: _l, parent: _p, ...config } = g.config;
  return config;
}

/** `POST /nodes/{node}/vzdump`: one task backing up the selected guests of this node into `storage`. */
function vzdump(ctx: SimContext): unknown {
  const node = ctx.node();
  const storageId = ctx.str("storage") ?? "local";
  const storage = ctx.state.storages.find((s) => s.storage === storageId);
  if (!storage) throw fail(`storage '${storageId}' does not exist`);
  if (!storage.content.includes("backup")) throw fail(`storage '${storageId}' does not support backups`);
  ctx.check(`/storage/${storageId}`, ["Datastore.AllocateSpace"]);
  const ids = ctx.bool("all")
    ? [...ctx.state.guests.values()].filter((g) => g.node === node.name).map((g) => g.vmid)
    : (ctx.str("vmid") ?? "").split(/[,; ]+/).filter(Boolean).map(Number);
  if (ids.length === 0) throw fail("no guests selected - use 'vmid' or 'all'");
  const guests: GuestState[] = [];
  const external: number[] = [];
  for (const id of ids) {
    const g = ctx.state.guests.get(id);
    if (!g) throw fail(`unable to find VMID '${id}'`);
    ctx.check(`/vms/${id}`, ["VM.Backup"]);
    if (g.node === node.name) guests.push(g);
    else external.push(id);
  }
  const mode = ctx.str("mode") ?? "snapshot";
  const notesTemplate = ctx.str("notes-template");
  const isProtected = ctx.bool("protected");
  const first = guests[0];
  return ctx.task({
    type: "vzdump",
    id: guests.length === 1 && first ? String(first.vmid) : "",
    durationMs: 10_000 * Math.max(1, guests.length),
    check: () => guests.forEach(checkLock),
    ...(guests.length === 1 && first ? { lock: { guest: first, name: "backup" } } : {}),
    startLog: [
      `INFO: starting new backup job: vzdump ${ids.join(" ")} --storage ${storageId} --mode ${mode}`,
      ...(external.length ? [`INFO: skip external VMs: ${external.join(", ")}`] : []),
    ],
    run: (log) => {
      const end = ctx.world.clock.nowSeconds();
      for (const g of guests) {
        const ext = g.type === "qemu" ? "vma.zst" : "tar.zst";
        const file = `vzdump-${g.type}-${g.vmid}-${stamp(end)}.${ext}`;
        const name = String(g.config.name ?? g.config.hostname ?? g.vmid);
        log.info(`INFO: Starting Backup of VM ${g.vmid} (${g.type})`);
        log.info(`INFO: creating vzdump archive '/var/lib/vz/dump/${file}'`);
        const key = storage.shared ? "*" : node.name;
        (storage.volumes[key] ??= []).push({
          volid: `${storageId}:backup/${file}`,
          content: "backup",
          format: ext,
          size: Math.max(1, Math.round(maxDisk(g) * 0.1)),
          ctime: end,
          vmid: g.vmid,
          ...(notesTemplate ? { notes: notesTemplate.replace(/\{\{guestname\}\}/g, name).replace(/\{\{vmid\}\}/g, String(g.vmid)) } : {}),
          ...(isProtected ? { protected: true } : {}),
          config: backedUpConfig(g),
        });
        log.info(`INFO: Finished Backup of VM ${g.vmid} (00:00:10)`);
      }
      log.info("INFO: Backup job finished successfully");
    },
  });
}

export const backupEndpoints: Endpoint[] = [on("POST /nodes/{node}/vzdump", vzdump)];
