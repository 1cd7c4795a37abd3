import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/testing";
import { call } from "./helpers";

describe("users, groups, realms, roles, ACLs and tokens (pve-access-control)", () => {
  it("creates a pve user in a group, who can log in and holds the group's privileges", async () => {
    const sim = createSimulator();
    expect((await call(sim, "POST", "/access/groups", { groupid: "ops", comment: "Operators" })).status).toBe(200);
    expect((await call(sim, "POST", "/access/users", { userid: "alice@pve", password: "alice-password", groups: "ops", email: "a@example.invalid" })).status).toBe(200);
    expect((await call(sim, "POST", "/access/users", { userid: "alice@pve" })).statusText).toBe("create user failed: user 'alice@pve' already exists");
    expect((await call(sim, "POST", "/access/users", { userid: "bob@nowhere" })).statusText).toBe("create user failed: domain 'nowhere' does not exist");
    expect((await call(sim, "PUT", "/access/acl", { path: "/vms/102", roles: "PVEVMUser", groups: "ops" })).status).toBe(200);

    const login = await call(sim, "POST", "/access/ticket", { username: "alice@pve", password: "alice-password" }, {});
    expect(login.status).toBe(200);
    const alice = { cookie: `PVEAuthCookie=${encodeURIComponent(login.data.ticket)}`, csrfpreventiontoken: login.data.CSRFPreventionToken };
    expect((await call(sim, "POST", "/nodes/pve2/qemu/102/status/start", {}, alice)).status).toBe(200);
    expect((await call(sim, "POST", "/nodes/pve1/qemu/101/status/stop", {}, alice)).statusText).toBe("Permission check failed (/vms/101, VM.PowerMgmt)");

    const users = (await call(sim, "GET", "/access/users", { full: 1 })).data as Record<string, unknown>[];
    expect(users.find((u) => u.userid === "alice@pve")).toMatchObject({ enable: 1, groups: "ops", email: "a@example.invalid", "realm-type": "pve", tokens: [] });
    expect((await call(sim, "GET", "/access/users/alice@pve")).data).toEqual({ enable: 1, email: "a@example.invalid", groups: ["ops"], tokens: {} });
    expect((await call(sim, "GET", "/access/groups/ops")).data).toEqual({ comment: "Operators", members: ["alice@pve"] });
    expect((await call(sim, "GET", "/access/groups")).data).toContainEqual({ groupid: "ops", comment: "Operators", users: "alice@pve" });
    const acl = (await call(sim, "GET", "/access/acl")).data;
    expect(acl).toContainEqual({ path: "/vms/102", type: "group", ugid: "ops", roleid: "PVEVMUser", propagate: 1 });

    // disabling the user ends her ticket; deleting the group takes its ACL entries
    await call(sim, "PUT", "/access/users/alice@pve", { enable: 0 });
    expect((await call(sim, "GET", "/nodes", {}, alice)).status).toBe(401);
    await call(sim, "DELETE", "/access/groups/ops");
    expect((await call(sim, "GET", "/access/acl")).data.some((e: { ugid: string }) => e.ugid === "ops")).toBe(false);
    expect((await call(sim, "GET", "/access/users/alice@pve")).data.groups).toEqual([]);
    // with a token (not root@pam's ticket) the declared check looks the user up first (RPCEnvironment userid-group)
    expect((await call(sim, "DELETE", "/access/users/nobody@pve")).statusText).toBe("no such user ('nobody@pve')");
  });

  it("generates an API token whose secret works once shown, with privilege separation by default", async () => {
    const sim = createSimulator();
    await call(sim, "POST", "/access/users", { userid: "ci@pve" });
    await call(sim, "PUT", "/access/acl", { path: "/", roles: "PVEVMAdmin", users: "ci@pve" });
    const made = (await call(sim, "POST", "/access/users/ci@pve/token/deploy", { comment: "CI" })).data;
    expect(made).toMatchObject({ "full-tokenid": "ci@pve!deploy", info: { privsep: 1, comment: "CI" } });
    expect(made.value).toMatch(/^[0-9a-f-]{36}$/);
    const header = { authorization: `PVEAPIToken=ci@pve!deploy=${made.value}` };
    // privsep: the token has no ACL of its own yet
    expect((await call(sim, "POST", "/nodes/pve2/qemu/102/status/start", {}, header)).statusText).toBe("Permission check failed (/vms/102, VM.PowerMgmt)");
    await call(sim, "PUT", "/access/acl", { path: "/vms", roles: "PVEVMUser", tokens: "ci@pve!deploy" });
    expect((await call(sim, "POST", "/nodes/pve2/qemu/102/status/start", {}, header)).status).toBe(200);
    expect((await call(sim, "GET", "/access/users/ci@pve/token")).data).toEqual([{ tokenid: "deploy", privsep: 1, comment: "CI" }]);
    expect((await call(sim, "POST", "/access/users/ci@pve/token/deploy")).json.errors).toEqual({ tokenid: "Token already exists." });
    // 'self' means the caller is the user: a token is not (RPCEnvironment userid-param compares the token id)
    expect((await call(sim, "GET", "/access/users/ci@pve/token/deploy", {}, header)).statusText).toBe("Permission check failed");
    expect((await call(sim, "DELETE", "/access/users/ci@pve/token/deploy")).status).toBe(200);
    expect((await call(sim, "GET", "/version", {}, header)).statusText).toBe("Authentication failed!");
    expect((await call(sim, "GET", "/access/acl")).data.some((e: { ugid: string }) => e.ugid === "ci@pve!deploy")).toBe(false);
  });

  it("manages roles (built-in ones are fixed) and realms (pam and pve are built in)", async () => {
    const sim = createSimulator();
    const roles = (await call(sim, "GET", "/access/roles")).data as { roleid: string; special: number; privs: string }[];
    expect(roles.find((r) => r.roleid === "PVEAuditor")).toMatchObject({ special: 1, privs: expect.stringContaining("VM.Audit") });
    expect((await call(sim, "POST", "/access/roles", { roleid: "Snapper", privs: "VM.Snapshot,VM.Audit" })).status).toBe(200);
    expect((await call(sim, "GET", "/access/roles/Snapper")).data).toEqual({ "VM.Audit": 1, "VM.Snapshot": 1 });
    expect((await call(sim, "PUT", "/access/roles/PVEAuditor", { privs: "VM.Allocate" })).statusText).toBe("auto-generated role 'PVEAuditor' cannot be modified");
    expect((await call(sim, "PUT", "/access/acl", { path: "/vms/100", roles: "Nope", users: "auditor@pve" })).statusText).toBe("role 'Nope' does not exist");

    expect((await call(sim, "GET", "/access/domains", {}, {})).data).toEqual([
      { realm: "pam", type: "pam", comment: "Linux PAM standard authentication" },
      { realm: "pve", type: "pve", comment: "Proxmox VE authentication server", default: 1 },
    ]);
    expect((await call(sim, "POST", "/access/domains", { realm: "ad", type: "ad", server1: "dc.example.invalid", domain: "example.invalid" })).status).toBe(200);
    expect((await call(sim, "GET", "/access/domains/ad")).data).toMatchObject({ type: "ad", server1: "dc.example.invalid" });
    expect((await call(sim, "POST", "/access/domains", { realm: "pve2", type: "pve" })).statusText).toBe("add auth server failed: unable to create builtin type 'pve'");
    expect((await call(sim, "DELETE", "/access/domains/pam")).statusText).toBe("delete auth server failed: can't remove builtin realm 'pam'");
  });

  it("refuses user management without User.Modify / Sys.Audit; users still see themselves", async () => {
    const sim = createSimulator();
    const ro = { authorization: sim.credentials.restrictedToken.header };
    // PVEAuditor holds Sys.Audit: reads work, writes do not
    expect((await call(sim, "GET", "/access/users", {}, ro)).data.length).toBeGreaterThan(1);
    expect((await call(sim, "POST", "/access/users", { userid: "x@pve" }, ro)).statusText).toBe("Permission check failed (/access/realm/pve, Realm.AllocateUser)");
    expect((await call(sim, "POST", "/access/groups", { groupid: "g1" }, ro)).statusText).toBe("Permission check failed (/access/groups, Group.Allocate)");
    await call(sim, "POST", "/access/users", { userid: "solo@pve", password: "solo-password" });
    const login = (await call(sim, "POST", "/access/ticket", { username: "solo@pve", password: "solo-password" }, {})).data;
    const solo = { cookie: `PVEAuthCookie=${encodeURIComponent(login.ticket)}` };
    expect((await call(sim, "GET", "/access/users", {}, solo)).data.map((u: { userid: string }) => u.userid)).toEqual(["solo@pve"]);
  });
});
