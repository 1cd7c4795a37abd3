import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import type { SimServer } from "../../src/testing";
import { ansibleMissing, playbook } from "./ansible-fidelity";

const missing = await ansibleMissing();
if (missing) console.warn(`skipping the Ansible fidelity test (cluster.yml): ${missing} (Debian: apt-get install -y ansible python3-proxmoxer)`);

describe.skipIf(Boolean(missing))("fidelity: Ansible's community.general Proxmox modules read the simulated cluster and upload to it", () => {
  const sim = createSimulator();
  let server: SimServer;
  beforeAll(async () => {
    server = await sim.listen({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it("proxmox_template uploads an ISO; the *_info modules read tasks, storages, users, realms and groups", async () => {
    const iso = join(mkdtempSync(join(tmpdir(), "pvekit-iso-")), "ansible-test.iso");
    writeFileSync(iso, Buffer.alloc(40_000, 1));
    const run = await playbook(sim, server, "cluster.yml", { iso_path: iso });
    const failed = run.tasks.filter((t) => t.failed).map((t) => `${t.name}: ${JSON.stringify(t.result.msg ?? t.result)}`);
    expect(failed, run.ok ? "" : run.output.slice(-4000)).toEqual([]);
    expect(run.ok).toBe(true);
    const upload = run.tasks.find((t) => t.name === "Upload an ISO image (multipart)");
    expect(upload?.changed).toBe(true);
    // the upload really went through the multipart endpoint: an imgcopy task with the file's size
    const copy = sim.tasks.list().find((t) => t.type === "imgcopy");
    expect(copy?.exitstatus).toBe("OK");
    expect(copy?.log).toContain("file size is: 40000");
    const storages = run.tasks.find((t) => t.name === "Read the storages")?.result.proxmox_storages as { storage: string; content: string[] }[];
    expect(storages.find((s) => s.storage === "local")?.content).toEqual(["backup", "iso", "vztmpl"]);
  }, 300_000);
});
