import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSimulator } from "../../../src/testing";
import { pveshDoubleEnv } from "../../helpers/pvesh-double";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());

const json = async (argv: string[], extra: NodeJS.ProcessEnv = {}) => {
  const r = await runCli([...argv, "--json"], t.env(extra));
  expect(r.code, r.stdout).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};

describe("console <vmid>", () => {
  test("a VM: the noVNC URL as PVE's GUI opens it, and VM.Console granted", async () => {
    const out = await json(["console", "100"]);
    expect(out).toEqual({
      vmid: 100,
      node: "pve1",
      type: "qemu",
      viewer: "novnc",
      url: `${t.url}/?console=kvm&novnc=1&vmid=100&vmname=web01&node=pve1&resize=off&cmd=`,
      privilege: "VM.Console",
      path: "/vms/100",
      granted: true,
    });
  });

  test("a container: the xterm.js URL; --viewer picks another", async () => {
    expect((await json(["console", "200"])).url).toBe(`${t.url}/?console=lxc&xtermjs=1&vmid=200&vmname=proxy&node=pve1&cmd=`);
    expect((await json(["console", "100", "--viewer", "xtermjs"])).url).toBe(`${t.url}/?console=kvm&xtermjs=1&vmid=100&vmname=web01&node=pve1&cmd=`);
  });

  test("without VM.Console: says so and how to grant it", async () => {
    const env = { PROXMOX_TOKEN_ID: t.sim.credentials.restrictedToken.tokenId, PROXMOX_TOKEN_SECRET: t.sim.credentials.restrictedToken.secret };
    const out = await json(["console", "100"], env);
    expect(out).toMatchObject({ granted: false, grant: "pveum acl modify /vms/100 --tokens 'auditor@pve!readonly' --roles PVEVMUser" });
    const human = await runCli(["console", "100"], t.env(env));
    expect(human.stdout).toContain("It needs VM.Console on /vms/100: NOT granted to these credentials.");
    expect(human.stdout).toContain("To grant it: pveum acl modify /vms/100 --tokens 'auditor@pve!readonly' --roles PVEVMUser");
  });

  test("a stopped guest: the URL, and a note that it shows nothing yet", async () => {
    const human = await runCli(["console", "102"], t.env());
    expect(human.stdout).toContain("VM 102 is stopped; the console shows nothing until it runs.");
  });
});

describe("console in local mode", () => {
  test("the web UI of the guest's node, by its cluster address", async () => {
    const sim = createSimulator();
    const server = await sim.listen({ port: 0 });
    const home = mkdtempSync(join(tmpdir(), "pvekit-console-"));
    try {
      const r = await runCli(["console", "101", "--json"], pveshDoubleEnv(server, sim.credentials.token, { HOME: home, PVEKIT_STATE_DIR: home }));
      expect(JSON.parse(r.stdout).url).toBe("https://192.168.1.11:8006/?console=kvm&novnc=1&vmid=101&vmname=db01&node=pve1&resize=off&cmd=");
    } finally {
      await server.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
