import { compareMembers, compareSchema, type SchemaDelta } from "./diff-schema";
import type { ChangeLocation, SchemaChange, SchemaDiff, SchemaSide } from "./diff-types";
import type { NormMethod, NormSchema, NormSchemaTree } from "./norm-types";
import { VERBS } from "./norm-types";
import { compare } from "./normalize";

export type { ChangeKind, ChangeLocation, DiffSummary, SchemaChange, SchemaDiff, SchemaSide } from "./diff-types";

/** Labels for the two sides (file names, versions, hashes); the method counts are filled in. */
export interface DiffLabels {
  old?: Omit<SchemaSide, "methods">;
  new?: Omit<SchemaSide, "methods">;
}

/**
 * Compare two normalised schemas from a caller's point of view: endpoints added, removed or with
 * renamed path placeholders; parameters added, removed, made required; enum values, types, ranges,
 * patterns, formats and defaults; return properties added, removed or retyped. Each change says
 * whether code written against `oldTree` can fail against `newTree` (`breaking`).
 */
export function diffSchemas(oldTree: NormSchemaTree, newTree: NormSchemaTree, labels: DiffLabels = {}): SchemaDiff {
  const oldByKey = indexMethods(oldTree.methods);
  const newByKey = indexMethods(newTree.methods);
  const changes: SchemaChange[] = [];
  const removed: NormMethod[] = [];
  for (const [key, old] of oldByKey) {
    const next = newByKey.get(key);
    if (next) compareMethods(old, next, changes);
    else removed.push(old);
  }
  const added = newTree.methods.filter((m) => !oldByKey.has(routeKey(m)));
  const renamed = pairRenamed(removed, added);
  for (const [old, next] of renamed) {
    changes.push({
      kind: "path-renamed",
      location: "endpoint",
      verb: next.verb,
      path: next.path,
      breaking: true,
      message: `path placeholders renamed: ${old.path} → ${next.path}`,
      before: old.path,
      after: next.path,
    });
    compareMethods(renamePathParams(old, next), next, changes);
  }
  for (const m of removed) {
    if (renamed.some(([old]) => old === m)) continue;
    changes.push({
      kind: "endpoint-removed",
      location: "endpoint",
      verb: m.verb,
      path: m.path,
      breaking: true,
      message: "endpoint removed",
    });
  }
  for (const m of added) {
    if (renamed.some(([, next]) => next === m)) continue;
    changes.push({
      kind: "endpoint-added",
      location: "endpoint",
      verb: m.verb,
      path: m.path,
      breaking: false,
      message: "endpoint added",
    });
  }
  changes.sort(compareChanges);
  const breaking = changes.filter((c) => c.breaking).length;
  const changed = new Set(
    changes
      .filter((c) => c.kind !== "endpoint-added" && c.kind !== "endpoint-removed" && c.kind !== "path-renamed")
      .map((c) => `${c.verb} ${c.path}`),
  );
  return {
    old: { ...labels.old, methods: oldTree.methods.length },
    new: { ...labels.new, methods: newTree.methods.length },
    changes,
    summary: {
      endpointsAdded: changes.filter((c) => c.kind === "endpoint-added").length,
      endpointsRemoved: changes.filter((c) => c.kind === "endpoint-removed").length,
      endpointsRenamed: renamed.length,
      endpointsChanged: changed.size,
      breaking,
      nonBreaking: changes.length - breaking,
    },
  };
}

function routeKey(m: NormMethod): string {
  return `${m.verb} ${m.path}`;
}

function indexMethods(methods: NormMethod[]): Map<string, NormMethod> {
  return new Map(methods.map((m) => [routeKey(m), m]));
}

function compareMethods(old: NormMethod, next: NormMethod, out: SchemaChange[]): void {
  const at =
    (location: ChangeLocation) =>
    (d: SchemaDelta): void => {
      out.push({ ...d, location, verb: next.verb, path: next.path });
    };
  if (old.allowToken !== next.allowToken) {
    out.push({
      kind: next.allowToken ? "token-allowed" : "token-disallowed",
      location: "endpoint",
      verb: next.verb,
      path: next.path,
      breaking: !next.allowToken,
      message: next.allowToken ? "API tokens are now allowed" : "API tokens are no longer allowed (ticket login needed)",
    });
  }
  compareMembers(old.params, next.params, "", ".", "param", at("param"));
  compareReturns(old.returns, next.returns, at("return"));
}

function compareReturns(old: NormSchema, next: NormSchema, emit: (d: SchemaDelta) => void): void {
  // the return value's own `optional` flag is meaningless; compare its shape only
  compareSchema(old, next, "", "return", emit);
}

/** `/nodes/{node}/hardware/pci/{pciid}` and `…/{pci-id-or-mapping}` have the same shape. */
function shape(m: NormMethod): string {
  return `${m.verb} ${m.path.replace(/\{[^}]+\}/g, "{}")}`;
}

/** Removed and added endpoints that differ only in placeholder names, when the match is unambiguous. */
function pairRenamed(removed: NormMethod[], added: NormMethod[]): [NormMethod, NormMethod][] {
  const count = (list: NormMethod[]): Map<string, NormMethod[]> => {
    const map = new Map<string, NormMethod[]>();
    for (const m of list) map.set(shape(m), [...(map.get(shape(m)) ?? []), m]);
    return map;
  };
  const olds = count(removed);
  const news = count(added);
  const pairs: [NormMethod, NormMethod][] = [];
  for (const [key, list] of olds) {
    const match = news.get(key);
    if (list.length === 1 && match?.length === 1) pairs.push([list[0]!, match[0]!]);
  }
  return pairs;
}

/** The old method with its path parameters renamed positionally to the new names, so params compare. */
function renamePathParams(old: NormMethod, next: NormMethod): NormMethod {
  const rename = new Map(old.pathParams.map((p, i) => [p, next.pathParams[i] ?? p]));
  const params = Object.fromEntries(Object.entries(old.params).map(([k, v]) => [rename.get(k) ?? k, v]));
  return { ...old, path: next.path, pathParams: next.pathParams, params };
}

const LOCATIONS: readonly ChangeLocation[] = ["endpoint", "param", "return"];

function compareChanges(a: SchemaChange, b: SchemaChange): number {
  return (
    compare(a.path, b.path) ||
    VERBS.indexOf(a.verb) - VERBS.indexOf(b.verb) ||
    LOCATIONS.indexOf(a.location) - LOCATIONS.indexOf(b.location) ||
    compare(a.name ?? "", b.name ?? "") ||
    compare(a.kind, b.kind)
  );
}
