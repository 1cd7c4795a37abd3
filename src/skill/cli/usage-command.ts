import { Command } from "commander";
import { docs } from "../../generated/docs";
import type { RouteMeta, SchemaMeta } from "../../generated/meta-types";
import { SkillUsageError } from "../errors";
import { matchRoute, normalizeApiPath } from "../route-lookup";
import { renderTable } from "../format/table";
import type { CliApp } from "./app";
import { TOOL_CATALOG } from "./tool-catalog";

/** `pvekit usage <path>`: the methods and parameters of an endpoint from the schema, like `pvesh usage`. */
export function usageCommand(app: CliApp, cmd = new Command("usage")): Command {
  return cmd
    .description(TOOL_CATALOG.usage.description)
    .argument("<path>", "API path, concrete (/nodes/pve1/qemu/100/status/current) or a template")
    .option("--method <verb>", "only this method (GET, POST, PUT, DELETE)")
    .option("--json", "print the schema metadata as JSON")
    .action((path: string, _opts: unknown, command: Command) => {
      const opts = command.optsWithGlobals() as { method?: string; json?: boolean };
      const match = matchRoute(path);
      if (!match) throw new SkillUsageError(`No API endpoint matches ${normalizeApiPath(path)}.`);
      const methods = match.methods.filter((m) => !opts.method || m.v === opts.method.toUpperCase());
      if (methods.length === 0)
        throw new SkillUsageError(
          `${match.template} has no ${String(opts.method).toUpperCase()} method (it has: ${match.methods.map((m) => m.v).join(", ")}).`,
        );
      if (opts.json) {
        app.out(
          JSON.stringify(
            methods.map((m) => {
              const doc = docs[`${m.v} ${m.path}`];
              return {
                method: m.v,
                path: m.path,
                description: doc?.d ?? "",
                ...(doc?.perm ? { permissions: doc.perm } : {}),
                returnsTask: Boolean(m.upid),
                params: m.params,
                paramDescriptions: doc?.p ?? {},
                returns: m.ret,
              };
            }),
            null,
            2,
          ),
        );
        return;
      }
      app.out(methods.map((m) => describeMethod(m)).join("\n\n"));
    });
}

function describeMethod(m: RouteMeta): string {
  const rows = Object.entries(m.params)
    .sort(([a], [b]) => Number(m.pp.includes(b)) - Number(m.pp.includes(a)) || a.localeCompare(b))
    .map(([name, s]) => ({
      name: m.pp.includes(name) ? `${name} (path)` : name,
      type: typeText(s),
      required: s.o ? "" : "yes",
      constraints: constraintText(s),
      default: s.d === undefined ? "" : String(s.d),
    }));
  const head = `${m.v} ${m.path}${m.upid ? "  (returns a task UPID)" : ""}`;
  const doc = docs[`${m.v} ${m.path}`];
  const about = doc ? [doc.d, ...(doc.perm ? [`Permissions: ${doc.perm}`] : [])].filter(Boolean) : [];
  const described = rows.length && doc ? Object.keys(m.params).sort().filter((n) => doc.p[n]) : [];
  const paramLines = described.map((n) => `- ${n}: ${(doc?.p[n] ?? "").replace(/\s+/g, " ")}`);
  const returns = `Returns: ${typeText(m.ret)}${m.ret.props ? ` {${Object.keys(m.ret.props).slice(0, 12).join(", ")}${Object.keys(m.ret.props).length > 12 ? ", …" : ""}}` : ""}${m.ret.i?.props ? ` of {${Object.keys(m.ret.i.props).slice(0, 12).join(", ")}${Object.keys(m.ret.i.props).length > 12 ? ", …" : ""}}` : ""}`;
  return [
    head,
    ...(about.length ? ["", ...about] : []),
    "",
    rows.length ? renderTable(rows) : "(no parameters)",
    ...(paramLines.length ? ["", ...paramLines] : []),
    "",
    returns,
  ].join("\n");
}

function typeText(s: SchemaMeta): string {
  if (s.t === "array") return `array of ${s.i ? typeText(s.i) : "any"}`;
  if (s.ps) return `string (property string ${s.ps})`;
  if (s.f && s.t === "string") return `string (${s.f})`;
  return s.t;
}

function constraintText(s: SchemaMeta): string {
  const out: string[] = [];
  if (s.e) out.push(`one of ${s.e.join("|")}`);
  if (s.min !== undefined || s.max !== undefined) out.push(`${s.min ?? "…"}–${s.max ?? "…"}`);
  if (s.minL !== undefined || s.maxL !== undefined) out.push(`length ${s.minL ?? 0}–${s.maxL ?? "…"}`);
  if (s.n !== undefined) out.push(`indexed 0–${s.n - 1}`);
  if (s.l) out.push("list");
  if (s.req) out.push(`requires ${s.req}`);
  return out.join("; ");
}
