import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import { call } from "./helpers";

const exitOf = async (sim: ReturnType<typeof createSimulator>, upid: string) =>
  (await call(sim, "GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`)).data.exitstatus as string;

// pve-container PVE/API2/LXC/Status.pm: suspend = `lxc-checkpoint -s` (checkpoint, then stop);
// resume refuses a running CT and restores the checkpoint with `lxc-checkpoint -r`.
describe("container suspend and resume, as pve-container does them", () => {
  it("suspend checkpoints and stops the container; status/current reports it stopped", async () => {
    const sim = createSimulator();
    const upid = (await call(sim, "POST", "/nodes/pve1/lxc/200/status/suspend")).data;
    expect(await exitOf(sim, upid)).toBe("OK");
    const s = (await call(sim, "GET", "/nodes/pve1/lxc/200/status/current")).data;
    expect(s.status).toBe("stopped");
    expect(s.qmpstatus).toBeUndefined();
  });

  it("resume restores a suspended container, and refuses a running one", async () => {
    const sim = createSimulator();
    const running = await call(sim, "POST", "/nodes/pve1/lxc/200/status/resume");
    expect(running.status).toBe(500);
    expect(running.statusText).toBe("CT 200 already running");
    await exitOf(sim, (await call(sim, "POST", "/nodes/pve1/lxc/200/status/suspend")).data);
    const upid = (await call(sim, "POST", "/nodes/pve1/lxc/200/status/resume")).data;
    expect(await exitOf(sim, upid)).toBe("OK");
    expect((await call(sim, "GET", "/nodes/pve1/lxc/200/status/current")).data.status).toBe("running");
  });

  it("resume of a container that was never suspended fails in the task (no checkpoint)", async () => {
    const sim = createSimulator();
    sim.state.guests.get(200)!.status = "stopped";
    const upid = (await call(sim, "POST", "/nodes/pve1/lxc/200/status/resume")).data;
    expect(await exitOf(sim, upid)).toMatch(/^command 'lxc-checkpoint -n 200 -r --foreground -D \/var\/lib\/vz\/dump' failed/);
  });
});
