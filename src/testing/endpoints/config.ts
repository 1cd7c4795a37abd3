import { findParamSchema } from "../../runtime/param-schema";
import { checkQemuDrive } from "../guest-config/canonical";
import { guestDigest } from "../guest-config/config-file";
import { type ConfigChange, type UpdateLog, configWithPending, pendingRows, updateConfig } from "../guest-config/update";
import { daemonPid } from "../event-log";
import { DISK_KEY } from "../guest-view";
import { PveHttpError, fail, paramError } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import type { GuestConfig, GuestState, GuestType } from "../state-types";
import { lockedMessage } from "../task-table";
import { type Endpoint, GUEST_TYPES, on } from "./endpoint";

/** Parameters of the config calls that are not config options. */
const CONTROL = new Set(["node", "vmid", "digest", "delete", "revert", "skiplock", "force", "background_delay", "skip_cloud_init", "import-working-storage"]);

/** The privilege PVE demands for changing an option (qemu-server's `check_vm_modify_config_perm`). */
export function privilegeFor(key: string): string {
  if (/^(memory|balloon|shares|swap)$/.test(key)) return "VM.Config.Memory";
  if (/^(cores|sockets|cpu|cpulimit|cpuunits|vcpus|numa\d*|affinity)$/.test(key)) return "VM.Config.CPU";
  if (/^net\d+$/.test(key)) return "VM.Config.Network";
  if (/^(ciuser|cipassword|citype|ciupgrade|cicustom|sshkeys|nameserver|searchdomain|ipconfig\d+)$/.test(key)) return "VM.Config.Cloudinit";
  if (DISK_KEY.test(key)) return "VM.Config.Disk";
  if (/^(hostpci|usb|serial|parallel)\d+$|^(vga|machine|bios|scsihw|audio0|rng0|tpmstate0)$/.test(key)) return "VM.Config.HWType";
  return "VM.Config.Options";
}

/** Wire strings become the stored types: integers/numbers as numbers, booleans as 0/1. */
export function storedValue(ctx: SimContext, key: string, value: string): string | number {
  const schema = findParamSchema(ctx.route, key)?.schema;
  if (schema?.t === "integer" || schema?.t === "number") return Number(value);
  if (schema?.t === "boolean") return /^(1|true|yes|on)$/i.test(value) ? 1 : 0;
  return value;
}

const list = (text: string | undefined): string[] => (text ?? "").split(/[,;\s]+/).filter(Boolean);

/** The option changes of a config request: values (the `cdrom` alias resolved), deletions and reverts, checked as PVE does. */
function readChange(ctx: SimContext, type: GuestType): ConfigChange {
  const set: Record<string, string | number> = {};
  for (const key of Object.keys(ctx.params)) if (!CONTROL.has(key)) set[key] = storedValue(ctx, key, ctx.str(key) as string);
  // qemu-server Qemu.pm $resolve_cdrom_alias
  if (type === "qemu" && set.cdrom !== undefined) {
    const v = String(set.cdrom);
    set.ide2 = /media=/.test(v) ? v : `${v},media=cdrom`;
    delete set.cdrom;
  }
  const revert = list(ctx.str("revert"));
  const deletes = list(ctx.str("delete")).map((k) => (type === "qemu" && k === "cdrom" ? "ide2" : k));
  for (const k of revert) {
    if (!findParamSchema(ctx.route, k)) throw paramError({ revert: `unknown option '${k}'` });
    if (set[k] !== undefined) throw paramError({ revert: `you can't use '-${k}' and '-revert ${k}' at the same time` });
  }
  for (const k of deletes) {
    if (set[k] !== undefined) throw paramError({ delete: `you can't use '-${k}' and -delete ${k}' at the same time` });
    if (revert.includes(k)) throw paramError({ delete: `you can't use '-delete ${k}' and '-revert ${k}' at the same time` });
    if (!findParamSchema(ctx.route, k)) throw paramError({ delete: `unknown option '${k}'` });
  }
  if (Object.keys(set).length === 0 && deletes.length === 0 && revert.length === 0) throw fail("no options specified");
  return { set, delete: deletes, revert, force: ctx.bool("force") };
}

/** Checks done before anything changes: skiplock, privileges per option, drive syntax and storages (qemu). */
function earlyChecks(ctx: SimContext, g: GuestState, change: ConfigChange): void {
  if (ctx.bool("skiplock") && ctx.auth.userid !== "root@pam") throw paramError({ skiplock: "Only root may use this option." });
  for (const k of [...change.delete, ...Object.keys(change.set)]) ctx.check(`/vms/${g.vmid}`, [privilegeFor(k)]);
  if (g.type === "qemu") {
    for (const [k, v] of Object.entries(change.set)) if (DISK_KEY.test(k) && !k.startsWith("unused")) checkQemuDrive(ctx.configEnv(g.node), k, String(v));
  }
}

/** Digest and lock checks (qemu-server $load_and_check_config; pve-container PVE::Tools::assert_if_modified). */
function checkCurrent(ctx: SimContext, g: GuestState): void {
  const digest = ctx.str("digest");
  if (digest !== undefined && digest !== guestDigest(g)) {
    throw fail(g.type === "qemu" ? "checksum mismatch (file change by other user?)" : "detected modified configuration - file changed by other user? Try again.");
  }
  if (g.config.lock !== undefined && !(ctx.bool("skiplock") && ctx.auth.userid === "root@pam")) throw fail(lockedMessage(g));
}

