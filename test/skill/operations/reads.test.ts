import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { ReadOutcome } from "../../../src/skill/skill-outcome";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

type Row = Record<string, unknown>;
async function read(name: string, input: Record<string, unknown> = {}, overrides = {}): Promise<ReadOutcome["result"]> {
  const out = await t.skill(overrides).run(name, input);
  expect(out.kind).toBe("read");
  return (out as ReadOutcome).result;
}

describe("cluster reads", () => {
  test("status lists the cluster and its nodes", async () => {
    const rows = (await read("status")).data as Row[];
    expect(rows.filter((r) => r.type === "node").map((r) => r.name)).toEqual(expect.arrayContaining(["pve1", "pve2", "pve3"]));
  });
  test("nodes carry CPU and memory percentages", async () => {
    const rows = (await read("nodes")).data as Row[];
    expect(rows.map((r) => r.node)).toEqual(["pve1", "pve2", "pve3"]);
    for (const r of rows) expect(r.memPercent).toBeGreaterThanOrEqual(0);
  });
  test("node status", async () => {
    const data = (await read("node", { node: "pve1" })).data as Row;
    expect(data).toMatchObject({ node: "pve1" });
    expect(Number(data.memTotal)).toBeGreaterThan(0);
  });
  test("nextid and pools", async () => {
    const next = ((await read("nextid")).data as Row).vmid as number;
    expect(t.sim.state.guests.has(next)).toBe(false);
    expect(((await read("pools")).data as Row[]).map((p) => p.poolid)).toContain("production");
  });
});

describe("guest reads", () => {
  test("guests lists VMs and containers cluster-wide and filters", async () => {
    const all = (await read("guests")).data as Row[];
    expect(all.map((g) => g.vmid)).toEqual([...t.sim.state.guests.keys()].sort((a, b) => a - b));
    const lxc = (await read("guests", { type: "lxc" })).data as Row[];
    expect(lxc.every((g) => g.type === "lxc") && lxc.length > 0).toBe(true);
    const tagged = (await read("guests", { tag: "db" })).data as Row[];
    expect(tagged.map((g) => g.vmid)).toEqual([101]);
    const pooled = (await read("guests", { pool: "production", node: "pve1" })).data as Row[];
    expect(pooled.map((g) => g.vmid).sort()).toEqual([100, 101, 200]);
  });
  test("guest finds node and type from the VMID alone", async () => {
    const data = (await read("guest", { vmid: 201 })).data as Row;
    expect(data).toMatchObject({ vmid: 201, type: "lxc", node: "pve2", status: "stopped" });
  });
  test("an unknown VMID says so", async () => {
    await expect(t.skill().run("guest", { vmid: 4242 })).rejects.toThrow(/No VM or container with VMID 4242/);
  });
  test("config redacts secrets such as cipassword and keeps the digest", async () => {
    t.sim.state.guests.get(100)!.config.cipassword = "s3cret-cloudinit-pw";
    const data = (await read("config", { vmid: 100 })).data as Row;
    expect(data.cipassword).toBe("**********");
    expect(JSON.stringify(data)).not.toContain("s3cret-cloudinit-pw");
    expect(typeof data.digest).toBe("string");
    expect(data.name).toBe("web01");
  });
  test("ips come from the guest agent, without loopback", async () => {
    const rows = (await read("ips", { vmid: 100 })).data as Row[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.interface !== "lo" && r.address !== "127.0.0.1")).toBe(true);
  });
  test("ips of a container come from its interfaces, every address of each NIC", async () => {
    t.sim.state.guests.get(200)!.config.net1 = "name=eth1,bridge=vmbr1,hwaddr=BC:24:11:00:02:10,ip=10.0.0.5/16,ip6=fd00::5/64,type=veth";
    const rows = (await read("ips", { vmid: 200 })).data as Row[];
    expect(rows.some((r) => r.interface === "lo")).toBe(false);
    expect(rows.filter((r) => r.interface === "eth1").map((r) => [r.type, r.address, r.prefix])).toEqual([
      ["ipv4", "10.0.0.5", 16],
      ["ipv6", "fd00::5", 64],
      ["ipv6", "fe80::be24:11ff:fe00:210", 64],
    ]);
    const eth0 = rows.find((r) => r.interface === "eth0" && r.type === "ipv4");
    expect(eth0).toMatchObject({ mac: "bc:24:11:00:02:00" });
    expect(String(eth0?.address)).toMatch(/^192\.168\.1\.\d+$/); // net0 has ip=dhcp
    await expect(t.skill().run("ips", { vmid: 201 })).rejects.toThrow(/only known while it runs/);
  });
  test("ips explain a missing guest agent", async () => {
    await expect(t.skill().run("ips", { vmid: 101 })).rejects.toThrow(/no QEMU guest agent configured|does not answer/);
    await expect(t.skill().run("ips", { vmid: 102 })).rejects.toThrow(/only known while it runs/);
  });
  test("snapshots leave out the current state", async () => {
    const rows = (await read("snapshots", { vmid: 100 })).data as Row[];
    expect(rows.map((r) => r.name)).toContain("pre-upgrade");
    expect(rows.some((r) => r.name === "current")).toBe(false);
  });
});

