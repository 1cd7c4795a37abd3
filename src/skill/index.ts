/**
 * `pvekit/skill`: curated Proxmox VE operations under a safety policy (modes, tiers, confirm tokens,
 * allow-lists, audit log), the same ones the `pvekit` CLI and MCP server expose.
 *
 * @example
 * import { PveSkill, connect, resolveSkillSettings } from "pvekit/skill";
 * const { client, connection } = connect({}, process.env);
 * const skill = new PveSkill({ client, connection, settings: resolveSkillSettings({ mode: "operator" }) });
 * const out = await skill.run("start", { vmid: 100 });
 */
export { PveSkill, type PveSkillOptions, type RunOptions } from "./pve-skill";
export type { SkillOutcome, ReadOutcome, MutationOutcome, ConfirmationOutcome, PlanView } from "./skill-outcome";
export { resolveSkillSettings, type SkillSettings, type SkillSettingsOverrides } from "./settings";
export { connect, credentialProblem, skillClientFor, type ConnectionFlags } from "./connect";
export type { SkillClient, SkillVerb, SkillWaitOptions } from "./skill-client";
export { operations, findOperation } from "./operations";
export type {
  Operation,
  ReadOperation,
  MutationOperation,
  OperationContext,
  ConnectionInfo,
  GuestRef,
  Plan,
  ReadResult,
  MutationResult,
  Column,
} from "./operations/operation";
export { GuestNotFoundError } from "./operations/guest-locator";
export { SkillError, SkillUsageError, PolicyRefusedError, PreconditionError, AuditLogError } from "./errors";
export { EXIT, exitCodeFor } from "./exit-codes";
export { errorReport, type ErrorReport } from "./error-report";
export { modeAllows, modeFor, lowerMode, parseMode, MODES, TIERS, type Mode, type Tier } from "./policy/mode";
export {
  allowListViolation,
  allowListViolations,
  unknownReachViolation,
  hasAllowLists,
  parseAllowList,
  parseVmidList,
  ALLOW_LIST_VARS,
  type AllowLists,
  type AllowTarget,
  type UnknownReach,
  type VmidRange,
} from "./policy/allow-list";
export { ENDPOINT_RULES, endpointRule, assessTier, type EndpointRule, type GuestScope, type Raise, type TierAssessment } from "./policy/endpoint-rules";
export { TARGET_FORMATS, TARGET_PARAMS, namedTargets, guestVolumeOwners, vmidsOf, type NamedTargets, type TargetKind } from "./policy/target-rules";
export { resolveScope, type GuestInfo, type RequestScope, type ScopeRequest } from "./policy/request-scope";
export {
  ConfirmTokens,
  DEFAULT_CONFIRM_TTL_MS,
  type ConfirmBinding,
  type ConfirmRejection,
  type ConfirmTokensOptions,
} from "./policy/confirm-tokens";
export { MemoryUsedTokenStore, FileUsedTokenStore, type UsedTokenStore } from "./policy/used-token-store";
export { processConfirmKey, stateDirConfirmKey, ensureStateDir } from "./policy/confirm-key";
export { FileAuditLog, MemoryAuditLog, type AuditEntry, type AuditOutcome, type AuditSink } from "./policy/audit-log";
export { redactParams, isSecretName } from "./policy/redact";
export { createMcpServer, mcpToolCall, trackAnswers } from "./mcp-server";
export { MCP_TOOLS, type McpToolSpec } from "./mcp-tools";
export { outcomeJson, renderOutcome } from "./format/render-outcome";
