import type { Verb } from "./norm-types";

/** Where a change is: the endpoint itself, one of its parameters, or its return value. */
export type ChangeLocation = "endpoint" | "param" | "return";

/**
 * What changed. Endpoint level: `endpoint-added`, `endpoint-removed`, `path-renamed` (same route,
 * path placeholders renamed, e.g. `{pciid}` → `{pci-id-or-mapping}`), `token-disallowed`/`token-allowed`.
 * Parameter and return level: the rest.
 */
export type ChangeKind =
  | "endpoint-added"
  | "endpoint-removed"
  | "path-renamed"
  | "token-disallowed"
  | "token-allowed"
  | "added"
  | "removed"
  | "became-required"
  | "became-optional"
  | "enum-values-removed"
  | "enum-values-added"
  | "type-changed"
  | "constraint-tightened"
  | "constraint-loosened"
  | "pattern-changed"
  | "format-changed"
  | "default-changed";

/** One difference between two schemas, judged from a caller's point of view. */
export interface SchemaChange {
  kind: ChangeKind;
  location: ChangeLocation;
  verb: Verb;
  /** The endpoint's path in the new schema (the old one for removed endpoints). */
  path: string;
  /**
   * The parameter or return property: `net[n]`, `bwlimit.clone` (a property-string key),
   * `[].vmid` (array items), `tokens{}.expire` (map values); `""` for the return value itself.
   * Absent for endpoint-level changes.
   */
  name?: string;
  /** Whether code written against the old schema can fail against the new one. */
  breaking: boolean;
  /** One line for people, without the endpoint (the renderings group by endpoint). */
  message: string;
  before?: unknown;
  after?: unknown;
}

/** Identification of one side of a diff. */
export interface SchemaSide {
  /** A file name, URL or other label. */
  label?: string;
  pveVersion?: string;
  sha256?: string;
  methods: number;
}

export interface DiffSummary {
  endpointsAdded: number;
  endpointsRemoved: number;
  endpointsRenamed: number;
  /** Endpoints present on both sides with at least one parameter, return or token change. */
  endpointsChanged: number;
  breaking: number;
  nonBreaking: number;
}

/** The result of `diffSchemas`: both sides, every change (sorted), and counts. */
export interface SchemaDiff {
  old: SchemaSide;
  new: SchemaSide;
  changes: SchemaChange[];
  summary: DiffSummary;
}
