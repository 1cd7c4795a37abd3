/** Shapes of PVE's apidoc tree as found in the wild (loose on purpose: see QUIRKS.md). */

export type RawBool = 0 | 1 | "0" | "1" | boolean;

export interface RawSchema {
  type?: string;
  description?: string;
  verbose_description?: string;
  optional?: RawBool;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  format?: string | Record<string, RawSchema>;
  format_description?: string;
  typetext?: string;
  minimum?: number | string;
  maximum?: number | string;
  min?: number | string;
  max?: number | string;
  minLength?: number | string;
  maxLength?: number | string;
  items?: RawSchema;
  properties?: Record<string, RawSchema>;
  additionalProperties?: RawBool | RawSchema;
  requires?: string;
  alias?: string;
  keyAlias?: string;
  default_key?: RawBool;
  "instance-types"?: string[];
  "instance-type"?: string;
  "type-property"?: string;
  "type-property-schema"?: RawSchema;
  oneOf?: RawSchema[];
  allOf?: RawSchema[];
  links?: unknown;
  [key: string]: unknown;
}

export type RawPermissions = {
  user?: string;
  check?: unknown[];
  description?: string;
  [key: string]: unknown;
};

export interface RawMethod {
  method?: string;
  name?: string;
  description?: string;
  parameters?: RawSchema;
  returns?: RawSchema;
  permissions?: RawPermissions;
  allowtoken?: RawBool;
  protected?: RawBool;
  proxyto?: string;
  download_allowed?: RawBool;
  expose_credentials?: RawBool;
}

export interface RawNode {
  path: string;
  text?: string;
  leaf?: RawBool;
  info?: Partial<Record<string, RawMethod>>;
  children?: RawNode[];
}
