/**
 * pvekit: a typed Proxmox VE API client generated from PVE's own schema.
 *
 * @example
 * import { PveClient } from "pvekit";
 * const pve = PveClient.fromEnv();
 * const upid = await pve.api.nodes.$("pve1").qemu.$(100).status.start.$post();
 * await pve.tasks.wait(upid);
 */
export { PveClient } from "./runtime/client";
export type { PveClientOptions, RequestArgs } from "./runtime/client";
export type { LocalClientOptions } from "./runtime/local/local-client";
export { findPvesh } from "./runtime/local/find-pvesh";
export { parseUpid, isUpid } from "./runtime/upid";
export type { UpidInfo } from "./runtime/upid";
export {
  PveError,
  PveValidationError,
  PveParamError,
  PveAuthError,
  PvePermissionError,
  PveNotFoundError,
  PveConnectionError,
  PveTimeoutError,
  PveTlsError,
  TaskFailedError,
  TaskTimeoutError,
} from "./runtime/errors";
export type { PveErrorCode, PveErrorDetails } from "./runtime/errors";
export { validateParams } from "./runtime/validate";
export type { ValidationProblem, ValidationCode, ValidateOptions } from "./runtime/validate";
export { decodeReturn } from "./runtime/decode-return";
export { resolveClientOptions } from "./runtime/config/from-env";
export type { FromEnvOptions, ResolvedConfig } from "./runtime/config/from-env";
export { normalizeFingerprint } from "./runtime/tls";
export type { TlsOptions } from "./runtime/tls";
export type { RetryOptions } from "./runtime/retry";
export type { Logger } from "./runtime/logger";
export type { Clock } from "./runtime/clock";
export type { FetchLike } from "./runtime/fetch-sender";
export type { TokenAuthOptions } from "./runtime/auth/token-auth";
export type { PasswordAuthOptions, TfaChallenge, OtpSource } from "./runtime/auth/ticket-auth";
export type { TaskClient, TaskStatus, TaskResult, TaskLog, WaitOptions, PollOptions } from "./runtime/tasks";
export type { ApiEnvelope } from "./runtime/transport";
export { DEFAULT_MAX_RESPONSE_BYTES } from "./runtime/transport";
export type { UploadOptions } from "./runtime/upload";

export type { Params, Returns, Args, Endpoints, RouteKey, PathOf } from "./generated/types";
export type { Upid, Bool, CallOptions, Verb } from "./generated/types-common";
export type { ApiRoot } from "./generated/tree";
export type { RouteMeta, SchemaMeta, PropertyFormatMeta } from "./generated/meta-types";
export type * from "./generated/formats";
export { propertyStrings, propertyFormats } from "./generated/formats";
export type { PropertyStringCodec } from "./generated/property-string";
export { PropertyStringError } from "./generated/property-string";
export { schemaInfo } from "./generated/schema-info";
export { bindingsInfo, bindingsVersionWarning } from "./runtime/bindings-version";
export type { BindingsInfo } from "./runtime/bindings-version";
export { pullSchema, writePulledSchema } from "./schema/pull";
export type { SchemaPullOptions, PulledSchema } from "./schema/pull";
