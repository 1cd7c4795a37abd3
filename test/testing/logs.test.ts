import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import { call } from "./helpers";

describe("node journals and the cluster log", () => {
  it("logs each task's start and end as pvedaemon does, per node and cluster-wide", async () => {
    const sim = createSimulator({ clock: { mode: "manual", startMs: Date.UTC(2025, 0, 2, 3, 4, 5) } });
    const upid = (await call(sim, "POST", "/nodes/pve2/qemu/102/status/start")).data as string;
    sim.clock.advance(10_000);
    const syslog = await call(sim, "GET", "/nodes/pve2/syslog");
    const lines = syslog.data.map((l: { t: string }) => l.t);
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^Jan 02 03:04:05 pve2 pvedaemon\\[\\d+\\]: <root@pam!pvekit> starting task ${upid.replace(/[$]/g, "\\$")}$`)),
      expect.stringMatching(/^Jan 02 03:04:15 pve2 pvedaemon\[\d+\]: <root@pam!pvekit> end task UPID:pve2:.* OK$/),
    ]);
    expect(syslog.json.total).toBe(2);
    expect(syslog.data.map((l: { n: number }) => l.n)).toEqual([1, 2]);
    // other nodes' journals hold nothing of it (PVE's "no content" line)
    expect((await call(sim, "GET", "/nodes/pve3/syslog")).data).toEqual([{ n: 1, t: "no content" }]);
    const cluster = (await call(sim, "GET", "/cluster/log")).data as { msg: string; node: string; user: string; id: string; pri: number }[];
    expect(cluster[0]).toMatchObject({ node: "pve2", user: "root@pam!pvekit", pri: 6, msg: `end task ${upid} OK` });
    expect(cluster[1]?.msg).toBe(`starting task ${upid}`);
    expect(cluster[0]?.id).toMatch(/^\d+:pve2$/);
  });

  it("filters the journal by time, service and last entries; the flat journal form has cursors around the lines", async () => {
    const sim = createSimulator({ clock: { mode: "manual", startMs: Date.UTC(2025, 0, 2, 3, 0, 0) } });
    await call(sim, "PUT", "/nodes/pve1/qemu/100/config", { description: "x" });
    sim.clock.advance(3600_000);
    await call(sim, "POST", "/access/ticket", { username: "root@pam", password: "wrong" }, {});
    const since = (await call(sim, "GET", "/nodes/pve1/syslog", { since: "2025-01-02 03:30" })).data.map((l: { t: string }) => l.t);
    expect(since).toEqual([expect.stringContaining("authentication failure; rhost=::ffff:127.0.0.1 user=root@pam msg=authentication failure")]);
    const journal = (await call(sim, "GET", "/nodes/pve1/journal", { lastentries: 1 })).data as string[];
    expect(journal).toHaveLength(3);
    expect(journal[0]).toMatch(/^s=/);
    expect(journal[2]).toMatch(/^s=/);
    expect(journal[1]).toContain("authentication failure");
    expect((await call(sim, "GET", "/nodes/pve1/syslog", { service: "pvedaemon" })).data[0].t).toContain("update VM 100: -description x");
  });

  it("needs Sys.Syslog for the journal; without it the cluster log shows only the caller's own entries", async () => {
    const sim = createSimulator();
    await call(sim, "POST", "/nodes/pve2/qemu/102/status/start");
    const ro = { authorization: sim.credentials.restrictedToken.header };
    expect((await call(sim, "GET", "/nodes/pve1/syslog", {}, ro)).statusText).toBe("Permission check failed (/nodes/pve1, Sys.Syslog)");
    expect((await call(sim, "GET", "/cluster/log", {}, ro)).data).toEqual([]);
  });
});

describe("task durations", () => {
  it("taskDurationMs gives every task the same simulated length", async () => {
    const sim = createSimulator({ clock: { mode: "manual" }, taskDurationMs: 250 });
    const upid = (await call(sim, "POST", "/nodes/pve1/qemu/101/status/shutdown")).data as string;
    sim.clock.advance(249);
    expect(sim.tasks.get(upid)?.status).toBe("running");
    sim.clock.advance(1);
    expect(sim.tasks.get(upid)?.exitstatus).toBe("OK");
    expect(() => createSimulator({ taskDurationMs: -1 })).toThrow(/taskDurationMs/);
  });
});
