import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { PolicyRefusedError } from "../../../src/skill/errors";
import type { ConfirmationOutcome } from "../../../src/skill/skill-outcome";
import { startSimSkill, type SimSkill } from "../helpers/sim-skill";

// Red-team follow-up: "GET is read-only" let an agent in read-only mode read any file inside a guest
// (agent/file-read) or make a node fetch a URL of its choosing (query-url-metadata) through `api get`.
let t: SimSkill;
beforeAll(async () => {
  t = await startSimSkill();
});
afterAll(async () => t.close());
beforeEach(() => t.sim.reset());

/** Marks the path so a request that reaches the simulator shows up in `hits`. */
function watchPath(pattern: string) {
  return t.sim.fault(pattern, { kind: "status", status: 500, message: "reached the server" }, { times: "always" });
}

test.each([
  ["a guest file read through the guest agent", "/nodes/pve1/qemu/100/agent/file-read", { file: "/etc/shadow" }, "GET /nodes/*/qemu/*/agent/file-read"],
  ["a node fetching a URL of the agent's choosing", "/nodes/pve1/query-url-metadata", { url: "http://169.254.169.254/latest/" }, "GET /nodes/*/query-url-metadata"],
  ["a node scanning a server of the agent's choosing", "/nodes/pve1/scan/nfs", { server: "10.0.0.9" }, "GET /nodes/*/scan/nfs"],
])("read-only mode refuses %s, and nothing is sent", async (_what, path, params, pattern) => {
  const rule = watchPath(pattern);
  const err = await t.skill({ mode: "read-only" }).run("api", { method: "get", path, params }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PolicyRefusedError);
  expect((err as PolicyRefusedError).rule).toBe("mode");
  expect(rule.hits).toBe(0);
});

test("reading a guest file needs admin and a confirm token, and the allow-lists see the guest", async () => {
  const rule = watchPath("GET /nodes/*/qemu/*/agent/file-read");
  const out = (await t
    .skill({ mode: "admin" })
    .run("api", { method: "get", path: "/nodes/pve1/qemu/100/agent/file-read", params: { file: "/etc/shadow" } })) as ConfirmationOutcome;
  expect(out.status).toBe("confirmation-required");
  expect(out.plan.tier).toBe("destructive");
  const refused = await t
    .skill({ mode: "admin", allowedVmids: "102" })
    .run("api", { method: "get", path: "/nodes/pve1/qemu/100/agent/file-read", params: { file: "/etc/shadow" } })
    .catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(PolicyRefusedError);
  expect((refused as PolicyRefusedError).rule).toBe("allow-list");
  expect(rule.hits).toBe(0);
});

test("plain GETs stay read-only", async () => {
  const out = await t.skill({ mode: "read-only" }).run("api", { method: "get", path: "/nodes/pve1/qemu/100/status/current" });
  expect(out.status).toBe("done");
});
