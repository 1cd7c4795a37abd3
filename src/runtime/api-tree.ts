import { inspect } from "node:util";
import type { RouteMeta, Verb } from "../generated/meta-types";
import type { CallOptions } from "../generated/types-common";
import { routeAt, type TrieNode } from "./route-trie";
import { PveValidationError } from "./errors";

/** Runs one method: route, path parameter values collected by `$()`, args and call options. */
export type CallFn = (
  route: RouteMeta,
  pathValues: Record<string, unknown>,
  args: Record<string, unknown> | undefined,
  options: CallOptions | undefined,
) => Promise<unknown>;

const VERB_METHODS: Record<string, Verb> = { $get: "GET", $post: "POST", $put: "PUT", $delete: "DELETE" };
const METHOD_OF_VERB: Record<Verb, string> = { GET: "$get", POST: "$post", PUT: "$put", DELETE: "$delete" };

/** The names a trie node offers, computed once per node. */
const keysOf = new WeakMap<TrieNode, string[]>();
function nodeKeys(trie: TrieNode): string[] {
  let keys = keysOf.get(trie);
  if (!keys) {
    keys = [...trie.children.keys()];
    if (trie.param) keys.push("$");
    for (const verb of trie.verbs.keys()) keys.push(METHOD_OF_VERB[verb]);
    keysOf.set(trie, keys);
  }
  return keys;
}

/** Per-object state: the Proxy target. Inspecting a Proxy shows its target, hence the custom inspect. */
class ApiNodeState {
  children: Map<string, object> | undefined;
  methods: Map<string, unknown> | undefined;

  constructor(
    readonly trie: TrieNode,
    readonly values: Record<string, unknown>,
    readonly path: string,
    readonly call: CallFn,
  ) {}

  get shown(): string {
    return this.path || "/";
  }

  // an own arrow function: util.inspect calls it with the Proxy as `this`
  readonly [inspect.custom] = (): string => `[PveApiPath ${this.shown}]`;
}

function has(state: ApiNodeState, key: string): boolean {
  if (state.trie.children.has(key)) return true;
  if (key === "$") return state.trie.param !== undefined;
  const verb = VERB_METHODS[key];
  return verb !== undefined && state.trie.verbs.has(verb);
}

function lookup(state: ApiNodeState, key: string): unknown {
  const child = state.trie.children.get(key);
  if (child) {
    state.children ??= new Map();
    let node = state.children.get(key);
    if (!node) state.children.set(key, (node = createApiNode(child, state.values, `${state.path}/${key}`, state.call)));
    return node;
  }
  const cached = state.methods?.get(key);
  if (cached) return cached;
  let fn: unknown;
  if (key === "$" && state.trie.param) fn = selectParam(state, state.trie.param);
  else if (VERB_METHODS[key]) {
    const route = routeAt(state.trie, VERB_METHODS[key] as Verb);
    if (route) fn = (args?: Record<string, unknown>, options?: CallOptions) => state.call(route, state.values, args, options);
  } else if (key === "toString" || key === "toJSON") fn = () => state.shown;
  if (fn) (state.methods ??= new Map()).set(key, fn);
  return fn;
}

function selectParam(state: ApiNodeState, param: NonNullable<TrieNode["param"]>) {
  return (value: unknown) => {
    if (value === undefined || value === null || value === "" || (typeof value !== "string" && typeof value !== "number")) {
      throw new PveValidationError(
        [{ param: param.name, code: "type", message: "path parameter must be a non-empty string or a number" }],
        { path: param.node.path },
      );
    }
    const values = { ...state.values, [param.name]: value };
    return createApiNode(param.node, values, `${state.path}/${encodeURIComponent(String(value))}`, state.call);
  };
}

/**
 * `has`/`ownKeys` tell the truth: only real path segments, `$` (where a path parameter
 * follows) and the verbs that exist there. Anything else, `then` and `constructor` included,
 * is undefined, so typos build no URL and awaiting a node is harmless. Read-only.
 */
const handler: ProxyHandler<ApiNodeState> = {
  get(state, key) {
    if (typeof key === "string") return lookup(state, key);
    if (key === Symbol.toPrimitive) return () => state.shown;
    if (key === Symbol.toStringTag) return "PveApiPath";
    if (key === inspect.custom) return () => `[PveApiPath ${state.shown}]`;
    return undefined;
  },
  has: (state, key) => typeof key === "string" && has(state, key),
  ownKeys: (state) => nodeKeys(state.trie),
  getOwnPropertyDescriptor(state, key) {
    if (typeof key !== "string" || !has(state, key)) return undefined;
    return { value: lookup(state, key), enumerable: true, configurable: true, writable: false };
  },
  getPrototypeOf: () => null,
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
  setPrototypeOf: () => false,
  preventExtensions: () => false,
};

/**
 * Builds the `pve.api` object for one trie node: a Proxy over a small state object, so
 * creating a node (each `$(value)`) is cheap and children are built on first access.
 */
export function createApiNode(node: TrieNode, values: Record<string, unknown>, concretePath: string, call: CallFn): object {
  return new Proxy(new ApiNodeState(node, values, concretePath, call), handler);
}
