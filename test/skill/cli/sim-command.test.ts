import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { PveClient } from "../../../src/runtime/client";
import { CliApp } from "../../../src/skill/cli/app";
import { simCommand } from "../../../src/skill/cli/sim-command";

/** Runs `pvekit sim <args>` in-process; `whileServing` runs against the printed simulator before it stops. */
async function sim(args: string[], whileServing?: (info: Record<string, any>) => Promise<void>): Promise<{ out: string; error?: unknown }> {
  let out = "";
  const app = new CliApp({ stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, env: {} }, args);
  const stop = async () => {
    if (whileServing) await whileServing(JSON.parse(out.split("\n")[0] as string));
  };
  const program = new Command().option("--json").exitOverride().addCommand(simCommand(app, stop).exitOverride());
  try {
    await program.parseAsync(["node", "pvekit", "sim", ...args]);
    return { out };
  } catch (error) {
    return { out, error };
  }
}

describe("pvekit sim", () => {
  it("--nodes/--guests serve a generated cluster; --json names what is modelled", async () => {
    let seen: unknown[] = [];
    await sim(["--json", "--clock", "instant", "--nodes", "4", "--guests", "120"], async (info) => {
      expect(info.coverage.modelled).toContain("POST /cluster/bulk-action/guest/shutdown");
      expect(info.coverage.unmodelled).toContain("GET /nodes/{node}/ceph/status");
      const pve = new PveClient({ baseUrl: info.url, auth: { tokenId: info.tokenId, secret: info.secret }, tls: { fingerprint: info.fingerprint } });
      seen = (await pve.request("GET", "/cluster/resources", { type: "vm" })) as unknown[];
      await pve.close();
    });
    expect(seen).toHaveLength(120);
  });

  it("--coverage lists the modelled methods and exits", async () => {
    const json = await sim(["--coverage", "--json"]);
    const c = JSON.parse(json.out) as { modelled: string[]; indexes: string[]; unmodelled: string[] };
    expect(c.modelled).toContain("GET /access/users");
    const text = await sim(["--coverage"]);
    expect(text.out).toMatch(/^Modelled \(\d+\):\n {2}DELETE /);
    expect(text.out).toContain(`Not modelled (answer 501 "Method '…' not implemented"): ${c.unmodelled.length}`);
  });

  it("refuses bad sizes with a usage error", async () => {
    expect(String((await sim(["--nodes", "0"])).error)).toContain('--nodes must be a whole number from 1 to 64, got "0".');
    expect(String((await sim(["--guests", "lots"])).error)).toContain("--guests must be a whole number");
    expect(String((await sim(["--task-duration", "-5"])).error)).toContain("--task-duration must be a whole number");
  });
});
