/**
 * Errors raised by the skill layer itself (policy, confirmation, usage, preconditions).
 * API and task failures keep the runtime's error classes; `exitCodeFor` maps both to CLI exit codes.
 */

/** Base class of every error the skill layer raises on its own. */
export class SkillError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;
  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad command line, bad input, or a request the skill can tell is invalid before any change. Exit code 2. */
export class SkillUsageError extends SkillError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "SKILL_USAGE", options);
  }
}

/** Refused by the safety policy: the mode does not allow the tier, or a target is outside an allow-list. Exit code 4. */
export class PolicyRefusedError extends SkillError {
  /** Why: `mode` or `allow-list`. */
  readonly rule: "mode" | "allow-list";
  constructor(message: string, rule: "mode" | "allow-list") {
    super(message, "SKILL_POLICY_REFUSED");
    this.rule = rule;
  }
}

/**
 * What the command names does not exist: a guest (VMID), node, snapshot, disk or storage. Exit code 1,
 * the same as PVE's own "does not exist" answers (PveNotFoundError), whichever layer finds out first.
 */
export class NotFoundError extends SkillError {
  /** What was missing. */
  readonly what: "guest" | "node" | "snapshot" | "disk" | "storage";
  constructor(what: NotFoundError["what"], message: string, code = "SKILL_NOT_FOUND") {
    super(message, code);
    this.what = what;
  }
}

/**
 * The guest or node is not in a state where the operation can run safely
 * (not enough free memory, no guest agent, disk would shrink…). Exit code 1.
 */
export class PreconditionError extends SkillError {
  constructor(message: string) {
    super(message, "SKILL_PRECONDITION");
  }
}

/**
 * The audit log cannot be written. Raised before a change is sent (nothing was sent), so a mutation
 * never runs unrecorded. Exit code 1.
 */
export class AuditLogError extends SkillError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "SKILL_AUDIT_LOG", options);
  }
}
