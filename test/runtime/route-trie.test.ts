import { describe, expect, it } from "vitest";
import type { RouteMeta } from "../../src/generated/meta-types";
import { buildTrie, matchPath } from "../../src/runtime/route-trie";

const route = (v: RouteMeta["v"], path: string): RouteMeta => ({
  v,
  path,
  pp: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
  params: {},
  ret: { t: "null" },
});

const routes: Record<string, RouteMeta> = Object.fromEntries(
  [
    route("GET", "/nodes"),
    route("GET", "/nodes/{node}/qemu"),
    route("GET", "/nodes/{node}/qemu/{vmid}/status/current"),
    route("GET", "/nodes/{node}/tasks/{upid}/status"),
    route("GET", "/cluster/ha/groups/{group}"),
    route("GET", "/cluster/ha/groups/status"),
  ].map((r) => [`${r.v} ${r.path}`, r]),
);

describe("matchPath", () => {
  const trie = buildTrie(routes);

  it("finds the route and decodes the path parameters", () => {
    const upid = "UPID:pve1:0000C350:0012D687:6627A1B2:qmstart:100:root@pam:";
    expect(matchPath(trie, "GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`)).toMatchObject({
      route: { path: "/nodes/{node}/tasks/{upid}/status" },
      values: { node: "pve1", upid },
    });
    expect(matchPath(trie, "GET", "/nodes/pve1/qemu/100/status/current")?.values).toEqual({ node: "pve1", vmid: "100" });
  });

  it("prefers literal segments over parameters", () => {
    expect(matchPath(trie, "GET", "/cluster/ha/groups/status")?.route.path).toBe("/cluster/ha/groups/status");
    expect(matchPath(trie, "GET", "/cluster/ha/groups/web")?.route.path).toBe("/cluster/ha/groups/{group}");
  });

  it("returns undefined for unknown paths and verbs", () => {
    expect(matchPath(trie, "GET", "/nodes/pve1/lxc")).toBeUndefined();
    expect(matchPath(trie, "POST", "/nodes")).toBeUndefined();
  });
});
