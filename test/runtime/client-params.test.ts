import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { PveValidationError } from "../../src/runtime/errors";
import { API, TOKEN, mswClient, useMsw } from "./helpers/msw-client";

const server = useMsw();

/** Records every request msw sees and answers with `data`. */
function record(method: "get" | "post" | "put" | "delete", path: string, data: unknown = null, extra: object = {}) {
  const seen: { url: URL; body: string; headers: Headers }[] = [];
  server.use(
    http[method](`${API}${path}`, async ({ request }) => {
      seen.push({ url: new URL(request.url), body: await request.text(), headers: request.headers });
      return HttpResponse.json({ data, ...extra });
    }),
  );
  return seen;
}

describe("parameters on the wire", () => {
  it("GET puts parameters in the query string, booleans as 1/0, with the token header", async () => {
    const seen = record("get", "/nodes/:node/qemu", []);
    await mswClient().api.nodes.$("pve1").qemu.$get({ full: true });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url.pathname).toBe("/api2/json/nodes/pve1/qemu");
    expect(seen[0]!.url.search).toBe("?full=1");
    expect(seen[0]!.headers.get("authorization")).toBe(`PVEAPIToken=${TOKEN.tokenId}=${TOKEN.secret}`);
    expect(seen[0]!.headers.get("csrfpreventiontoken")).toBeNull();
  });

  it("POST sends a form body: property-string objects stringified, lists joined, undefined dropped", async () => {
    const seen = record("post", "/nodes/:node/qemu", "UPID:pve1:00001234:00ABCDEF:65000000:qmcreate:100:automation@pve!ci:");
    const upid = await mswClient().request("POST", "/nodes/{node}/qemu", {
      node: "pve1",
      vmid: 100,
      name: "web-1",
      onboot: false,
      net0: { model: "virtio", bridge: "vmbr0", firewall: true },
      tags: ["prod", "web"],
      description: undefined,
    });
    expect(upid).toMatch(/^UPID:pve1:/);
    const form = new URLSearchParams(seen[0]!.body);
    expect(seen[0]!.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(form)).toEqual({
      vmid: "100",
      name: "web-1",
      onboot: "0",
      net0: "virtio,bridge=vmbr0,firewall=1",
      tags: "prod,web",
    });
    expect(seen[0]!.url.search).toBe("");
  });

  it("accepts raw property strings and the keyAlias shorthand object", async () => {
    const seen = record("put", "/nodes/:node/qemu/:vmid/config");
    await mswClient().api.nodes.$("pve1").qemu.$(100).config.$put({
      net1: "virtio=BC:24:11:00:00:01,bridge=vmbr1",
      net2: { model: "e1000", macaddr: "BC:24:11:00:00:02", bridge: "vmbr0" },
      delete: ["ide2", "net3"],
    });
    const form = Object.fromEntries(new URLSearchParams(seen[0]!.body));
    expect(form.net1).toBe("virtio=BC:24:11:00:00:01,bridge=vmbr1");
    expect(form.net2).toBe("e1000=BC:24:11:00:00:02,bridge=vmbr0");
    expect(form.delete).toBe("ide2,net3");
  });

  it("sends array parameters as repeated keys", async () => {
    const seen = record("post", "/nodes/:node/qemu/:vmid/agent/exec", { pid: 42 });
    const res = await mswClient().api.nodes.$("pve1").qemu.$(100).agent.exec.$post({ command: ["ls", "-l", "/tmp"] });
    expect(new URLSearchParams(seen[0]!.body).getAll("command")).toEqual(["ls", "-l", "/tmp"]);
    expect(res).toEqual({ pid: 42 });
  });

  it("URL-encodes path parameters, in the tree and in request()", async () => {
    const seen = record("get", "/nodes/:node/tasks/:upid/status", { status: "running" });
    const upid = "UPID:pve1:00001234:00ABCDEF:65000000:qmstart:100:root@pam:";
    await mswClient().request("GET", "/nodes/{node}/tasks/{upid}/status", { node: "pve1", upid });
    await mswClient().api.nodes.$("pve1").tasks.$(upid).status.$get();
    for (const s of seen) expect(s.url.pathname).toBe(`/api2/json/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`);
    expect(seen).toHaveLength(2);
  });

  it("DELETE puts parameters in the query string", async () => {
    const seen = record("delete", "/nodes/:node/qemu/:vmid", "UPID:pve1:00001234:00ABCDEF:65000000:qmdestroy:100:root@pam:");
    await mswClient().api.nodes.$("pve1").qemu.$(100).$delete({ purge: true, "destroy-unreferenced-disks": false });
    expect(seen[0]!.url.searchParams.get("purge")).toBe("1");
    expect(seen[0]!.url.searchParams.get("destroy-unreferenced-disks")).toBe("0");
    expect(seen[0]!.body).toBe("");
  });

  it("resolves a concrete path to its route: validated, decoded", async () => {
    record("get", "/nodes/:node/qemu/:vmid/status/current", { status: "running", cpus: "4", mem: "1024", agent: 1 });
    const status = await mswClient().request("GET", "/nodes/pve1/qemu/100/status/current");
    expect(status).toEqual({ status: "running", cpus: 4, mem: 1024, agent: true });
    await expect(mswClient().request("GET", "/nodes/pve1/qemu/100/status/current", { bogus: 1 })).rejects.toBeInstanceOf(
      PveValidationError,
    );
  });
});

