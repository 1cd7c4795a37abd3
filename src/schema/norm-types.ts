/** The normalised schema: every quirk of the raw tree resolved into one clean shape. */

export type Verb = "GET" | "POST" | "PUT" | "DELETE";
export const VERBS: readonly Verb[] = ["GET", "POST", "PUT", "DELETE"];

export type NormType = "string" | "integer" | "number" | "boolean" | "array" | "object" | "null" | "any";

export interface NormSchema {
  type: NormType;
  optional: boolean;
  description?: string;
  /** Sorted, de-duplicated enum values (as strings, the way PVE sends them). */
  enum?: string[];
  /** Original Perl pattern; the JS form is derived by the model stage. */
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** Default, only when it has the declared type; prose defaults go to `defaultText`. */
  default?: string | number | boolean;
  defaultText?: string;
  /** Named format (string form of `format`). */
  format?: string;
  /** Inline property-string format (object form of `format`): its keys' sub-schemas. */
  formatKeys?: Record<string, NormSchema>;
  /** The named format ends in `-list`: a string holding a list. */
  list?: boolean;
  typetext?: string;
  items?: NormSchema;
  properties?: Record<string, NormSchema>;
  /** true = any extra keys, schema = a map keyed by id, absent/false = closed. */
  additional?: true | NormSchema;
  requires?: string;
  /** Set on `name[n]` properties: the base name (`net`). */
  indexed?: string;
  /** Property-string sub-key markers. */
  defaultKey?: boolean;
  alias?: string;
  keyAlias?: string;
  /** Discriminated unions: this property exists only for these values of `typeProperty`. */
  instanceTypes?: string[];
  typeProperty?: string;
  /** `oneOf` variants of this property, each with its `instanceTypes`. */
  oneOf?: NormSchema[];
}

export interface NormPermissions {
  user?: string;
  check?: unknown[];
  description?: string;
}

export interface NormMethod {
  verb: Verb;
  path: string;
  /** Path placeholders in order (`/nodes/{node}/qemu/{vmid}` → node, vmid). */
  pathParams: string[];
  name: string;
  description: string;
  permissions?: NormPermissions;
  allowToken: boolean;
  protected: boolean;
  proxyTo?: string;
  downloadAllowed: boolean;
  exposeCredentials: boolean;
  /** Parameters (path params included), keyed as in the schema (`net[n]` for indexed ones). */
  params: Record<string, NormSchema>;
  /** Root-level `oneOf` of parameter sets (PVE 9 HA rules): property name that selects the variant. */
  paramsTypeProperty?: string;
  returns: NormSchema;
}

export interface NormSchemaTree {
  methods: NormMethod[];
}
