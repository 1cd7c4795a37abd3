import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PveClient, TaskFailedError } from "../../src/index";
import { createSimulator } from "../../src/testing";
import type { SimServer } from "../../src/testing";

describe("pvekit's own client against the simulator over HTTPS", () => {
  const sim = createSimulator({ clock: { mode: "manual" } });
  let server: SimServer;
  beforeAll(async () => {
    server = await sim.listen({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  const client = (auth: ConstructorParameters<typeof PveClient>[0]["auth"]) =>
    new PveClient({ baseUrl: server.url, auth, tls: { fingerprint: server.fingerprint }, clock: sim.clientClock });

  it("lists, starts and waits, snapshots — with a pinned certificate and an API token", async () => {
    const pve = client({ tokenId: sim.credentials.token.tokenId, secret: sim.credentials.token.secret });
    try {
      const vms = await pve.api.nodes.$("pve2").qemu.$get();
      expect(vms.map((v) => v.vmid)).toContain(102);
      const upid = await pve.api.nodes.$("pve2").qemu.$(102).status.start.$post();
      const done = await pve.tasks.wait(upid);
      expect(done.exitstatus).toBe("OK");
      const snap = await pve.api.nodes.$("pve2").qemu.$(102).snapshot.$post({ snapname: "e2e" });
      await pve.tasks.wait(snap);
      const names = (await pve.api.nodes.$("pve2").qemu.$(102).snapshot.$get()).map((s) => s.name);
      expect(names).toEqual(expect.arrayContaining(["e2e", "current"]));
      const again = await pve.api.nodes.$("pve2").qemu.$(102).status.start.$post();
      await expect(pve.tasks.wait(again)).rejects.toBeInstanceOf(TaskFailedError);
    } finally {
      await pve.close();
    }
  });

  it("logs in with a password and changes config with the digest", async () => {
    const pve = client({ username: "root", realm: "pam", password: sim.credentials.root.password });
    try {
      const config = await pve.api.nodes.$("pve1").qemu.$(101).config.$get();
      await pve.api.nodes.$("pve1").qemu.$(101).config.$put({ cores: 5, digest: config.digest });
      expect(sim.state.guests.get(101)?.pending?.cores).toBe(5); // 101 runs: cores waits for the next start, as on PVE
    } finally {
      await pve.close();
    }
  });
});

describe("the msw face", () => {
  const sim = createSimulator({ baseUrl: "https://pve.test:8006" });
  const mswServer = setupServer(...sim.handlers);
  beforeAll(() => mswServer.listen({ onUnhandledRequest: "error" }));
  afterAll(() => mswServer.close());

  it("answers fetch like PVE, reason phrase included", async () => {
    const headers = { authorization: sim.credentials.token.header };
    const ok = await fetch("https://pve.test:8006/api2/json/nodes", { headers });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: unknown[] }).data).toHaveLength(sim.state.nodes.length);
    const bad = await fetch("https://pve.test:8006/api2/json/nodes/pve2/qemu/102/status/resume", { method: "POST", headers });
    expect([bad.status, bad.statusText]).toEqual([500, "VM 102 not running"]);
  });

  it("serves pvekit's client through fetch", async () => {
    const pve = new PveClient({
      baseUrl: "https://pve.test:8006",
      auth: { tokenId: sim.credentials.token.tokenId, secret: sim.credentials.token.secret },
      fetch: (input, init) => fetch(input, init),
      clock: sim.clientClock,
    });
    const upid = await pve.api.nodes.$("pve1").lxc.$(200).status.shutdown.$post();
    expect((await pve.tasks.wait(upid)).exitstatus).toBe("OK");
    expect(sim.state.guests.get(200)?.status).toBe("stopped");
  });
});
