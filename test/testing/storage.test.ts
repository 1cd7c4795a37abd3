import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { setupServer } from "msw/node";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PveClient } from "../../src/runtime/client";
import { createSimulator } from "../../src/testing";
import type { SimServer } from "../../src/testing";
import { call } from "./helpers";

const run = promisify(execFile);
type Sim = ReturnType<typeof createSimulator>;

async function exit(sim: Sim, node: string, upid: string): Promise<string> {
  return (await call(sim, "GET", `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`)).data.exitstatus;
}

describe("cluster storage configuration (/storage)", () => {
  it("lists, creates, updates and deletes storages as pve-storage's Config.pm does", async () => {
    const sim = createSimulator();
    const list = (await call(sim, "GET", "/storage")).data as Record<string, unknown>[];
    expect(list.map((s) => s.storage)).toEqual(["local", "local-lvm"]);
    expect(list[0]).toMatchObject({ storage: "local", type: "dir", content: "backup,iso,vztmpl", path: "/var/lib/vz" });
    expect(list[1]).toMatchObject({ type: "lvmthin", vgname: "pve", thinpool: "data", content: "images,rootdir" });
    expect(list[0]?.digest).toMatch(/^[0-9a-f]{40}$/);
    expect((await call(sim, "GET", "/storage", { type: "lvmthin" })).data.map((s: { storage: string }) => s.storage)).toEqual(["local-lvm"]);

    const created = await call(sim, "POST", "/storage", { storage: "nas", type: "nfs", server: "10.0.0.5", export: "/export/pve", content: "images,iso,backup" });
    expect([created.status, created.data]).toEqual([200, { storage: "nas", type: "nfs" }]);
    expect((await call(sim, "POST", "/storage", { storage: "nas", type: "dir", path: "/x" })).statusText).toBe("create storage failed: storage ID 'nas' already defined");
    expect((await call(sim, "POST", "/storage", { storage: "d2", type: "dir" })).statusText).toBe("missing value for required option 'path'");
    expect((await call(sim, "POST", "/storage", { storage: "d2", type: "lvmthin", vgname: "v", thinpool: "t", content: "iso" })).json.errors).toEqual({
      content: "storage does not support content type 'iso'",
    });
    const nas = (await call(sim, "GET", "/storage/nas")).data;
    expect(nas).toMatchObject({ storage: "nas", type: "nfs", server: "10.0.0.5", export: "/export/pve", shared: 1, content: "backup,images,iso" });
    // the new storage is usable at once, on every node (shared)
    expect((await call(sim, "GET", "/nodes/pve3/storage")).data.map((s: { storage: string }) => s.storage)).toContain("nas");

    expect((await call(sim, "PUT", "/storage/nas", { content: "images", nodes: "pve1,pve2", digest: nas.digest })).status).toBe(200);
    expect((await call(sim, "PUT", "/storage/nas", { content: "iso", digest: nas.digest })).statusText).toBe(
      "detected modified configuration - file changed by other user? Try again.",
    );
    expect((await call(sim, "GET", "/storage/nas")).data).toMatchObject({ content: "images", nodes: "pve1,pve2" });
    expect((await call(sim, "GET", "/nodes/pve3/storage")).data.map((s: { storage: string }) => s.storage)).not.toContain("nas");
    expect((await call(sim, "PUT", "/storage/nas", { delete: "server" })).statusText).toBe("unable to delete required option 'server'");
    expect((await call(sim, "DELETE", "/storage/nas")).status).toBe(200);
    expect((await call(sim, "GET", "/storage/nas")).statusText).toBe("storage 'nas' does not exist");
  });

  it("needs Datastore.Allocate to change storages; auditors see the list", async () => {
    const sim = createSimulator();
    const ro = { authorization: sim.credentials.restrictedToken.header };
    expect((await call(sim, "GET", "/storage", {}, ro)).data).toHaveLength(2);
    expect((await call(sim, "POST", "/storage", { storage: "xx", type: "dir", path: "/x" }, ro)).statusText).toBe("Permission check failed (/storage, Datastore.Allocate)");
    expect((await call(sim, "DELETE", "/storage/local", {}, ro)).status).toBe(403);
  });
});

