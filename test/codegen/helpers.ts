import type { RawMethod, RawNode, RawSchema } from "../../src/schema/raw-types";

/** A one-method apidoc tree for table-driven tests. */
export function treeWith(path: string, verb: string, method: Partial<RawMethod>): RawNode[] {
  const info = { [verb]: { method: verb, name: "m", description: "d", parameters: { additionalProperties: 0, properties: {} }, returns: { type: "null" }, ...method } };
  const segs = path.split("/").filter(Boolean);
  const top: RawNode = { path: `/${segs[0]}`, children: [] };
  let node = top;
  for (let i = 1; i < segs.length; i++) {
    const child: RawNode = { path: `/${segs.slice(0, i + 1).join("/")}`, children: [] };
    node.children!.push(child);
    node = child;
  }
  node.info = info as RawNode["info"];
  return [top];
}

export function params(properties: Record<string, unknown>): RawSchema {
  return { additionalProperties: 0, properties: properties as Record<string, RawSchema> };
}

export const SHARED = new URL("../../../shared/pve-apidoc/", import.meta.url).pathname;
