import { z } from "zod";
import { bindingsInfo, bindingsVersionWarning } from "../../runtime/bindings-version";
import { formatVmidList } from "../policy/allow-list";
import { modeAllows, type Tier } from "../policy/mode";
import { defineRead, type OperationContext } from "./operation";

type Row = Record<string, unknown>;

/** One line of the doctor's report. */
export interface DoctorCheck {
  check: string;
  status: "ok" | "warn" | "fail";
  detail: string;
}

/** Privileges each tier relies on (checked on `/` or `/vms`, where they propagate to every guest). */
export const TIER_PRIVILEGES: Record<Tier, readonly string[]> = {
  read: ["Sys.Audit", "VM.Audit", "Datastore.Audit"],
  reversible: ["VM.PowerMgmt", "VM.Snapshot", "VM.Backup", "VM.Clone", "VM.Allocate", "VM.Config.Options", "Datastore.AllocateSpace"],
  destructive: ["VM.Snapshot.Rollback", "VM.Migrate", "VM.Config.Disk", "VM.Allocate"],
};

export const doctorOp = defineRead({
  kind: "read",
  name: "doctor",
  title: "Check setup",
  description:
    "Checks connection, TLS, authentication, PVE version and the token's effective privileges per tier, so 403s are explained up front.",
  tier: "read",
  input: z.object({}),
  async run(ctx) {
    const checks = await runDoctor(ctx);
    const failed = checks.filter((c) => c.status === "fail");
    return {
      data: checks,
      columns: ["check", "status", "detail"],
      failure: failed.length ? `${failed.length} check(s) failed: ${failed.map((c) => c.check).join(", ")}` : undefined,
    };
  },
});

async function runDoctor(ctx: OperationContext): Promise<DoctorCheck[]> {
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
    const e = err as Error;
    checks.push({ check: "connection", status: "fail", detail: `${e.name}: ${e.message}` });
    return checks;
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
    return [...checks, ...settingsChecks(ctx)];
  }
  for (const tier of ["read", "reversible", "destructive"] as const) {
    const missing = TIER_PRIVILEGES[tier].filter((p) => !grantedBroadly(perms, p));
    const needed = modeAllows(ctx.settings.mode, tier);
    const partial = missing.filter((p) => Object.values(perms).some((privs) => truthy(privs[p])));
    checks.push({
      check: `privileges: ${tier}`,
      status: missing.length === 0 ? "ok" : needed ? (tier === "read" ? "fail" : "warn") : "ok",
      detail:
        missing.length === 0
          ? `all granted on / or /vms (${TIER_PRIVILEGES[tier].join(", ")})`
          : `missing on / and /vms: ${missing.join(", ")}${partial.length ? ` (granted only on some paths: ${partial.join(", ")})` : ""}${needed ? "" : " — not needed in this mode"}`,
    });
  }
  return [...checks, ...settingsChecks(ctx)];
}

function grantedBroadly(perms: Record<string, Record<string, unknown>>, priv: string): boolean {
  return ["/", "/vms"].some((path) => truthy(perms[path]?.[priv]));
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