describe("storage content", () => {
  it("reads, annotates and deletes volumes (imgdel task); refuses protected backups", async () => {
    const sim = createSimulator();
    const iso = (await call(sim, "GET", "/nodes/pve1/storage/local/content/local:iso/debian-12.5.0-amd64-netinst.iso")).data;
    expect(iso).toEqual({ path: "/var/lib/vz/template/iso/debian-12.5.0-amd64-netinst.iso", size: 659_554_304, used: 659_554_304, format: "iso" });
    // the volume without its storage prefix, and percent-encoded, name the same volume
    expect((await call(sim, "GET", "/nodes/pve1/storage/local/content/iso%2Fdebian-12.5.0-amd64-netinst.iso")).data.size).toBe(659_554_304);
    const backup = (await call(sim, "GET", "/nodes/pve1/storage/local/content", { content: "backup", vmid: 100 })).data[0].volid as string;
    await call(sim, "PUT", `/nodes/pve1/storage/local/content/${encodeURIComponent(backup)}`, { protected: 1, notes: "keep" });
    const del = (await call(sim, "DELETE", `/nodes/pve1/storage/local/content/${encodeURIComponent(backup)}`)).data as string;
    expect(del).toMatch(/:imgdel:100@local:/);
    expect(await exit(sim, "pve1", del)).toBe(`volume '${backup}' is protected`);
    const upid = (await call(sim, "DELETE", "/nodes/pve1/storage/local/content/local:iso/debian-12.5.0-amd64-netinst.iso")).data as string;
    expect(await exit(sim, "pve1", upid)).toBe("OK");
    expect((await call(sim, "GET", "/nodes/pve1/storage/local/content", { content: "iso" })).data).toEqual([]);
    expect((await call(sim, "GET", "/nodes/pve2/storage/local/content", { content: "iso" })).data).toHaveLength(1); // local is per node
  });

  it("files a download-url volume without fetching it, and says so", async () => {
    const sim = createSimulator();
    const upid = (await call(sim, "POST", "/nodes/pve1/storage/local/download-url", { url: "https://example.invalid/x.iso", content: "iso", filename: "x.iso" })).data;
    expect(await exit(sim, "pve1", upid)).toBe("OK");
    const log = (await call(sim, "GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`)).data.map((l: { t: string }) => l.t);
    expect(log[0]).toBe("downloading https://example.invalid/x.iso to /var/lib/vz/template/iso/x.iso");
    expect(log).toContain("simulated download: the URL is not fetched, the volume is filed with size 0");
    const bad = await call(sim, "POST", "/nodes/pve1/storage/local/download-url", { url: "https://example.invalid/x.exe", content: "iso", filename: "x.exe" });
    expect([bad.status, bad.json.errors]).toEqual([400, { filename: "wrong file extension" }]);
    expect((await call(sim, "POST", "/nodes/pve1/storage/local-lvm/download-url", { url: "https://e.invalid/x.iso", content: "iso", filename: "x.iso" })).statusText).toBe(
      "can't upload to storage type 'lvmthin', not a file based storage!",
    );
  });
});

describe("uploads (multipart, streamed) over HTTPS and msw", () => {
  const sim = createSimulator();
  let server: SimServer;
  let agent: Agent;
  let dir: string;
  beforeAll(async () => {
    server = await sim.listen({ port: 0 });
    agent = new Agent({ connect: { ca: server.cert } });
    dir = mkdtempSync(join(tmpdir(), "pvekit-upload-"));
  });
  afterAll(async () => {
    await agent.close();
    await server.close();
  });

  const client = () =>
    new PveClient({ baseUrl: server.url, tls: { fingerprint: server.fingerprint }, auth: { tokenId: sim.credentials.token.tokenId, secret: sim.credentials.token.secret } });

  it("takes pvekit's own upload (fields first, then the file) with a checksum, as an imgcopy task", async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 7); // bigger than PVE's 512 KiB body limit: only uploads may be
    const file = join(dir, "tiny.iso");
    writeFileSync(file, bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const upid = await client().upload({ node: "pve1", storage: "local", content: "iso", file, checksum: sha256, checksumAlgorithm: "sha256" });
    expect(upid).toMatch(/^UPID:pve1:.*:imgcopy::root@pam!pvekit:$/);
    expect(await exit(sim, "pve1", upid)).toBe("OK");
    const log = (await call(sim, "GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`)).data.map((l: { t: string }) => l.t);
    expect(log).toEqual(expect.arrayContaining(["calculating checksum...OK, checksum verified", `file size is: ${bytes.length}`, "finished file import successfully", "TASK OK"]));
    const vol = (await call(sim, "GET", "/nodes/pve1/storage/local/content", { content: "iso" })).data.find((v: { volid: string }) => v.volid === "local:iso/tiny.iso");
    expect(vol).toMatchObject({ size: bytes.length, format: "iso" });
  });

  it("fails the task on a checksum mismatch and refuses wrong extensions, content types and storages", async () => {
    const pve = client();
    const upid = await pve.upload({ node: "pve1", storage: "local", content: "iso", file: { stream: Readable.from([Buffer.from("abc")]), size: 3 }, filename: "a.iso", checksum: "00", checksumAlgorithm: "md5" });
    expect(await exit(sim, "pve1", upid)).toBe("checksum mismatch: got '900150983cd24fb0d6963f7d28e17f72' != expect '00'");
    await expect(pve.upload({ node: "pve1", storage: "local", content: "iso", file: { stream: Readable.from([Buffer.from("x")]), size: 1 }, filename: "a.exe" })).rejects.toThrow(
      /wrong file extension/,
    );
    await expect(pve.upload({ node: "pve1", storage: "local-lvm", content: "iso", file: { stream: Readable.from([Buffer.from("x")]), size: 1 }, filename: "a.iso" })).rejects.toThrow(
      /can't upload to storage type 'lvmthin'/,
    );
  });

  it("answers like PVE's HTTP layer: non-multipart uploads, bodies over 512 KiB, unknown content types", async () => {
    const auth = { authorization: sim.credentials.token.header };
    const post = async (path: string, body: string, type: string) => {
      const r = await request(`${server.url}/api2/json${path}`, { method: "POST", dispatcher: agent, headers: { ...auth, "content-type": type }, body });
      await r.body.text();
      return [r.statusCode, r.statusText] as const;
    };
    expect(await post("/nodes/pve1/storage/local/upload", "content=iso", "application/x-www-form-urlencoded")).toEqual([500, "upload 'Content-Type 'application/x-www-form-urlencoded' not implemented"]);
    expect(await post("/nodes/pve1/qemu/101/config", `description=${"x".repeat(600 * 1024)}`, "application/x-www-form-urlencoded")).toEqual([501, "for data too large"]);
    expect(await post("/nodes/pve1/qemu/101/config", "x", "text/plain")).toEqual([506, "upload 'Content-Type 'text/plain' not implemented"]);
    // the storage privilege is checked before the body is read
    const ro = await request(`${server.url}/api2/json/nodes/pve1/storage/local/upload`, {
      method: "POST",
      dispatcher: agent,
      headers: { authorization: sim.credentials.restrictedToken.header, "content-type": "multipart/form-data; boundary=x" },
      body: "--x--",
    });
    await ro.body.text();
    expect([ro.statusCode, ro.statusText]).toEqual([403, "Permission check failed (/storage/local, Datastore.AllocateTemplate)"]);
  });

  it("takes curl's multipart upload (a real third-party client)", async () => {
    const has = await run("curl", ["--version"]).then(
      () => true,
      () => false,
    );
    if (!has) return void console.warn("skipping curl upload: curl is not installed");
    const ca = join(dir, "ca.pem");
    writeFileSync(ca, server.cert);
    const tpl = join(dir, "alpine-3.20-default_20240908_amd64.tar.xz");
    writeFileSync(tpl, "not really a template");
    const { stdout } = await run("curl", [
      "-sS",
      "--cacert",
      ca,
      "-H",
      `Authorization: ${sim.credentials.token.header}`,
      "-F",
      "content=vztmpl",
      "-F",
      `filename=@${tpl}`,
      `${server.url}/api2/json/nodes/pve2/storage/local/upload`,
    ]);
    const upid = JSON.parse(stdout).data as string;
    expect(await exit(sim, "pve2", upid)).toBe("OK");
    const vols = (await call(sim, "GET", "/nodes/pve2/storage/local/content", { content: "vztmpl" })).data.map((v: { volid: string; format: string }) => [v.volid, v.format]);
    expect(vols).toContainEqual(["local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz", "txz"]);
  });

  it("streams uploads through the msw handlers too", async () => {
    const mswSim = createSimulator({ baseUrl: "https://pve.test:8006" });
    const msw = setupServer(...mswSim.handlers);
    msw.listen({ onUnhandledRequest: "error" });
    try {
      const form = new FormData();
      form.append("content", "iso");
      form.append("filename", new Blob([Buffer.from("hello")]), "hello.iso");
      const r = await fetch("https://pve.test:8006/api2/json/nodes/pve1/storage/local/upload", { method: "POST", headers: { authorization: mswSim.credentials.token.header }, body: form });
      const upid = ((await r.json()) as { data: string }).data;
      expect(await exit(mswSim, "pve1", upid)).toBe("OK");
      expect(mswSim.state.storages[0]?.volumes.pve1?.find((v) => v.volid === "local:iso/hello.iso")?.size).toBe(5);
    } finally {
      msw.close();
    }
  });
});
