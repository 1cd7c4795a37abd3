import { inspect } from "node:util";
import type { RouteMeta, Verb } from "../generated/meta-types";
import type { CallOptions } from "../generated/types-common";
import type { TrieNode } from "./route-trie";
import { PveValidationError } from "./errors";

/** Runs one method: route, path parameter values collected by `$()`, args and call options. */
export type CallFn = (
  route: RouteMeta,
  pathValues: Record<string, unknown>,
  args: Record<string, unknown> | undefined,
  options: CallOptions | undefined,
) => Promise<unknown>;

const VERB_METHODS: Record<Verb, string> = { GET: "$get", POST: "$post", PUT: "$put", DELETE: "$delete" };

/**
 * Builds the `pve.api` object for one trie node. Plain frozen objects with a null prototype,
 * no Proxy: only real path segments, `$` (where a path parameter follows) and the verbs that
 * exist there are properties, so typos, `constructor` and `then` are undefined (awaiting a
 * node is harmless), `in`/`Object.keys` tell the truth, and child nodes are built on first access.
 */
export function createApiNode(node: TrieNode, values: Record<string, unknown>, concretePath: string, call: CallFn): object {
  const obj = Object.create(null) as Record<string | symbol, unknown>;
  for (const [segment, child] of node.children) {
    let cached: object | undefined;
    Object.defineProperty(obj, segment, {
      enumerable: true,
      get: () => (cached ??= createApiNode(child, values, `${concretePath}/${segment}`, call)),
    });
  }
  const param = node.param;
  if (param) {
    Object.defineProperty(obj, "$", {
      enumerable: true,
      value: (value: unknown) => {
        if (value === undefined || value === null || value === "" || (typeof value !== "string" && typeof value !== "number")) {
          throw new PveValidationError(
            [{ param: param.name, code: "type", message: "path parameter must be a non-empty string or a number" }],
            { path: param.node.path },
          );
        }
        const next = { ...values, [param.name]: value };
        return createApiNode(param.node, next, `${concretePath}/${encodeURIComponent(String(value))}`, call);
      },
    });
  }
  for (const [verb, route] of node.verbs) {
    Object.defineProperty(obj, VERB_METHODS[verb], {
      enumerable: true,
      value: (args?: Record<string, unknown>, options?: CallOptions) => call(route, values, args, options),
    });
  }
  const shown = concretePath || "/";
  const hidden = (value: unknown) => ({ value, enumerable: false });
  Object.defineProperties(obj, {
    toString: hidden(() => shown),
    toJSON: hidden(() => shown),
    [Symbol.toPrimitive]: hidden(() => shown),
    [Symbol.toStringTag]: hidden("PveApiPath"),
    [inspect.custom]: hidden(() => `[PveApiPath ${shown}]`),
  });
  return Object.freeze(obj);
}
