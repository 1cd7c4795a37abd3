import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/run-cli";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());

const vmids = async (argv: string[]) => (JSON.parse((await runCli([...argv, "--json"], t.env())).stdout) as { vmid: number; template: boolean }[]).map((g) => g.vmid);

describe("guests and templates", () => {
  test("the table has a template column", async () => {
    const r = await runCli(["guests"], t.env());
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^\| vmid +\| name +\| type +\| node +\| status +\| template +\|/);
    expect(lines.find((l) => l.startsWith("| 9000 "))).toMatch(/\| debian-12-template +\| qemu +\| pve2 +\| stopped +\| yes +\|/);
    expect(lines.find((l) => l.startsWith("| 100 "))).toMatch(/\| running +\| no +\|/);
  });

  test("--template lists only templates, --no-template none of them, neither lists all", async () => {
    expect(await vmids(["guests", "--template"])).toEqual([9000]);
    expect(await vmids(["guests", "--no-template"])).toEqual([100, 101, 102, 103, 200, 201]);
    expect(await vmids(["guests"])).toEqual([100, 101, 102, 103, 200, 201, 9000]);
  });
});
