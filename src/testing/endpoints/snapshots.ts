import { fail } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import { addUnused, isManagedVolume, volidOf } from "../guest-config/canonical";
import type { GuestConfig, GuestState, SnapshotState } from "../state-types";
import { checkLock } from "../task-table";
import { type Endpoint, GUEST_TYPES, on } from "./endpoint";

const prefix = (type: "qemu" | "lxc") => (type === "qemu" ? "qm" : "vz");

function findSnap(g: GuestState, name: string): SnapshotState {
  const snap = g.snapshots.find((s) => s.name === name);
  if (!snap) throw new Error(`snapshot '${name}' does not exist`);
  return snap;
}

function list(ctx: SimContext, type: "qemu" | "lxc"): unknown[] {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Audit"]);
  const out: Record<string, unknown>[] = g.snapshots.map((s) => ({
    name: s.name,
    description: s.description ?? "",
    snaptime: s.snaptime,
    ...(type === "qemu" ? { vmstate: s.vmstate ? 1 : 0 } : {}),
    ...(s.parent ? { parent: s.parent } : {}),
  }));
  out.push({
    name: "current",
    description: "You are here!",
    running: g.status === "running" ? 1 : 0,
    ...(g.config.parent ? { parent: String(g.config.parent) } : {}),
  });
  return out;
}

function create(ctx: SimContext, type: "qemu" | "lxc"): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Snapshot"]);
  const name = ctx.req("snapname");
  const vmstate = type === "qemu" && ctx.bool("vmstate") && g.status === "running";
  const description = ctx.str("description");
  const snaptime = ctx.world.clock.nowSeconds();
  return ctx.task({
    type: `${prefix(type)}snapshot`,
    id: String(g.vmid),
    durationMs: vmstate ? 8000 : 3000,
    check: () => {
      checkLock(g);
      if (name === "current" || g.snapshots.some((s) => s.name === name)) throw new Error(`snapshot name '${name}' already used`);
    },
    lock: { guest: g, name: "snapshot" },
    startLog: vmstate ? ["saving VM state and RAM using storage 'local-lvm'"] : [],
    run: (log) => {
      // PVE::AbstractConfig::__snapshot_copy_config: no lock, description or unused volumes
      const config: GuestConfig = {};
      for (const [k, v] of Object.entries(g.config)) if (!/^(lock|parent|description|unused\d+)$/.test(k)) config[k] = v;
      const parent = g.config.parent;
      g.snapshots.push({
        name,
        ...(description !== undefined ? { description } : {}),
        snaptime,
        vmstate,
        ...(parent !== undefined ? { parent: String(parent) } : {}),
        config,
        running: g.status === "running",
      });
      g.config.parent = name;
      if (vmstate) log.info("completed saving the VM state");
      log.info(`snapshot '${name}' created`);
    },
  });
}

function rollback(ctx: SimContext, type: "qemu" | "lxc"): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Snapshot", "VM.Snapshot.Rollback"], true);
  const name = ctx.req("snapname");
  const start = ctx.bool("start");
  return ctx.task({
    type: `${prefix(type)}rollback`,
    id: String(g.vmid),
    durationMs: 4000,
    check: () => {
      checkLock(g);
      findSnap(g, name);
    },
    lock: { guest: g, name: "rollback" },
    run: () => {
      const snap = findSnap(g, name);
      // PVE::AbstractConfig::__snapshot_apply_config: keep description and unused volumes, drop pending
      // changes; volumes only the current config had become unused (__snapshot_rollback_get_unused)
      const old = g.config;
      const next: GuestConfig = {};
      for (const [k, v] of Object.entries(old)) if (/^unused\d+$/.test(k) || k === "description") next[k] = v;
      Object.assign(next, snap.config, { parent: snap.name, lock: "rollback" }); // lock released when the task ends
      const kept = new Set(Object.entries(snap.config).filter(([k, v]) => isManagedVolume(k, v)).map(([, v]) => volidOf(v)));
      for (const [k, v] of Object.entries(old)) if (!k.startsWith("unused") && isManagedVolume(k, v) && !kept.has(volidOf(v))) addUnused(next, k, v, ctx.state);
      g.config = next;
      delete g.pending;
      const run = (type === "qemu" && snap.vmstate && snap.running) || start;
      g.status = run ? "running" : "stopped";
      g.paused = false;
      if (run) g.startedAt = ctx.world.clock.now();
      else delete g.startedAt;
    },
  });
}

function remove(ctx: SimContext, type: "qemu" | "lxc"): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Snapshot"]);
  const name = ctx.req("snapname");
  return ctx.task({
    type: `${prefix(type)}delsnapshot`,
    id: String(g.vmid),
    durationMs: 2000,
    check: () => {
      if (!ctx.bool("force")) checkLock(g);
      findSnap(g, name);
    },
    lock: { guest: g, name: "snapshot-delete" },
    run: () => {
      const snap = findSnap(g, name);
      g.snapshots = g.snapshots.filter((s) => s !== snap);
      for (const s of g.snapshots) {
        if (s.parent !== name) continue;
        if (snap.parent) s.parent = snap.parent;
        else delete s.parent;
      }
      if (g.config.parent === name) {
        if (snap.parent) g.config.parent = snap.parent;
        else delete g.config.parent;
      }
    },
  });
}

function snapConfig(ctx: SimContext, type: "qemu" | "lxc"): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.Audit"]);
  const name = ctx.req("snapname");
  const snap = g.snapshots.find((s) => s.name === name);
  if (!snap) throw fail(`snapshot '${name}' does not exist`);
  return { ...snap.config, snaptime: snap.snaptime, ...(snap.description ? { description: snap.description } : {}) };
}

export const snapshotEndpoints: Endpoint[] = GUEST_TYPES.flatMap((type) => {
  const base = `/nodes/{node}/${type}/{vmid}/snapshot`;
  return [
    on(`GET ${base}`, (ctx) => list(ctx, type)),
    on(`POST ${base}`, (ctx) => create(ctx, type)),
    on(`DELETE ${base}/{snapname}`, (ctx) => remove(ctx, type)),
    on(`POST ${base}/{snapname}/rollback`, (ctx) => rollback(ctx, type)),
    on(`GET ${base}/{snapname}/config`, (ctx) => snapConfig(ctx, type)),
  ];
});
