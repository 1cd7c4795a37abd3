import * as z from "zod";
import { bindingsInfo, bindingsVersionWarning } from "../../runtime/bindings-version";
import { formatVmidList } from "../policy/allow-list";
import { modeAllows, type Tier } from "../policy/mode";
import { privilegePath } from "../policy/pve-roles";
import { grantAdvice } from "../permission-hint";
import { defineRead, type OperationContext } from "./operation";
import { about } from "./catalog";

type Row = Record<string, unknown>;

/** One line of the doctor's report. */
export interface DoctorCheck {
  check: string;
  status: "ok" | "warn" | "fail";
  detail: string;
  /** commands that grant what is missing (`pveum acl modify …`) */
  fix?: string[];
}

/** Privileges each tier relies on (checked on `/` or on their kind's path, `/vms`, `/storage`…, where they propagate). */
export const TIER_PRIVILEGES: Record<Tier, readonly string[]> = {
  read: ["Sys.Audit", "VM.Audit", "Datastore.Audit"],
  reversible: ["VM.PowerMgmt", "VM.Snapshot", "VM.Backup", "VM.Clone", "VM.Allocate", "VM.Config.Options", "Datastore.AllocateSpace"],
  destructive: ["VM.Snapshot.Rollback", "VM.Migrate", "VM.Config.Disk", "VM.Allocate"],
};

export const doctorOp = defineRead({
  kind: "read",
  ...about("doctor"),
  input: z.object({
    quiet: z.boolean().optional().describe("Print one line, auth ok (<highest tier the privileges cover>), naming no host or token"),
  }),
  async run(ctx, input) {
    const report = await runDoctor(ctx);
    if (input.quiet) return quietResult(report);
    const { checks } = report;
    const failed = checks.filter((c) => c.status === "fail");
    const fixes = checks.flatMap((c) => (c.fix ?? []).map((f) => `  ${f}`));
    return {
      data: checks,
      columns: ["check", "status", "detail"],
      notes: fixes.length ? ["To grant what is missing (run on a PVE node as an administrator):", ...fixes] : undefined,
      failure: failed.length ? `${failed.length} check(s) failed: ${failed.map((c) => c.check).join(", ")}` : undefined,
    };
  },
});

/** What the doctor found. */
interface DoctorReport {
  checks: DoctorCheck[];
  /** set when the API could not be used at all (connection, TLS, authentication) */
  error?: { code: string; message: string };
  /** per tier: every privilege granted; undefined when /access/permissions could not be read */
  granted?: Record<Tier, boolean>;
}

const TIER_NAME: Record<Tier, string> = { read: "read-only", reversible: "reversible", destructive: "destructive" };

/** Seed 001's auth self-test: one line, no host or token id. */
function quietResult(r: DoctorReport) {
  if (r.error) {
    // no message: it may name the host
    return { data: { auth: "failed", error: r.error.code }, text: `auth failed (${r.error.code})`, failure: `auth failed (${r.error.code})` };
  }
  const tiers = (["read", "reversible", "destructive"] as const).filter((_t, i, all) => r.granted && all.slice(0, i + 1).every((x) => r.granted![x]));
  const top = tiers[tiers.length - 1];
  const tier = r.granted === undefined ? "unknown" : top ? TIER_NAME[top] : "none";
  return {
    data: { auth: "ok", tier },
    text: `auth ok (${tier})`,
    failure: tier === "none" ? "authenticated, but the privileges do not cover reading (see pvekit doctor)" : undefined,
  };
}

