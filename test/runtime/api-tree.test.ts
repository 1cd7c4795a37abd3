import { inspect } from "node:util";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { API, mswClient, useMsw } from "./helpers/msw-client";

const server = useMsw();

describe("pve.api path tree", () => {
  it("has the verbs only where the schema has the method", () => {
    const api = mswClient().api;
    const start = api.nodes.$("pve1").qemu.$(100).status.start;
    expect(typeof start.$post).toBe("function");
    expect((start as unknown as Record<string, unknown>).$get).toBeUndefined();
    expect((start as unknown as Record<string, unknown>).$delete).toBeUndefined();
    expect(typeof api.nodes.$get).toBe("function");
    expect((api.nodes as unknown as Record<string, unknown>).$post).toBeUndefined();
    expect("$get" in api.nodes).toBe(true);
    expect("$post" in api.nodes).toBe(false);
  });

  it("gives undefined for unknown names: no URL from typos, constructor or then", async () => {
    const api = mswClient().api as unknown as Record<string, unknown>;
    const nodes = api.nodes as Record<string, unknown>;
    expect(api.nodez).toBeUndefined();
    expect(api.constructor).toBeUndefined();
    expect(api.then).toBeUndefined();
    expect(api.__proto__).toBeUndefined();
    expect(nodes.then).toBeUndefined();
    expect("then" in nodes).toBe(false);
    // awaiting a node resolves to the node itself, sending nothing (msw would fail the test)
    expect(await (nodes as unknown as Promise<unknown>)).toBe(nodes);
  });

  it("lists its real keys", () => {
    const api = mswClient().api;
    expect(Object.keys(api).sort()).toEqual(["access", "cluster", "nodes", "pools", "storage", "version"]);
    expect(Object.keys(api.nodes).sort()).toEqual(["$", "$get"]);
    expect(Object.keys(api.nodes.$("pve1").qemu.$(100).status)).toContain("start");
  });

  it("String(), JSON and inspect are safe and show the path", () => {
    const api = mswClient().api;
    const node = api.nodes.$("pve 1").qemu.$(100).status;
    expect(String(api)).toBe("/");
    expect(String(api.nodes)).toBe("/nodes");
    expect(`${node}`).toBe("/nodes/pve%201/qemu/100/status");
    expect(JSON.stringify({ node })).toBe('{"node":"/nodes/pve%201/qemu/100/status"}');
    expect(inspect(node)).toBe("[PveApiPath /nodes/pve%201/qemu/100/status]");
    expect(inspect({ api }, { depth: 5 })).toContain("[PveApiPath /]");
    expect(Object.prototype.toString.call(node)).toBe("[object PveApiPath]");
  });

  it("is read-only", () => {
    const nodes = mswClient().api.nodes as unknown as Record<string, unknown>;
    expect(() => {
      nodes.injected = 1;
    }).toThrow(TypeError);
    expect(() => Object.defineProperty(nodes, "qemu", { value: 1 })).toThrow(TypeError);
    expect(() => delete nodes.$get).toThrow(TypeError);
    expect(nodes.injected).toBeUndefined();
    expect(Object.getPrototypeOf(nodes)).toBeNull();
  });

  it("calls through with path parameters collected by $() and per-call options", async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${API}/nodes/:node/qemu/:vmid/snapshot/:snapname/config`, ({ request }) => {
        seen.push(new URL(request.url).pathname);
        return HttpResponse.json({ data: { description: "before upgrade" } });
      }),
    );
    const controller = new AbortController();
    const cfg = await mswClient()
      .api.nodes.$("pve1")
      .qemu.$(101)
      .snapshot.$("before-upgrade")
      .config.$get(undefined, { signal: controller.signal, timeoutMs: 5_000 });
    expect(seen).toEqual(["/api2/json/nodes/pve1/qemu/101/snapshot/before-upgrade/config"]);
    expect(cfg).toEqual({ description: "before upgrade" });
  });

  it("handles segments that are not identifiers", () => {
    const api = mswClient().api;
    expect(typeof api.cluster["backup-info"]["not-backed-up"].$get).toBe("function");
  });
});
