import { describe, expect, it } from "vitest";
import { routes } from "../../src/generated/routes";
import type { RouteMeta } from "../../src/generated/meta-types";
import { createSimulator } from "../../src/testing";
import type { ClusterState } from "../../src/testing";
import { call, conformance } from "./helpers";

type Params = Record<string, string | number>;
const UPID_PLACEHOLDER = "{upid}";

/** One successful request per implemented endpoint (path, params). `{upid}` is filled with a real task. */
const cases: Record<string, [string, Params?]> = {
  "GET /version": ["/version"],
  "GET /cluster/status": ["/cluster/status"],
  "GET /cluster/resources": ["/cluster/resources"],
  "GET /cluster/nextid": ["/cluster/nextid"],
  "GET /cluster/tasks": ["/cluster/tasks"],
  "GET /cluster/log": ["/cluster/log", { max: 10 }],
  "GET /nodes/{node}/syslog": ["/nodes/pve1/syslog", { limit: 5 }],
  "GET /nodes/{node}/journal": ["/nodes/pve1/journal", { lastentries: 5 }],
  "GET /nodes": ["/nodes"],
  "GET /nodes/{node}/status": ["/nodes/pve1/status"],
  "GET /nodes/{node}/version": ["/nodes/pve1/version"],
  "GET /nodes/{node}/storage": ["/nodes/pve1/storage"],
  "GET /nodes/{node}/storage/{storage}/status": ["/nodes/pve1/storage/local/status"],
  "GET /nodes/{node}/storage/{storage}/content": ["/nodes/pve1/storage/local/content"],
  "GET /nodes/{node}/qemu": ["/nodes/pve1/qemu"],
  "GET /nodes/{node}/lxc": ["/nodes/pve1/lxc"],
  "POST /nodes/{node}/qemu": ["/nodes/pve1/qemu", { vmid: 500, memory: 512 }],
  "POST /nodes/{node}/lxc": ["/nodes/pve1/lxc", { vmid: 501, ostemplate: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst", storage: "local-lvm" }],
  "GET /nodes/{node}/qemu/{vmid}/status/current": ["/nodes/pve1/qemu/100/status/current"],
  "GET /nodes/{node}/lxc/{vmid}/status/current": ["/nodes/pve1/lxc/200/status/current"],
  "GET /nodes/{node}/lxc/{vmid}/interfaces": ["/nodes/pve1/lxc/200/interfaces"],
  "POST /nodes/{node}/qemu/{vmid}/status/start": ["/nodes/pve2/qemu/102/status/start"],
  "POST /nodes/{node}/qemu/{vmid}/status/stop": ["/nodes/pve1/qemu/101/status/stop"],
  "POST /nodes/{node}/qemu/{vmid}/status/shutdown": ["/nodes/pve1/qemu/101/status/shutdown"],
  "POST /nodes/{node}/qemu/{vmid}/status/reboot": ["/nodes/pve1/qemu/101/status/reboot"],
  "POST /nodes/{node}/qemu/{vmid}/status/suspend": ["/nodes/pve1/qemu/101/status/suspend"],
  "POST /nodes/{node}/qemu/{vmid}/status/resume": ["/nodes/pve1/qemu/101/status/resume"],
  "POST /nodes/{node}/qemu/{vmid}/status/reset": ["/nodes/pve1/qemu/101/status/reset"],
  "POST /nodes/{node}/lxc/{vmid}/status/start": ["/nodes/pve2/lxc/201/status/start"],
  "POST /nodes/{node}/lxc/{vmid}/status/stop": ["/nodes/pve1/lxc/200/status/stop"],
  "POST /nodes/{node}/lxc/{vmid}/status/shutdown": ["/nodes/pve1/lxc/200/status/shutdown"],
  "POST /nodes/{node}/lxc/{vmid}/status/reboot": ["/nodes/pve1/lxc/200/status/reboot"],
  "POST /nodes/{node}/lxc/{vmid}/status/suspend": ["/nodes/pve1/lxc/200/status/suspend"],
  "POST /nodes/{node}/lxc/{vmid}/status/resume": ["/nodes/pve2/lxc/201/status/resume"],
  "GET /nodes/{node}/qemu/{vmid}/config": ["/nodes/pve1/qemu/100/config"],
  "PUT /nodes/{node}/qemu/{vmid}/config": ["/nodes/pve1/qemu/100/config", { cores: 4 }],
  "POST /nodes/{node}/qemu/{vmid}/config": ["/nodes/pve1/qemu/100/config", { cores: 4 }],
  "GET /nodes/{node}/lxc/{vmid}/config": ["/nodes/pve1/lxc/200/config"],
  "GET /nodes/{node}/qemu/{vmid}/pending": ["/nodes/pve1/qemu/100/pending"],
  "GET /nodes/{node}/lxc/{vmid}/pending": ["/nodes/pve1/lxc/200/pending"],
  "PUT /nodes/{node}/qemu/{vmid}/unlink": ["/nodes/pve1/qemu/100/unlink", { idlist: "ide2" }],
  "POST /nodes/{node}/qemu/{vmid}/move_disk": ["/nodes/pve2/qemu/102/move_disk", { disk: "scsi0", storage: "nas" }],
  "POST /nodes/{node}/lxc/{vmid}/move_volume": ["/nodes/pve2/lxc/201/move_volume", { volume: "rootfs", storage: "nas" }],
  "PUT /nodes/{node}/lxc/{vmid}/config": ["/nodes/pve1/lxc/200/config", { cores: 2 }],
  "GET /nodes/{node}/qemu/{vmid}/snapshot": ["/nodes/pve1/qemu/100/snapshot"],
  "POST /nodes/{node}/qemu/{vmid}/snapshot": ["/nodes/pve1/qemu/100/snapshot", { snapname: "s1", vmstate: 1 }],
  "DELETE /nodes/{node}/qemu/{vmid}/snapshot/{snapname}": ["/nodes/pve1/qemu/100/snapshot/pre-upgrade"],
  "POST /nodes/{node}/qemu/{vmid}/snapshot/{snapname}/rollback": ["/nodes/pve1/qemu/100/snapshot/pre-upgrade/rollback"],
  "GET /nodes/{node}/qemu/{vmid}/snapshot/{snapname}/config": ["/nodes/pve1/qemu/100/snapshot/pre-upgrade/config"],
  "GET /nodes/{node}/lxc/{vmid}/snapshot": ["/nodes/pve1/lxc/200/snapshot"],
  "POST /nodes/{node}/lxc/{vmid}/snapshot": ["/nodes/pve1/lxc/200/snapshot", { snapname: "c1" }],
  "DELETE /nodes/{node}/lxc/{vmid}/snapshot/{snapname}": ["/nodes/pve1/lxc/200/snapshot/{snap}"],
  "POST /nodes/{node}/lxc/{vmid}/snapshot/{snapname}/rollback": ["/nodes/pve1/lxc/200/snapshot/{snap}/rollback"],
  "GET /nodes/{node}/lxc/{vmid}/snapshot/{snapname}/config": ["/nodes/pve1/lxc/200/snapshot/{snap}/config"],
  "POST /nodes/{node}/vzdump": ["/nodes/pve1/vzdump", { vmid: "100" }],
  "POST /nodes/{node}/qemu/{vmid}/clone": ["/nodes/pve1/qemu/101/clone", { newid: 600 }],
  "POST /nodes/{node}/lxc/{vmid}/clone": ["/nodes/pve2/lxc/201/clone", { newid: 601 }],
  "POST /nodes/{node}/qemu/{vmid}/migrate": ["/nodes/pve2/qemu/102/migrate", { target: "pve3" }],
  "POST /nodes/{node}/lxc/{vmid}/migrate": ["/nodes/pve2/lxc/201/migrate", { target: "pve3" }],
  "DELETE /nodes/{node}/qemu/{vmid}": ["/nodes/pve2/qemu/102"],
  "DELETE /nodes/{node}/lxc/{vmid}": ["/nodes/pve2/lxc/201"],
  "PUT /nodes/{node}/qemu/{vmid}/resize": ["/nodes/pve1/qemu/100/resize", { disk: "scsi0", size: "+1G" }],
  "PUT /nodes/{node}/lxc/{vmid}/resize": ["/nodes/pve1/lxc/200/resize", { disk: "rootfs", size: "+1G" }],
  "POST /nodes/{node}/qemu/{vmid}/template": ["/nodes/pve2/qemu/102/template"],
  "POST /nodes/{node}/lxc/{vmid}/template": ["/nodes/pve2/lxc/201/template"],
  "GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces": ["/nodes/pve1/qemu/100/agent/network-get-interfaces"],
  "POST /nodes/{node}/qemu/{vmid}/agent/ping": ["/nodes/pve1/qemu/100/agent/ping"],
  "GET /nodes/{node}/tasks": ["/nodes/pve1/tasks", { source: "all" }],
  "GET /nodes/{node}/tasks/{upid}": [`/nodes/pve1/tasks/${UPID_PLACEHOLDER}`],
  "GET /nodes/{node}/tasks/{upid}/status": [`/nodes/pve1/tasks/${UPID_PLACEHOLDER}/status`],
  "GET /nodes/{node}/tasks/{upid}/log": [`/nodes/pve1/tasks/${UPID_PLACEHOLDER}/log`],
  "DELETE /nodes/{node}/tasks/{upid}": [`/nodes/pve1/tasks/${UPID_PLACEHOLDER}`],
  "GET /pools": ["/pools", { poolid: "production" }],
  "POST /pools": ["/pools", { poolid: "lab" }],
  "GET /pools/{poolid}": ["/pools/production"],
  "PUT /pools": ["/pools", { poolid: "production", comment: "x" }],
  "PUT /pools/{poolid}": ["/pools/production", { vms: "102" }],
  "DELETE /pools": ["/pools", { poolid: "empty" }],
  "DELETE /pools/{poolid}": ["/pools/empty"],
  "POST /access/ticket": ["/access/ticket"],
  "GET /access/ticket": ["/access/ticket"],
  "GET /access/domains": ["/access/domains"],
  "GET /access/permissions": ["/access/permissions"],
  "GET /cluster/bulk-action": ["/cluster/bulk-action"],
  "GET /cluster/bulk-action/guest": ["/cluster/bulk-action/guest"],
  "POST /cluster/bulk-action/guest/start": ["/cluster/bulk-action/guest/start", { "max-workers": 2 }],
  "POST /cluster/bulk-action/guest/shutdown": ["/cluster/bulk-action/guest/shutdown", { vms: 101 }],
  "POST /cluster/bulk-action/guest/suspend": ["/cluster/bulk-action/guest/suspend"],
  "POST /cluster/bulk-action/guest/migrate": ["/cluster/bulk-action/guest/migrate", { target: "pve3", vms: 102 }],
  "POST /nodes/{node}/startall": ["/nodes/pve2/startall", { force: 1 }],
  "POST /nodes/{node}/stopall": ["/nodes/pve1/stopall"],
  "POST /nodes/{node}/suspendall": ["/nodes/pve1/suspendall"],
  "POST /nodes/{node}/migrateall": ["/nodes/pve2/migrateall", { target: "pve3", "max-workers": 2 }],
  "GET /access/users": ["/access/users", { full: 1 }],
  "POST /access/users": ["/access/users", { userid: "new@pve", password: "long-enough", groups: "auditors" }],
  "GET /access/users/{userid}": ["/access/users/root@pam"],
  "PUT /access/users/{userid}": ["/access/users/auditor@pve", { comment: "c", groups: "auditors" }],
  "DELETE /access/users/{userid}": ["/access/users/auditor@pve"],
  "PUT /access/password": ["/access/password", { userid: "auditor@pve", password: "new-password" }],
  "GET /access/users/{userid}/token": ["/access/users/root@pam/token"],
  "GET /access/users/{userid}/token/{tokenid}": ["/access/users/root@pam/token/pvekit"],
  "POST /access/users/{userid}/token/{tokenid}": ["/access/users/root@pam/token/ci", { privsep: 0, comment: "ci" }],
  "PUT /access/users/{userid}/token/{tokenid}": ["/access/users/root@pam/token/pvekit", { comment: "c", regenerate: 1 }],
  "DELETE /access/users/{userid}/token/{tokenid}": ["/access/users/auditor@pve/token/readonly"],
  "GET /access/groups": ["/access/groups"],
  "POST /access/groups": ["/access/groups", { groupid: "ops", comment: "Ops" }],
  "GET /access/groups/{groupid}": ["/access/groups/auditors"],
  "PUT /access/groups/{groupid}": ["/access/groups/auditors", { comment: "c" }],
  "DELETE /access/groups/{groupid}": ["/access/groups/auditors"],
  "POST /access/domains": ["/access/domains", { realm: "corp2", type: "ldap", server1: "ldap.example.invalid", base_dn: "dc=example", user_attr: "uid" }],
  "GET /access/domains/{realm}": ["/access/domains/pve"],
  "PUT /access/domains/{realm}": ["/access/domains/pve", { comment: "c" }],
  "DELETE /access/domains/{realm}": ["/access/domains/corp"],
  "GET /access/roles": ["/access/roles"],
  "POST /access/roles": ["/access/roles", { roleid: "Snapper", privs: "VM.Snapshot,VM.Audit" }],
  "GET /access/roles/{roleid}": ["/access/roles/PVEAuditor"],
  "PUT /access/roles/{roleid}": ["/access/roles/Custom", { privs: "VM.Console", append: 1 }],
  "DELETE /access/roles/{roleid}": ["/access/roles/Custom"],
  "GET /access/acl": ["/access/acl"],
  "PUT /access/acl": ["/access/acl", { path: "/vms/100", roles: "PVEVMUser", users: "auditor@pve" }],
  "GET /storage": ["/storage"],
  "POST /storage": ["/storage", { storage: "nfs2", type: "nfs", server: "10.0.0.9", export: "/e", content: "images" }],
  "GET /storage/{storage}": ["/storage/local"],
  "PUT /storage/{storage}": ["/storage/nas", { content: "images,iso" }],
  "DELETE /storage/{storage}": ["/storage/nas"],
  "GET /nodes/{node}/storage/{storage}/content/{volume}": ["/nodes/pve1/storage/local/content/local:iso/debian-12.5.0-amd64-netinst.iso"],
  "PUT /nodes/{node}/storage/{storage}/content/{volume}": ["/nodes/pve1/storage/local/content/local:iso/debian-12.5.0-amd64-netinst.iso", { notes: "n" }],
  "DELETE /nodes/{node}/storage/{storage}/content/{volume}": ["/nodes/pve1/storage/local/content/local:iso/debian-12.5.0-amd64-netinst.iso"],
  "POST /nodes/{node}/storage/{storage}/download-url": ["/nodes/pve1/storage/local/download-url", { url: "https://example.invalid/a.iso", content: "iso", filename: "a.iso" }],
  "POST /nodes/{node}/storage/{storage}/upload": ["/nodes/pve1/storage/local/upload", { content: "iso", filename: "u.iso" }],
};

/** The default cluster plus an empty pool and a shared NFS storage for images. */
function setup(s: ClusterState): void {
  s.pools.set("empty", { poolid: "empty", storage: [] });
  s.storages.push({ storage: "nas", type: "nfs", content: ["images", "rootdir", "backup", "iso"], shared: true, total: 2 * 1024 ** 4, volumes: {} });
}

/** Access objects some cases change or delete (users and tokens live outside the state, so they are added per case). */
function accessSetup(sim: ReturnType<typeof createSimulator>): void {
  sim.access.roles.set("Custom", { privs: new Set(["VM.Audit"]), special: false });
  sim.access.realms.set("corp", { realm: "corp", type: "ldap", options: { server1: "ldap.example.invalid" } });
}

const routeOf = (key: string) => routes[key as keyof typeof routes] as RouteMeta;

/** Headers of a root ticket login (for methods that refuse API tokens). */
async function ticketHeaders(sim: ReturnType<typeof createSimulator>): Promise<Record<string, string>> {
  const login = await call(sim, "POST", "/access/ticket", { username: "root@pam", password: sim.credentials.root.password }, {});
  return { cookie: `PVEAuthCookie=${encodeURIComponent(login.data.ticket)}`, csrfpreventiontoken: login.data.CSRFPreventionToken };
}

async function uploadCall(sim: ReturnType<typeof createSimulator>, path: string, params: Params) {
  const r = await sim.handle({
    method: "POST",
    path: `/api2/json${path}`,
    body: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
    headers: { authorization: sim.credentials.token.header },
    upload: { filename: String(params.filename), size: 4, checksums: {} },
  });
  const json = JSON.parse(r.body);
  return { status: r.status, statusText: r.statusText, data: json.data, json };
}

describe("every implemented endpoint answers per the schema's `returns`", () => {
  const sim = createSimulator();

  it("implements only routes of the schema, and this table covers all of them", () => {
    const known = new Set(Object.keys(routes));
    expect(sim.implemented.filter((k) => !known.has(k))).toEqual([]);
    expect(Object.keys(cases).sort()).toEqual(sim.implemented);
  });

  it("the checker itself catches wrong shapes", () => {
    const schema = { t: "object", props: { vmid: { t: "integer" }, status: { t: "string", e: ["running", "stopped"] } } } as const;
    expect(conformance(schema, { vmid: 100, status: "running" })).toEqual([]);
    expect(conformance(schema, { vmid: "100", status: "paused" })).toHaveLength(2);
    expect(conformance(schema, { status: "stopped" })).toEqual(["data.vmid: required property missing"]);
  });

  for (const [key, [template, params = {}]] of Object.entries(cases)) {
    it(key, async () => {
      const fresh = createSimulator({ clock: { mode: "manual" }, setup });
      let path = template;
      if (path.includes(UPID_PLACEHOLDER)) {
        const upid = (await call(fresh, "POST", "/nodes/pve1/qemu/101/status/shutdown")).data as string;
        path = path.replace(UPID_PLACEHOLDER, encodeURIComponent(upid));
      }
      if (path.includes("{snap}")) {
        await call(fresh, "POST", "/nodes/pve1/lxc/200/snapshot", { snapname: "base" });
        fresh.clock.advance(60_000);
        path = path.replace("{snap}", "base");
      }
      accessSetup(fresh);
      if (key === "POST /access/ticket") Object.assign(params, { username: fresh.credentials.root.username, password: fresh.credentials.root.password });
      const method = key.split(" ")[0] as string;
      // an upload's file comes from the face (multipart); here it is handed over as the faces do
      const r = key.endsWith("/upload")
        ? await uploadCall(fresh, path, params)
        : routeOf(key).tok === 0
          ? await call(fresh, method, path, params, await ticketHeaders(fresh))
          : await call(fresh, method, path, params);
      expect([r.status, r.statusText]).toEqual([200, "OK"]);
      const route = routes[key as keyof typeof routes] as RouteMeta;
      expect(conformance(route.ret, r.data)).toEqual([]);
      if (route.upid && r.data !== null) expect(r.data).toMatch(/^UPID:/);
    });
  }
});
