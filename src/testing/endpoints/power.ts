import { applyPending } from "../guest-config/update";
import { fail } from "../pve-http-error";
import type { SimContext } from "../sim-context";
import type { GuestState } from "../state-types";
import { checkLock } from "../task-table";
import { type Endpoint, GUEST_TYPES, noun, on } from "./endpoint";

/** Simulated durations of power actions (ms of virtual time). */
const DURATION = { start: 2000, stop: 1000, shutdown: 6000, reboot: 8000, suspend: 1500, resume: 1000, reset: 500 };

const TASK_TYPE = {
  qemu: { start: "qmstart", stop: "qmstop", shutdown: "qmshutdown", reboot: "qmreboot", suspend: "qmsuspend", resume: "qmresume", reset: "qmreset" },
  lxc: { start: "vzstart", stop: "vzstop", shutdown: "vzshutdown", reboot: "vzreboot", suspend: "vzsuspend", resume: "vzresume", reset: "vzreset" },
} as const;

type Action = keyof typeof DURATION;

const notRunning = (g: GuestState): Error => fail(`${noun(g.type)} ${g.vmid} not running`);

/** Locks are checked unless `skiplock` (root only, as PVE allows). */
function lockCheck(ctx: SimContext, g: GuestState): () => void {
  return () => {
    if (!(ctx.bool("skiplock") && ctx.auth.userid === "root@pam")) checkLock(g);
  };
}

/**
 * PVE's power state machine. Checks PVE does synchronously answer 500; checks inside the
 * worker (locks, "already running") fail the task. Effects land when the task finishes.
 */
function power(ctx: SimContext, type: "qemu" | "lxc", action: Action): unknown {
  const g = ctx.guest(type);
  ctx.check(`/vms/${g.vmid}`, ["VM.PowerMgmt"]);
  const running = g.status === "running";
  const now = () => ctx.world.clock.now();
  const spec = { type: TASK_TYPE[type][action], id: String(g.vmid), durationMs: DURATION[action] };
  switch (action) {
    case "start":
      if (type === "lxc" && running) throw fail(`CT ${g.vmid} already running`);
      return ctx.task({
        ...spec,
        check: () => {
          if (g.config.template) throw new Error(`you can't start a vm if it's a template`);
          lockCheck(ctx, g)();
          if (g.status === "running") throw new Error(`VM ${g.vmid} already running`);
          // qemu-server PVE/QemuServer.pm config_to_command: more vCPUs (sockets × cores) than the host has threads
          const allowed = ctx.hostCpus(g.node);
          if (type === "qemu" && Number(g.config.sockets ?? 1) * Number(g.config.cores ?? 1) > allowed) {
            throw new Error(`MAX ${allowed} vcpus allowed per VM on this node`);
          }
        },
        run: (log) => {
          if (g.config.lock === "suspended") delete g.config.lock;
          delete g.checkpoint; // a fresh start discards a container's checkpoint
          // pending changes are applied when the guest starts (qemu-server vm_start, pve-container vm_start)
          applyPending(ctx.configEnv(g.node), g);
          g.status = "running";
          g.paused = false;
          g.startedAt = now();
          if (type === "qemu") log.info(`start VM ${g.vmid}: UUIDs generated`);
        },
      });
    case "stop":
    case "shutdown":
      if (type === "lxc" && !running) throw notRunning(g);
      if (action === "shutdown" && type === "qemu" && g.paused && !ctx.bool("forceStop")) throw fail("VM is paused - cannot shutdown");
      return ctx.task({
        ...spec,
        check: lockCheck(ctx, g),
        run: (log) => {
          if (action === "shutdown" && type === "qemu" && g.status === "running" && !g.config.agent) log.info("requesting shutdown via ACPI");
          g.status = "stopped";
          g.paused = false;
          delete g.startedAt;
        },
      });
    case "reboot":
      if (!running) throw notRunning(g);
      if (g.paused) throw fail("VM is paused - cannot shutdown");
      return ctx.task({
        ...spec,
        check: lockCheck(ctx, g),
        run: () => {
          applyPending(ctx.configEnv(g.node), g); // a reboot is a cold restart: pending changes apply
          g.startedAt = now();
        },
      });
    case "reset":
      if (!running) throw notRunning(g);
      return ctx.task({ ...spec, check: lockCheck(ctx, g), run: () => void (g.startedAt = now()) });
    case "suspend":
      if (!running) throw notRunning(g);
      // pve-container PVE/API2/LXC/Status.pm: `lxc-checkpoint -n <vmid> -s -D /var/lib/vz/dump`
      // checkpoints the container and stops it, so PVE reports it as stopped afterwards
      if (type === "lxc") {
        return ctx.task({
          ...spec,
          check: lockCheck(ctx, g),
          run: () => {
            g.status = "stopped";
            g.checkpoint = true;
            delete g.startedAt;
          },
        });
      }
      return ctx.task({
        ...spec,
        check: lockCheck(ctx, g),
        run: () => {
          if (type === "qemu" && ctx.bool("todisk")) {
            g.status = "stopped";
            g.config.lock = "suspended";
            delete g.startedAt;
          } else {
            g.paused = true;
          }
        },
      });
    case "resume":
      // pve-container: "CT <vmid> already running" unless stopped; `lxc-checkpoint -r` restores the checkpoint
      if (type === "lxc") {
        if (running) throw fail(`CT ${g.vmid} already running`);
        return ctx.task({
          ...spec,
          run: () => {
            if (!g.checkpoint) {
              throw new Error(`command 'lxc-checkpoint -n ${g.vmid} -r --foreground -D /var/lib/vz/dump' failed: exit code 1`);
            }
            delete g.checkpoint;
            g.status = "running";
            g.startedAt = now();
          },
        });
      }
      if (!running && g.config.lock !== "suspended") throw notRunning(g);
      return ctx.task({
        ...spec,
        run: () => {
          g.paused = false;
        },
      });
  }
}

export const powerEndpoints: Endpoint[] = GUEST_TYPES.flatMap((type) =>
  (Object.keys(DURATION) as Action[])
    .filter((a) => !(type === "lxc" && a === "reset"))
    .map((action) => on(`POST /nodes/{node}/${type}/{vmid}/status/${action}`, (ctx) => power(ctx, type, action))),
);
