/** Runtime metadata shapes shared by the runtime's encoder/validator and the simulator. */

export type Verb = "GET" | "POST" | "PUT" | "DELETE";

export type SchemaType = "string" | "integer" | "number" | "boolean" | "array" | "object" | "null" | "any";

/** One schema node without prose (see codegen/README.md for the key legend). */
export interface SchemaMeta {
  /** type */
  t: SchemaType;
  /** optional */
  o?: 1;
  /** enum values, sorted */
  e?: readonly string[];
  /** pattern: index into `patterns` */
  p?: number;
  /** numeric minimum / maximum */
  min?: number;
  max?: number;
  /** string length bounds */
  minL?: number;
  maxL?: number;
  /** named format (pve-vmid, pve-node, pve-configid-list …) */
  f?: string;
  /** property-string format id (key of `propertyFormats`) */
  ps?: string;
  /** a "-list" format: a string holding a list separated by `,`, `;` or spaces */
  l?: 1;
  /** indexed option `name[n]`: valid indexes are 0..n-1 */
  n?: number;
  /** array items */
  i?: SchemaMeta;
  /** object properties */
  props?: Readonly<Record<string, SchemaMeta>>;
  /** additionalProperties: any (1) or a map of this schema */
  add?: 1 | SchemaMeta;
  /** requires this other parameter */
  req?: string;
  /** default, when it has the declared type */
  d?: string | number | boolean;
  /** discriminated unions: the selecting property and the values this property belongs to */
  tp?: string;
  it?: readonly string[];
  /** oneOf variants */
  one?: readonly SchemaMeta[];
}

/** A property-string sub-key: a schema plus the parsing markers. */
export interface PropertyKeyMeta extends SchemaMeta {
  /** default key: may be given without `key=` */
  dk?: 1;
  /** this key is another name for `alias` */
  alias?: string;
  /** `virtio=<mac>` shorthand: the key name is the value of `keyAlias`, the value goes to `alias` */
  keyAlias?: string;
}

export interface PropertyFormatMeta {
  keys: Readonly<Record<string, PropertyKeyMeta>>;
}

export interface RouteMeta {
  v: Verb;
  path: string;
  /** path parameter names in order */
  pp: readonly string[];
  /** parameters keyed as in the schema (`net[n]` for indexed ones), path params included */
  params: Readonly<Record<string, SchemaMeta>>;
  /** the return schema */
  ret: SchemaMeta;
  /** returns a task id (UPID) */
  upid?: 1;
  /** API tokens allowed (0 = tickets only) */
  tok?: 0 | 1;
  /** protected: runs via the privileged daemon */
  prot?: 1;
  /** proxied to the node named by the `node` parameter */
  proxy?: 1;
}