describe("storage, backups and tasks", () => {
  test("storage shows used percent per node", async () => {
    const rows = (await read("storage", { node: "pve1" })).data as Row[];
    expect(rows.map((r) => r.storage)).toEqual(expect.arrayContaining(["local", "local-lvm"]));
    for (const r of rows) if (r.total) expect(r.usedPercent).toBeCloseTo((Number(r.used) / Number(r.total)) * 100, 0);
  });
  test("content and backups", async () => {
    const iso = (await read("content", { storage: "local", node: "pve1" })).data as Row[];
    expect(iso.length).toBeGreaterThan(0);
    const backups = (await read("backups")).data as Row[];
    expect(backups.length).toBeGreaterThan(0);
    expect(backups.every((b) => String(b.volid).includes("vzdump-"))).toBe(true);
    const one = (await read("backups", { vmid: 100 })).data as Row[];
    expect(one.every((b) => Number(b.vmid) === 100)).toBe(true);
  });
  test("tasks and one task with its log", async () => {
    const started = await t.skill({ mode: "operator" }).run("start", { vmid: 102 });
    const upid = started.kind === "mutation" && started.status !== "confirmation-required" ? started.result.upid! : "";
    const list = (await read("tasks", { node: "pve2" })).data as Row[];
    expect(list.map((r) => r.upid)).toContain(upid);
    const cluster = (await read("tasks", { vmid: 102 })).data as Row[];
    expect(cluster.find((r) => r.upid === upid)).toMatchObject({ user: "root@pam!pvekit" }); // PVE answers user + tokenid
    const one = await read("task", { upid, wait: true, log: true });
    expect(one.data).toMatchObject({ upid, status: "stopped", exitstatus: "OK", user: "root@pam!pvekit" });
    expect((one.data as Row).log).toEqual(expect.arrayContaining(["TASK OK"]));
    expect(one.failure).toBeUndefined();
  });
});

describe("doctor", () => {
  test("a full token passes every check", async () => {
    const res = await read("doctor", {}, { mode: "admin" });
    const checks = res.data as Row[];
    expect(res.failure).toBeUndefined();
    expect(checks.find((c) => c.check === "version")?.detail).toMatch(/PVE \d/);
    expect(checks.filter((c) => String(c.check).startsWith("privileges")).every((c) => c.status === "ok")).toBe(true);
    expect(checks.find((c) => c.check === "bindings")).toMatchObject({ status: "ok", detail: "generated from PVE 9.2.11" });
  });

  test("warns when the server's major.minor differs from the bindings' (issue 6)", async () => {
    t.sim.state.version = { version: "8.4.1", release: "8.4", repoid: "0123abcd" };
    const checks = (await read("doctor", {}, { mode: "admin" })).data as Row[];
    const bindings = checks.find((c) => c.check === "bindings");
    expect(bindings?.status).toBe("warn");
    expect(bindings?.detail).toMatch(/server runs PVE 8\.4\.1 but the bindings were generated from PVE 9\.2\.11/);
  });
});
