import type { CallOptions, Verb } from "../generated/types-common";

/**
 * Compile-time types of `PveClient#request`, generic over a set of bindings (the generated
 * `EndpointsByVerb` and `PathTree`) so every schema's bindings can be checked with them.
 *
 * A path is either a template of the schema (`/nodes/{node}/qemu`, path parameters in `params`) or a
 * concrete path (`/nodes/pve1/qemu`) that is matched to its template segment by segment, literal
 * segments first, as the runtime router does. Anything else does not compile: a typo in a path is
 * caught, and paths only known at run time go through `requestRaw`.
 */

/** The shape of the generated `EndpointsByVerb`. */
export type EndpointsShape = { [V in Verb]: Record<string, { args: unknown; params: unknown; returns: unknown; pathParams: string; requiredArgs: boolean }> };

/** One node of the generated `PathTree`. */
export interface PathTreeShape {
  s?: Record<string, PathTreeShape>;
  p?: PathTreeShape;
  m?: Partial<Record<Verb, string>>;
}

/** `"/nodes/pve1/qemu"` → `["nodes", "pve1", "qemu"]` (empty segments dropped, as the router does). */
export type PathSegments<P extends string> = P extends `/${infer R}` ? SplitSegments<R> : never;
type SplitSegments<S extends string> = S extends `${infer H}/${infer T}`
  ? H extends ""
    ? SplitSegments<T>
    : [H, ...SplitSegments<T>]
  : S extends ""
    ? []
    : [S];

type Walk<N, V extends Verb, S> = S extends [infer H extends string, ...infer T]
  ? WalkLiteral<N, V, H, T> extends infer L
    ? [L] extends [never]
      ? N extends { p: infer W }
        ? Walk<W, V, T>
        : never
      : L
    : never
  : N extends { m: infer M }
    ? V extends keyof M
      ? M[V]
      : never
    : never;
type WalkLiteral<N, V extends Verb, H extends string, T> = N extends { s: infer C } ? (H extends keyof C ? Walk<C[H], V, T> : never) : never;

/** The template a concrete path of verb `V` resolves to (`"/nodes/pve1/qemu"` → `"/nodes/{node}/qemu"`), or never. */
export type TemplateFor<Tree, V extends Verb, P extends string> = P extends `${string}{${string}` ? never : Walk<Tree, V, PathSegments<P>>;

type Field<E extends EndpointsShape, V extends Verb, P, F extends string> = P extends keyof E[V] ? (E[V][P] extends Record<F, infer T> ? T : never) : never;

/** `request()`'s trailing arguments for a template: params are required when the method has path or required parameters. */
export type TemplateArgs<E extends EndpointsShape, V extends Verb, P> = [Field<E, V, P, "pathParams">] extends [never]
  ? Field<E, V, P, "requiredArgs"> extends true
    ? [params: Field<E, V, P, "params">, options?: CallOptions]
    : [params?: Field<E, V, P, "params">, options?: CallOptions]
  : [params: Field<E, V, P, "params">, options?: CallOptions];

/** For a concrete path the path parameters are in the path: params hold the other arguments. */
export type ConcreteArgs<E extends EndpointsShape, V extends Verb, T> = Field<E, V, T, "requiredArgs"> extends true
  ? [params: Field<E, V, T, "args">, options?: CallOptions]
  : [params?: Field<E, V, T, "args">, options?: CallOptions];

/** `P` when it is a concrete path of the bindings, else never (so an unknown path does not compile). */
export type ConcretePath<Tree, V extends Verb, P extends string> = [TemplateFor<Tree, V, P>] extends [never] ? never : P;

export type ReturnsOf<E extends EndpointsShape, V extends Verb, P> = Field<E, V, P, "returns">;

/** `request()` as a function type over some bindings (what `PveClient#request` is for the bundled ones). */
export interface RequestFn<E extends EndpointsShape, Tree> {
  <V extends Verb, P extends string>(
    verb: V,
    path: ConcretePath<Tree, V, P>,
    ...args: ConcreteArgs<E, V, TemplateFor<Tree, V, P>>
  ): Promise<ReturnsOf<E, V, TemplateFor<Tree, V, P>>>;
  <V extends Verb, P extends keyof E[V] & string>(verb: V, path: P, ...args: TemplateArgs<E, V, P>): Promise<ReturnsOf<E, V, P>>;
}
