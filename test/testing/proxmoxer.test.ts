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
try:
    pw.nodes("pve1").qemu(101).config.put(cores=6, digest=cfg["digest"])  # stale now
except ResourceException as e:
    out["stale"] = [e.status_code, e.content]
tfa = ProxmoxAPI("127.0.0.1", user="tfa@pve", password=os.environ["SIM_TFA_PASSWORD"], otp=os.environ["SIM_OTP"], **common)
out["tfa_nodes"] = len(tfa.nodes.get())

# snapshots: create, list, roll back, delete (each a task)
vm = token.nodes("pve2").qemu(102)
def task_ok(node, upid):
    return token.nodes(node).tasks(upid).status.get()["exitstatus"]
out["snap"] = [task_ok("pve2", vm.snapshot.post(snapname="s1", description="first")),
               sorted(s["name"] for s in vm.snapshot.get()),
               task_ok("pve2", vm.snapshot("s1").rollback.post()),
               task_ok("pve2", vm.snapshot("s1").delete())]
# a VM with a NIC given without MAC, and a disk given as storage:size
upid = token.nodes("pve1").qemu.create(vmid=170, name="px", net0="virtio,bridge=vmbr0", scsi0="local-lvm:2")
out["create"] = task_ok("pve1", upid)
cfg170 = token.nodes("pve1").qemu(170).config.get()
out["net0"] = cfg170["net0"]
out["scsi0"] = cfg170["scsi0"]
# an upload with requests' multipart encoding, the way proxmox_template sends it
with open(os.environ["SIM_ISO"], "rb") as f:
    upid = token.nodes("pve1").storage("local").upload.post(content="iso", filename=f)
out["upload"] = task_ok("pve1", upid)
out["isos"] = sorted(v["volid"] for v in token.nodes("pve1").storage("local").content.get(content="iso"))
# storage and access management
out["storages"] = [s["storage"] for s in token.storage.get()]
token.access.users.post(userid="px@pve", password="px-password-1", comment="from proxmoxer")
made = token.access.users("px@pve").token("auto").post(privsep=0)
out["token"] = made["full-tokenid"]
px = ProxmoxAPI("127.0.0.1", user="px@pve", token_name="auto", token_value=made["value"], **common)
out["px_version"] = px.version.get()["release"]
try:
    token.nodes("pve1").ceph.status.get()
except ResourceException as e:
    out["unmodelled"] = [e.status_code, e.content]
print(json.dumps(out))
`;

describe.skipIf(!python)("fidelity: python3-proxmoxer (a real third-party client) against the simulator", () => {
  const sim = createSimulator();
  let server: SimServer;
  let ca: string;
  let iso: string;
  beforeAll(async () => {
    server = await sim.listen({ port: 0 });
    const dir = mkdtempSync(join(tmpdir(), "pvekit-proxmoxer-"));
    ca = join(dir, "ca.pem");
    writeFileSync(ca, server.cert);
    iso = join(dir, "proxmoxer-test.iso");
    writeFileSync(iso, Buffer.alloc(12_345, 9));
  });
  afterAll(async () => {
    await server.close();
  });

  it("works for logins (token, password with CSRF, TOTP), reads, power, tasks, config with digest, snapshots, uploads, access and errors", async () => {
    const env = {
      ...process.env,
      SIM_PORT: String(server.port),
      SIM_CA: ca,
      SIM_TOKEN: sim.credentials.token.secret,
      SIM_PASSWORD: sim.credentials.root.password,
      SIM_TFA_PASSWORD: sim.credentials.tfa.password,
      SIM_OTP: sim.totp(),
      SIM_ISO: iso,
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
    expect(out.stale).toEqual([500, "checksum mismatch (file change by other user?)"]);
    expect(out.snap).toEqual(["OK", ["current", "s1"], "OK", "OK"]);
    expect(out.create).toBe("OK");
    expect(out.net0).toMatch(/^virtio=BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2},bridge=vmbr0$/);
    expect(out.scsi0).toBe("local-lvm:vm-170-disk-0,size=2G");
    expect(out.upload).toBe("OK");
    expect(out.isos).toContain("local:iso/proxmoxer-test.iso");
    expect(out.storages).toEqual(["local", "local-lvm"]);
    expect(out.token).toBe("px@pve!auto");
    expect(out.px_version).toBe(sim.state.version.release);
    expect(out.unmodelled).toEqual([501, "Method 'GET /nodes/pve1/ceph/status' not implemented"]);
  });
});
