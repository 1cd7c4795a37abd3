import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import type { SimServer } from "../../src/testing";

const run = promisify(execFile);

/** A python3 that can import proxmoxer (Debian's python3-proxmoxer lives under /usr/bin/python3). */
async function findPython(): Promise<string | undefined> {
  for (const py of ["/usr/bin/python3", "python3"]) {
    const ok = await run(py, ["-c", "import proxmoxer"]).then(
      () => true,
      () => false,
    );
    if (ok) return py;
  }
  return undefined;
}
const python = await findPython();
if (!python) console.warn("skipping proxmoxer fidelity test: python3-proxmoxer is not installed (apt-get install -y python3-proxmoxer)");

/** Runs a real third-party client: proxmoxer logs in, lists, starts a VM, reads the task, and hits an error. */
const SCRIPT = String.raw`
import json, os, sys
from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException
out = {}
common = dict(port=int(os.environ["SIM_PORT"]), verify_ssl=os.environ["SIM_CA"])
token = ProxmoxAPI("127.0.0.1", user="root@pam", token_name="pvekit", token_value=os.environ["SIM_TOKEN"], **common)
out["vmids"] = sorted(v["vmid"] for v in token.nodes("pve2").qemu.get())
upid = token.nodes("pve2").qemu(102).status.start.post()
out["upid"] = upid
out["task"] = token.nodes("pve2").tasks(upid).status.get()["exitstatus"]
out["log"] = [l["t"] for l in token.nodes("pve2").tasks(upid).log.get()][-1]
try:
    token.nodes("pve3").qemu(103).status.resume.post()
except ResourceException as e:
    out["error"] = [e.status_code, e.content]  # proxmoxer puts the reason phrase into .content
pw = ProxmoxAPI("127.0.0.1", user="root@pam", password=os.environ["SIM_PASSWORD"], **common)
cfg = pw.nodes("pve1").qemu(101).config.get()
pw.nodes("pve1").qemu(101).config.put(cores=7, digest=cfg["digest"])
tfa = ProxmoxAPI("127.0.0.1", user="tfa@pve", password=os.environ["SIM_TFA_PASSWORD"], otp=os.environ["SIM_OTP"], **common)
out["tfa_nodes"] = len(tfa.nodes.get())
print(json.dumps(out))
`;

describe.skipIf(!python)("fidelity: python3-proxmoxer (a real third-party client) against the simulator", () => {
  const sim = createSimulator();
  let server: SimServer;
  let ca: string;
  beforeAll(async () => {
    server = await sim.listen({ port: 0 });
    ca = join(mkdtempSync(join(tmpdir(), "pvekit-proxmoxer-")), "ca.pem");
    writeFileSync(ca, server.cert);
  });
  afterAll(async () => {
    await server.close();
  });

  it("works for token login, password login with CSRF, TOTP login, tasks and errors", async () => {
    const env = {
      ...process.env,
      SIM_PORT: String(server.port),
      SIM_CA: ca,
      SIM_TOKEN: sim.credentials.token.secret,
      SIM_PASSWORD: sim.credentials.root.password,
      SIM_TFA_PASSWORD: sim.credentials.tfa.password,
      SIM_OTP: sim.totp(),
    };
    const { stdout } = await run(python as string, ["-c", SCRIPT], { env });
    const out = JSON.parse(stdout);
    expect(out.vmids).toEqual([...sim.state.guests.values()].filter((g) => g.node === "pve2" && g.type === "qemu").map((g) => g.vmid).sort((a, b) => a - b));
    expect(out.upid).toMatch(/^UPID:pve2:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmstart:102:root@pam!pvekit:$/);
    expect(out.task).toBe("OK");
    expect(out.log).toBe("TASK OK");
    expect(out.error).toEqual([500, "VM 103 not running"]);
    expect(sim.state.guests.get(101)?.pending?.cores).toBe(7); // 101 runs: pending until its next start
    expect(out.tfa_nodes).toBe(sim.state.nodes.length);
  });
});