/** The log line PVE's update writes first ("update VM 100: -cores 4 -delete tags"). */
function updateLine(g: GuestState, ctx: SimContext): string {
  const parts: string[] = [];
  for (const key of Object.keys(ctx.params).sort()) {
    if (key === "node" || key === "vmid" || key === "digest") continue;
    parts.push(`-${key}`, key === "cipassword" ? "<hidden>" : (ctx.str(key) as string));
  }
  return `update VM ${g.vmid}: ${parts.join(" ")}`;
}

/** `PUT …/config`: synchronous; errors answer 500 (400 for parameters). */
function putConfig(ctx: SimContext, type: GuestType): null {
  const g = ctx.guest(type);
  const change = readChange(ctx, type);
  earlyChecks(ctx, g, change);
  checkCurrent(ctx, g);
  const log: UpdateLog = { info: () => {}, warn: () => {} };
  ctx.world.events.record(g.node, "pvedaemon", daemonPid(g.node), ctx.auth.authid, updateLine(g, ctx)); // PVE::Cluster::log_msg
  try {
    updateConfig(ctx.configEnv(g.node), g, change, log);
  } catch (err) {
    if (err instanceof PveHttpError) throw err;
    throw fail((err as Error).message);
  }
  return null;
}

/** `POST …/qemu/{vmid}/config`: checks answer at once, the update runs as a `qmconfig` task (qemu-server Qemu.pm update_vm_async). */
function postConfig(ctx: SimContext): unknown {
  const g = ctx.guest("qemu");
  const change = readChange(ctx, "qemu");
  earlyChecks(ctx, g, change);
  checkCurrent(ctx, g);
  const line = updateLine(g, ctx);
  return ctx.task({
    type: "qmconfig",
    id: String(g.vmid),
    durationMs: 500,
    startLog: [line],
    run: (log) => {
      checkCurrent(ctx, g);
      ctx.world.events.record(g.node, "pvedaemon", daemonPid(g.node), ctx.auth.authid, line);
      updateConfig(ctx.configEnv(g.node), g, change, log);
    },
  });
}

function getConfig(ctx: SimContext, type: GuestType): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Audit"]);
  const snapname = ctx.str("snapshot");
  if (snapname !== undefined && ctx.bool("current")) {
    const msg = "cannot use 'snapshot' parameter with 'current'";
    throw paramError({ snapshot: msg, current: msg });
  }
  let config: GuestConfig;
  if (snapname !== undefined) {
    const snap = g.snapshots.find((s) => s.name === snapname);
    if (!snap) throw fail(`snapshot '${snapname}' does not exist`);
    config = { ...snap.config, snaptime: snap.snaptime, ...(snap.description !== undefined ? { description: snap.description } : {}) };
  } else {
    config = ctx.bool("current") ? g.config : configWithPending(g);
  }
  const out: Record<string, unknown> = { ...typedAs(ctx, config), digest: guestDigest(g) };
  if (out.cipassword !== undefined) out.cipassword = "**********";
  return out;
}

/** Values in the types this schema version declares (`memory` is an integer before 8.1, a property string after). */
function typedAs(ctx: SimContext, config: GuestConfig): Record<string, unknown> {
  const props = ctx.route.ret.props ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    const t = (props[k] ?? props[k.replace(/\d+$/, "[n]")])?.t;
    if (t === "string") out[k] = String(v);
    else if ((t === "integer" || t === "number" || t === "boolean") && typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v)) out[k] = Number(v);
    else out[k] = v;
  }
  return out;
}

export const configEndpoints: Endpoint[] = [
  ...GUEST_TYPES.flatMap((type) => [
    on(`GET /nodes/{node}/${type}/{vmid}/config`, (ctx) => getConfig(ctx, type)),
    on(`PUT /nodes/{node}/${type}/{vmid}/config`, (ctx) => putConfig(ctx, type)),
    on(`GET /nodes/{node}/${type}/{vmid}/pending`, (ctx) => {
      const g = ctx.guest(type);
      ctx.check(`/vms/${g.vmid}`, ["VM.Audit"]);
      return pendingRows(g).map((row) => (row.key === "cipassword" ? { ...row, value: "**********" } : row));
    }),
  ]),
  on("POST /nodes/{node}/qemu/{vmid}/config", postConfig),
  // qemu-server Qemu.pm unlink: `delete=<idlist>` through the synchronous update (force deletes the volumes)
  on("PUT /nodes/{node}/qemu/{vmid}/unlink", (ctx) => {
    const g = ctx.guest("qemu");
    ctx.check(`/vms/${g.vmid}`, ["VM.Config.Disk"]);
    checkCurrent(ctx, g);
    const change: ConfigChange = { set: {}, delete: list(ctx.req("idlist")), revert: [], force: ctx.bool("force") };
    try {
      updateConfig(ctx.configEnv(g.node), g, change, { info: () => {}, warn: () => {} });
    } catch (err) {
      throw fail((err as Error).message);
    }
    return null;
  }),
];
