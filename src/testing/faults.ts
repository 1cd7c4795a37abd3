/**
 * Fault injection: make matching requests fail the ways real clusters and networks do.
 * A pattern is `"METHOD /path"` (method optional or `*`); path segments may be `*` (one
 * segment), `**` (any rest) or a `{param}` placeholder, so route keys work as patterns.
 */
export type Fault =
  /** answer after `ms` (wall-clock) milliseconds */
  | { kind: "latency"; ms: number }
  /** drop the connection without an answer */
  | { kind: "reset" }
  /** answer with this status (500, 502, 503, 595, 596 …) and reason */
  | { kind: "status"; status: number; message?: string }
  /** 200 with a body that is not JSON */
  | { kind: "malformed-body" }
  /** the caller's ticket has expired: 401, and the ticket stays invalid */
  | { kind: "expired-ticket" }
  /** "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout" */
  | { kind: "lock-timeout" }
  /** the task started by the request ends with `TASK ERROR: <message>` */
  | { kind: "task-error"; message: string }
  /** the task started by the request ends with `TASK WARNINGS: <count>` */
  | { kind: "task-warnings"; count: number };

export interface FaultRule {
  readonly id: number;
  readonly pattern: string | RegExp;
  readonly fault: Fault;
  /** how many more matches it applies to (Infinity: always) */
  remaining: number;
  /** how many requests it has hit */
  hits: number;
}

export interface FaultOptions {
  /** `"once"` (default), `"always"`, or a count */
  times?: "once" | "always" | number;
}

function patternToRegExp(pattern: string): RegExp {
  const m = /^(?:([A-Z*]+)\s+)?(\/\S*)$/.exec(pattern.trim());
  if (!m) throw new TypeError(`invalid fault pattern '${pattern}': expected "METHOD /path" or "/path"`);
  const method = !m[1] || m[1] === "*" ? "[A-Z]+" : m[1];
  const path = (m[2] as string)
    .split("/")
    .map((seg) => (seg === "**" ? ".*" : seg === "*" || /^\{[^}]+\}$/.test(seg) ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${method} ${path}/?$`);
}

/** The fault rules of one simulator; the first matching rule with uses left applies. */
export class FaultTable {
  private rules: FaultRule[] = [];
  private nextId = 1;

  /** Adds a rule; returns it (with `hits`) — remove it with `remove(rule)`. */
  add(pattern: string | RegExp, fault: Fault, opts: FaultOptions = {}): FaultRule {
    const times = opts.times ?? "once";
    const remaining = times === "once" ? 1 : times === "always" ? Infinity : times;
    if (typeof pattern === "string") patternToRegExp(pattern); // validate early
    const rule: FaultRule = { id: this.nextId++, pattern, fault, remaining, hits: 0 };
    this.rules.push(rule);
    return rule;
  }

  remove(rule: FaultRule): void {
    this.rules = this.rules.filter((r) => r.id !== rule.id);
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * The fault for `METHOD /path` (path without /api2/json), consuming one use; undefined if none.
   * `kinds`: only rules injecting one of these kinds apply (the others are left for later requests).
   */
  take(method: string, path: string, kinds?: ReadonlySet<Fault["kind"]>): Fault | undefined {
    const subject = `${method} ${path}`;
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || (kinds && !kinds.has(rule.fault.kind))) continue;
      const re = typeof rule.pattern === "string" ? patternToRegExp(rule.pattern) : rule.pattern;
      if (!re.test(subject)) continue;
      rule.remaining--;
      rule.hits++;
      return rule.fault;
    }
    return undefined;
  }
}