describe("client-side validation", () => {
  it("lists every problem, names each parameter, and sends nothing", async () => {
    const seen = record("post", "/nodes/:node/qemu");
    const err = await mswClient()
      .request("POST", "/nodes/{node}/qemu", { node: "pve1", vmid: 5, cores: 0, net40: "virtio", colour: "red" } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveValidationError);
    const v = err as PveValidationError;
    expect(v.code).toBe("PVE_ERR_VALIDATION");
    expect(Object.keys(v.errors).sort()).toEqual(["colour", "cores", "net40", "vmid"]);
    expect(v.message).toContain("vmid: value must have a minimum value of 100");
    expect(v.method).toBe("POST");
    expect(v.path).toBe("/nodes/{node}/qemu");
    expect(seen).toHaveLength(0);
  });

  it("validate: false sends what it is given", async () => {
    const seen = record("post", "/nodes/:node/qemu");
    await mswClient({ validate: false }).request("POST", "/nodes/{node}/qemu", { node: "pve1", vmid: 5, colour: "red" } as never);
    expect(Object.fromEntries(new URLSearchParams(seen[0]!.body))).toEqual({ vmid: "5", colour: "red" });
  });

  it("rejects an empty path parameter before sending", async () => {
    expect(() => mswClient().api.nodes.$("")).toThrow(PveValidationError);
    await expect(mswClient().request("GET", "/nodes/{node}/qemu", { node: "" } as never)).rejects.toBeInstanceOf(PveValidationError);
  });
});

describe("decoding", () => {
  it("unwraps data, keeps siblings in requestRaw, and decodes by the return schema", async () => {
    record("get", "/nodes/:node/qemu", [{ vmid: "100", cpus: "2", name: "007", status: "running", template: 0 }], { total: 1 });
    const pve = mswClient();
    const vms = await pve.api.nodes.$("pve1").qemu.$get();
    expect(vms).toEqual([{ vmid: 100, cpus: 2, name: "007", status: "running", template: false }]);
    const raw = await pve.requestRaw("GET", "/nodes/{node}/qemu", { node: "pve1" });
    expect(raw.total).toBe(1);
    expect(Array.isArray(raw.data)).toBe(true);
  });

  it("passes through a path the schema does not know, undecoded (requestRaw: request() does not compile for it)", async () => {
    record("get", "/nodes/:node/brand-new", { count: "3" });
    const { data } = await mswClient().requestRaw("GET", "/nodes/pve1/brand-new");
    expect(data).toEqual({ count: "3" });
  });
});
