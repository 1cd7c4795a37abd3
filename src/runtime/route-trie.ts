import type { RouteMeta, Verb } from "../generated/meta-types";

/** One path segment of the API: literal children, at most one `{param}` child, and its methods. */
export interface TrieNode {
  /** the template path up to here (`/nodes/{node}`) */
  readonly path: string;
  readonly children: Map<string, TrieNode>;
  param: { name: string; node: TrieNode } | undefined;
  readonly verbs: Map<Verb, RouteMeta>;
}

function newNode(path: string): TrieNode {
  return { path, children: new Map(), param: undefined, verbs: new Map() };
}

/** Builds the path tree from the route table (keyed `"VERB /path"`). */
export function buildTrie(routes: Readonly<Record<string, RouteMeta>>): TrieNode {
  const root = newNode("");
  for (const route of Object.values(routes)) {
    let node = root;
    for (const segment of route.path.split("/").filter(Boolean)) {
      const m = /^\{(.+)\}$/.exec(segment);
      if (m) {
        node.param ??= { name: m[1] as string, node: newNode(`${node.path}/${segment}`) };
        node = node.param.node;
      } else {
        let child = node.children.get(segment);
        if (!child) node.children.set(segment, (child = newNode(`${node.path}/${segment}`)));
        node = child;
      }
    }
    node.verbs.set(route.v, route);
  }
  return root;
}

/** A concrete path (`/nodes/pve1/qemu/100`) resolved to its route and path parameter values. */
export interface PathMatch {
  route: RouteMeta;
  values: Record<string, string>;
}

/**
 * Finds the route of `verb` for a concrete path; literal segments win over parameters, as in
 * PVE's router. Segments are URL-decoded into the parameter values.
 */
export function matchPath(root: TrieNode, verb: Verb, path: string): PathMatch | undefined {
  const segments = path.split("?")[0]!.split("/").filter(Boolean);
  const values: Record<string, string> = {};
  const walk = (node: TrieNode, i: number): RouteMeta | undefined => {
    if (i === segments.length) return node.verbs.get(verb);
    const segment = segments[i] as string;
    const literal = node.children.get(segment);
    const viaLiteral = literal && walk(literal, i + 1);
    if (viaLiteral) return viaLiteral;
    if (!node.param) return undefined;
    let value: string;
    try {
      value = decodeURIComponent(segment);
    } catch {
      value = segment;
    }
    values[node.param.name] = value;
    return walk(node.param.node, i + 1);
  };
  const route = walk(root, 0);
  return route ? { route, values } : undefined;
}