async function runDoctor(ctx: OperationContext): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const conn = ctx.connection;
  if (conn?.local) {
    checks.push({
      check: "endpoint",
      status: "ok",
      detail: `local mode: this node through ${conn.local.pvesh}${conn.local.reason === "auto" ? " (chosen because no Proxmox host is configured; set PROXMOX_HOST for HTTPS)" : " (--local)"}`,
    });
  } else if (conn) {
    checks.push({ check: "endpoint", status: "ok", detail: conn.baseUrl });
    checks.push({
      check: "tls",
      status: conn.tls === "insecure" ? "warn" : "ok",
      detail:
        conn.tls === "insecure"
          ? "certificate NOT verified (insecure); pin it instead with PROXMOX_FINGERPRINT"
          : conn.tls === "fingerprint"
            ? "certificate pinned by SHA-256 fingerprint"
            : conn.tls === "ca"
              ? "verified against the configured CA"
              : "verified against the system CAs",
    });
  }
  let version: Row;
  try {
    version = (await ctx.client.request("GET", "/version")) as Row;
  } catch (err) {
    const e = err as Error & { code?: unknown };
    checks.push({ check: "connection", status: "fail", detail: `${e.name}: ${e.message}` });
    return { checks, error: { code: typeof e.code === "string" ? e.code : e.name, message: `${e.name}: ${e.message}` } };
  }
  checks.push({
    check: "version",
    status: "ok",
    detail: `PVE ${String(version.version ?? "?")}${version.release ? ` (release ${String(version.release)})` : ""}`,
  });
  // Bindings built for another PVE release validate and type against the wrong schema: say so up front.
  const mismatch = bindingsVersionWarning(version);
  checks.push({
    check: "bindings",
    status: mismatch ? "warn" : "ok",
    detail: mismatch ?? `generated from PVE ${bindingsInfo().pveVersion ?? "(unknown version)"}`,
  });
  checks.push({
    check: "auth",
    status: "ok",
    detail: conn
      ? conn.auth === "local"
        ? `pvesh runs as ${conn.identity} (no token)`
        : `${conn.auth === "token" ? "API token" : "ticket"} ${conn.identity}`
      : "authenticated",
  });

  let perms: Record<string, Record<string, unknown>>;
  try {
    perms = (await ctx.client.request("GET", "/access/permissions")) as Record<string, Record<string, unknown>>;
  } catch (err) {
    checks.push({ check: "privileges", status: "warn", detail: `cannot read /access/permissions: ${(err as Error).message}` });
    return { checks: [...checks, ...settingsChecks(ctx)] };
  }
  const granted = {} as Record<Tier, boolean>;
  for (const tier of ["read", "reversible", "destructive"] as const) {
    const missing = TIER_PRIVILEGES[tier].filter((p) => !grantedBroadly(perms, p));
    granted[tier] = missing.length === 0;
    const needed = modeAllows(ctx.settings.mode, tier);
    const partial = missing.filter((p) => Object.values(perms).some((privs) => truthy(privs[p])));
    const fix = missing.length ? grantsFor(missing, conn) : [];
    checks.push({
      check: `privileges: ${tier}`,
      status: missing.length === 0 ? "ok" : needed ? (tier === "read" ? "fail" : "warn") : "ok",
      detail:
        missing.length === 0
          ? `all granted (${TIER_PRIVILEGES[tier].join(", ")})`
          : `missing: ${missing.map((p) => `${p} on ${privilegePath(p)}`).join(", ")}${partial.length ? ` (granted only on some paths: ${partial.join(", ")})` : ""}${needed ? "" : " — not needed in this mode"}`,
      ...(fix.length ? { fix } : {}),
    });
  }
  return { checks: [...checks, ...settingsChecks(ctx)], granted };
}

/** One `pveum acl modify` per ACL path, with the smallest built-in role that holds the missing privileges there. */
function grantsFor(missing: readonly string[], who: OperationContext["connection"]): string[] {
  const byPath = new Map<string, string[]>();
  for (const p of missing) byPath.set(privilegePath(p), [...(byPath.get(privilegePath(p)) ?? []), p]);
  return [...byPath].map(([path, privs]) => {
    const advice = grantAdvice(path, privs, who ?? {});
    return advice.command ? `${advice.command}   # ${privs.join(", ")}` : `# ${privs.join(", ")} on ${path}: only Administrator holds it`;
  });
}

/** Granted where it covers every object of its kind: on `/` or on its own path (`/vms`, `/storage`…). */
function grantedBroadly(perms: Record<string, Record<string, unknown>>, priv: string): boolean {
  return ["/", privilegePath(priv)].some((path) => truthy(perms[path]?.[priv]));
}

function truthy(v: unknown): boolean {
  return v === 1 || v === true || v === "1";
}

function settingsChecks(ctx: OperationContext): DoctorCheck[] {
  const s = ctx.settings;
  const lists = [
    s.allow.vmids && `vmids ${formatVmidList(s.allow.vmids)}`,
    s.allow.nodes && `nodes ${s.allow.nodes.join(",")}`,
    s.allow.pools && `pools ${s.allow.pools.join(",")}`,
    s.allow.tags && `tags ${s.allow.tags.join(",")}`,
  ].filter(Boolean);
  return [
    { check: "mode", status: "ok", detail: s.mode },
    { check: "allow-lists", status: "ok", detail: lists.length ? lists.join("; ") : "none (every target allowed)" },
    { check: "audit log", status: "ok", detail: s.auditLog === false ? "off" : s.auditLog },
  ];
}
