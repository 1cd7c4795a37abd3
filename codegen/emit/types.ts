import { StructureKind, type StatementStructures } from "ts-morph";
import type { FormatModel, MethodModel, Model, MSchema } from "../model";
import { propKey } from "../naming";
import { VERBS } from "../../src/schema/norm-types";
import { objectType, typeExpr, type TypeContext } from "./type-expr";

/** JSDoc of a method: description, verb + path, permissions, token use, task hint. */
export function methodDoc(m: MethodModel): string {
  const lines = [m.description || `${m.verb} ${m.path}`, "", `\`${m.verb} ${m.path}\``];
  const perm = m.permissions;
  if (perm) {
    const parts: string[] = [];
    if (perm.description) parts.push(perm.description);
    if (perm.user) parts.push(`user: ${perm.user}`);
    if (perm.check) parts.push(`check: \`${JSON.stringify(perm.check)}\``);
    if (parts.length) lines.push("", `Permissions: ${parts.join("; ")}`);
  }
  lines.push("", `API tokens: ${m.allowToken ? "allowed" : "not allowed (ticket login only)"}.`);
  if (m.upid) lines.push("Starts a task and returns its UPID: wait with `pve.tasks.wait(upid)`.");
  return lines.join("\n").replace(/\*\//g, "*\\/");
}

/** Everything the params of a method may hold besides path params. */
function argsSchema(m: MethodModel): MSchema {
  const props = Object.fromEntries(Object.entries(m.params).filter(([k]) => !m.pathParams.includes(k)));
  return { type: "object", optional: false, properties: props };
}

export function hasRequiredArgs(m: MethodModel): boolean {
  return Object.entries(m.params).some(([k, p]) => !m.pathParams.includes(k) && !p.optional);
}

/** `types.ts`: per method `…Args`, `…Params`, `…Returns`, the `Endpoints` map and the lookup helpers. */
export function typesStatements(model: Model): Array<string | StatementStructures> {
  const formats = new Map<string, FormatModel>(model.formats.map((f) => [f.id, f]));
  const inCtx: TypeContext = { mode: "in", formats };
  const outCtx: TypeContext = { mode: "out", formats };
  const out: Array<string | StatementStructures> = [
    {
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: "./types-common",
      namedImports: ["Bool", "IndexedOptions", "Upid", "Verb", ...indexNames(model)],
    },
  ];
  const formatNames = model.formats.map((f) => f.typeName).sort();
  if (formatNames.length) {
    out.push({ kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: "./formats", namedImports: formatNames });
  }
  for (const m of model.methods) {
    const args = objectType(argsSchema(m), inCtx);
    const pathMembers = m.pathParams.map((p) => `${propKey(p)}: ${typeExpr(m.params[p]!, inCtx, p)};`).join(" ");
    out.push(
      { kind: StructureKind.TypeAlias, isExported: true, name: `${m.typeName}Args`, type: args === "{}" ? "Record<string, never>" : args, docs: [methodDoc(m)] },
      {
        kind: StructureKind.TypeAlias,
        isExported: true,
        name: `${m.typeName}Params`,
        type: pathMembers ? `${m.typeName}Args & { ${pathMembers} }` : `${m.typeName}Args`,
        docs: [`Parameters of \`${m.verb} ${m.path}\`, path parameters included.`],
      },
      {
        kind: StructureKind.TypeAlias,
        isExported: true,
        name: `${m.typeName}Returns`,
        type: m.upid ? (m.returns.optional ? "Upid | null" : "Upid") : typeExpr(m.returns, outCtx),
        docs: [`What \`${m.verb} ${m.path}\` returns (the \`data\` member of PVE's answer).`],
      },
    );
  }
  const byVerb = VERBS.map((verb) => {
    const entries = model.methods
      .filter((m) => m.verb === verb)
      .map((m) => {
        const pp = m.pathParams.length ? m.pathParams.map((p) => JSON.stringify(p)).join(" | ") : "never";
        return `${JSON.stringify(m.path)}: { args: ${m.typeName}Args; params: ${m.typeName}Params; returns: ${m.typeName}Returns; pathParams: ${pp}; requiredArgs: ${hasRequiredArgs(m)} };`;
      });
    return `${verb}: {\n${entries.join("\n")}\n};`;
  });
  // Keyed by verb, then path: plain indexed access keeps the helpers cheap for the type checker
  // (a flat "VERB /path" map indexed through template literals costs tens of seconds per program).
  out.push(
    `/** Every method of the schema, by verb then path. */\nexport interface EndpointsByVerb {\n${byVerb.join("\n")}\n}`,
    `/** The paths that have a method for verb \`V\`. */\nexport type PathOf<V extends Verb> = V extends Verb ? keyof EndpointsByVerb[V] & string : never;`,
    `/** One method's types: \`{ args, params, returns, pathParams, requiredArgs }\`. */\nexport type Endpoint<V extends Verb, P extends PathOf<V>> = EndpointsByVerb[V][P];`,
    `/** \`"GET /nodes/{node}/qemu"\`: every method as one string. */\nexport type RouteKey = { [V in Verb]: \`\${V} \${PathOf<V>}\` }[Verb];`,
    `/**\n * The paths as a tree of segments, for matching a concrete path (\`/nodes/pve1/qemu\`) to its template at\n * compile time: \`s\` literal children, \`p\` the \`{param}\` child, \`m\` the template per verb.\n */\nexport interface PathTree ${pathTreeType(model)}`,
    `/** Every method keyed \`"VERB /path"\` (derived from {@link EndpointsByVerb}). */\nexport type Endpoints = { [K in RouteKey]: K extends \`\${infer V extends Verb} \${infer P}\` ? EndpointsByVerb[V][P & keyof EndpointsByVerb[V]] : never };`,
    `/** Parameters of a method (path parameters included): \`Params<"POST", "/nodes/{node}/qemu">\`. */\nexport type Params<V extends Verb, P extends PathOf<V>> = Endpoint<V, P> extends { params: infer T } ? T : never;`,
    `/** Parameters of a method without its path parameters. */\nexport type Args<V extends Verb, P extends PathOf<V>> = Endpoint<V, P> extends { args: infer T } ? T : never;`,
    `/** What a method returns: \`Returns<"GET", "/nodes/{node}/qemu">\`. */\nexport type Returns<V extends Verb, P extends PathOf<V>> = Endpoint<V, P> extends { returns: infer T } ? T : never;`,
  );
  return out;
}

export function indexNames(model: Model): string[] {
  return [...new Set(Object.values(model.indexRanges))].sort((a, b) => a - b).map((n) => `Index${n}`);
}

/** `types-common.ts`: the brand and helper types the other generated files share. */
export function commonTypesText(model: Model): string {
  const idx = [...new Set(Object.values(model.indexRanges))]
    .sort((a, b) => a - b)
    .map((n) => `/** Valid indexes of an option with ${n} slots. */\nexport type Index${n} = ${Array.from({ length: n }, (_, i) => i).join(" | ")};`)
    .join("\n");
  return `export type { Verb } from "./meta-types";

declare const upidBrand: unique symbol;
/** A PVE task id (\`UPID:node:pid:pstart:starttime:type:id:user:\`), as returned by methods that start a task. */
export type Upid = string & { readonly [upidBrand]: true };

/** Booleans: PVE accepts true/false as well as 1/0. */
export type Bool = boolean | 0 | 1;

/** Indexed options \`net0\`…\`net31\`: one optional key per valid index. */
export type IndexedOptions<P extends string, I extends number, T> = { [K in \`\${P}\${I}\`]?: T };

/** Per-call options accepted by every method of the API tree. */
export interface CallOptions {
  /** Abort the request. */
  signal?: AbortSignal;
  /** Override the client's per-request timeout. */
  timeoutMs?: number;
}

${idx}
`;
}

interface SegmentNode {
  s: Map<string, SegmentNode>;
  p?: SegmentNode;
  m: Map<string, string>;
}

/** `{ s: { nodes: { p: { s: { qemu: { m: { GET: "/nodes/{node}/qemu"; … } } } } } } }` */
function pathTreeType(model: Model): string {
  const root: SegmentNode = { s: new Map(), m: new Map() };
  for (const m of model.methods) {
    let node = root;
    for (const seg of m.path.split("/").filter(Boolean)) {
      if (seg.startsWith("{")) node = node.p ??= { s: new Map(), m: new Map() };
      else {
        let next = node.s.get(seg);
        if (!next) node.s.set(seg, (next = { s: new Map(), m: new Map() }));
        node = next;
      }
    }
    node.m.set(m.verb, m.path);
  }
  const render = (n: SegmentNode): string => {
    const parts: string[] = [];
    if (n.s.size) parts.push(`s: { ${[...n.s].map(([k, v]) => `${JSON.stringify(k)}: ${render(v)};`).join(" ")} };`);
    if (n.p) parts.push(`p: ${render(n.p)};`);
    if (n.m.size) parts.push(`m: { ${[...n.m].map(([v, path]) => `${v}: ${JSON.stringify(path)};`).join(" ")} };`);
    return `{ ${parts.join(" ")} }`;
  };
  return render(root);
}
