import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { routeKeys, routes, schemaInfo } from "../../src/generated";
import { PveClient } from "../../src/index";

const pve = new PveClient({ baseUrl: "https://127.0.0.1:8006", auth: { tokenId: "t@pve!x", secret: "s" } });

/** Walk `pve.api` along a path template, calling `$()` for each placeholder. */
function walk(path: string): unknown {
  let node: any = pve.api;
  for (const seg of path.split("/").filter(Boolean)) node = seg.startsWith("{") ? node?.$("x") : node?.[seg];
  return node;
}

describe("every method of the default schema is reachable", () => {
  it("has one route per schema method", () => {
    expect(routeKeys).toHaveLength(schemaInfo.methods);
    expect(Object.keys(routes)).toHaveLength(schemaInfo.methods);
  });

  it("through the pve.api tree: $get/$post/$put/$delete at every route", () => {
    const missing = routeKeys.filter((key) => {
      const [verb, path] = key.split(" ") as [string, string];
      return typeof (walk(path) as Record<string, unknown> | undefined)?.[`$${verb.toLowerCase()}`] !== "function";
    });
    expect(missing).toEqual([]);
  });

  it("with only the verbs the schema defines", () => {
    const status = walk("/nodes/{node}/qemu/{vmid}/status/start") as Record<string, unknown>;
    expect(typeof status.$post).toBe("function");
    expect(status.$get).toBeUndefined();
  });

  it("tree objects are safe to print (String, inspect, JSON, await)", async () => {
    const nodes = pve.api.nodes as unknown;
    expect(() => String(nodes)).not.toThrow();
    expect(() => inspect(pve.api.nodes.$("pve1").qemu, { depth: 5 })).not.toThrow();
    expect(() => JSON.stringify(pve.api.nodes)).not.toThrow();
    expect((pve.api as unknown as { then?: unknown }).then).toBeUndefined();
    await expect(Promise.resolve(pve.api.nodes)).resolves.toBe(pve.api.nodes);
  });
});
