import type { RouteMeta, Verb } from "../generated/meta-types";

/** One path segment of the API: literal children, at most one `{param}` child, and its methods. */
export interface TrieNode {
  /** the template path up to here (`/nodes/{node}`) */
  readonly path: string;
  readonly children: Map<string, TrieNode>;
  param: { name: string; node: TrieNode } | undefined;
  /** the route key (`"GET /nodes/{node}"`) of each method here */
  readonly verbs: Map<Verb, string>;
  /** the route table the keys index (shared by every node) */
  readonly routes: Readonly<Record<string, RouteMeta>>;
}

/**
 * Builds the path tree from the route table's keys (`"VERB /path"`): a method's metadata is only
 * read (and, in the generated table, parsed) when that method is called.
 */
export function buildTrie(routes: Readonly<Record<string, RouteMeta>>): TrieNode {
  const newNode = (path: string): TrieNode => ({ path, children: new Map(), param: undefined, verbs: new Map(), routes });
  const root = newNode("");
  for (const key of Object.keys(routes)) {
    const space = key.indexOf(" ");
    let node = root;
    for (const segment of key.slice(space + 1).split("/").filter(Boolean)) {
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
    node.verbs.set(key.slice(0, space) as Verb, key);
  }
  return root;
}

/** The route of `verb` at this node, if it has that method. */
export function routeAt(node: TrieNode, verb: Verb): RouteMeta | undefined {
  const key = node.verbs.get(verb);
  return key === undefined ? undefined : node.routes[key];
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
    if (i === segments.length) return routeAt(node, verb);
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
