import { findParamSchema } from "../../runtime/param-schema";
import { DISK_KEY, configDigest, guestVolumes } from "../guest-view";
import { fail, paramError } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import type { GuestConfig, GuestState } from "../state-types";
import { checkLock } from "../task-table";
import { type Endpoint, GUEST_TYPES, on } from "./endpoint";

/** Parameters of the config calls that are not config options. */
const CONTROL = new Set(["node", "vmid", "digest", "delete", "revert", "skiplock", "force", "background_delay"]);

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
function storedValue(ctx: SimContext, key: string, value: string): string | number {
  const schema = findParamSchema(ctx.route, key)?.schema;
  if (schema?.t === "integer" || schema?.t === "number") return Number(value);
  if (schema?.t === "boolean") return /^(1|true|yes|on)$/i.test(value) ? 1 : 0;
  return value;
}

/** `local-lvm:10` (allocate a new 10 GiB volume) → `local-lvm:vm-100-disk-N,size=10G`. */
function allocateDisk(ctx: SimContext, g: GuestState, value: string): string {
  const m = /^([a-zA-Z][\w.-]*):(\d+(?:\.\d+)?)(,.*)?$/.exec(value);
  if (!m) return value;
  const storage = ctx.state.storages.find((s) => s.storage === m[1]);
  if (!storage) throw fail(`storage '${m[1]}' does not exist`);
  const used = new Set(guestVolumes(g).map((d) => d.volid));
  let n = 0;
  while (used.has(`${m[1]}:vm-${g.vmid}-disk-${n}`)) n++;
  const rest = (m[3] ?? "").replace(/,size=[^,]*/g, "");
  return `${m[1]}:vm-${g.vmid}-disk-${n}${rest},size=${m[2]}G`;
}

/** Applies a config change like `PUT …/config`: digest and lock checks, privileges, `delete`. */
export function applyConfigChange(ctx: SimContext, g: GuestState): void {
  const digest = ctx.str("digest");
  if (digest !== undefined && digest !== configDigest(g.config)) {
    throw fail("detected modified configuration - file changed by other user? Try again.");
  }
  if (!(ctx.bool("skiplock") && ctx.auth.userid === "root@pam")) {
    try {
      checkLock(g);
    } catch (err) {
      throw fail((err as Error).message);
    }
  }
  const changes = Object.keys(ctx.params).filter((k) => !CONTROL.has(k));
  const deletes = (ctx.str("delete") ?? "").split(/[,; ]+/).filter(Boolean);
  for (const k of deletes) {
    if (changes.includes(k)) throw paramError({ delete: `you can't use '-${k}' and '-delete ${k}' at the same time` });
  }
  for (const k of [...changes, ...deletes]) ctx.check(`/vms/${g.vmid}`, [privilegeFor(k)]);
  const next: GuestConfig = { ...g.config };
  for (const k of deletes) delete next[k];
  g.config = next;
  setOptions(ctx, g, changes);
}

/** Stores option parameters `keys` into the guest config (new disks allocated). */
export function setOptions(ctx: SimContext, g: GuestState, keys: readonly string[]): void {
  for (const k of keys) {
    const raw = ctx.str(k) as string;
    g.config[k] = DISK_KEY.test(k) ? allocateDisk(ctx, g, raw) : storedValue(ctx, k, raw);
  }
}

function getConfig(ctx: SimContext, type: "qemu" | "lxc"): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Audit"]);
  const snapname = ctx.str("snapshot");
  let config = g.config;
  if (snapname !== undefined) {
    const snap = g.snapshots.find((s) => s.name === snapname);
    if (!snap) throw fail(`snapshot '${snapname}' does not exist`);
    config = snap.config;
  }
  return { ...typedAs(ctx, config), digest: configDigest(config) };
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
    on(`PUT /nodes/{node}/${type}/{vmid}/config`, (ctx) => {
      applyConfigChange(ctx, ctx.guest(type));
      return null;
    }),
  ]),
  on("POST /nodes/{node}/qemu/{vmid}/config", (ctx) => {
    const g = ctx.guest("qemu");
    applyConfigChange(ctx, g); // checks (digest, privileges) answer synchronously, as in PVE
    return ctx.task({ type: "qmconfig", id: String(g.vmid), durationMs: 500, run: () => {} });
  }),
];
