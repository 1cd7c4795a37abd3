import type { SchemaChange, SchemaDiff, SchemaSide } from "./diff-types";

export interface RenderOptions {
  /** Show only the changes that break callers (the summary line still counts everything). */
  breakingOnly?: boolean;
}

/** The diff as stable, indented JSON (the `SchemaDiff` object itself, optionally filtered). */
export function renderDiffJson(diff: SchemaDiff, opts: RenderOptions = {}): string {
  const changes = opts.breakingOnly ? diff.changes.filter((c) => c.breaking) : diff.changes;
  return `${JSON.stringify({ ...diff, changes }, null, 2)}\n`;
}

/**
 * The diff for people: a summary, then removed, renamed and added endpoints, then the changed
 * endpoints with one line per change; `!` marks what breaks callers.
 */
export function renderDiffText(diff: SchemaDiff, opts: RenderOptions = {}): string {
  const changes = opts.breakingOnly ? diff.changes.filter((c) => c.breaking) : diff.changes;
  const s = diff.summary;
  const lines = [
    `${side(diff.old)} → ${side(diff.new)}`,
    `${s.endpointsAdded} endpoints added, ${s.endpointsRemoved} removed, ${s.endpointsRenamed} renamed, ` +
      `${s.endpointsChanged} changed; ${s.breaking} breaking ${plural(s.breaking, "change")}, ${s.nonBreaking} other`,
  ];
  if (changes.length === 0) {
    lines.push("", opts.breakingOnly ? "No breaking changes." : "No changes.");
    return `${lines.join("\n")}\n`;
  }
  const section = (title: string, kind: SchemaChange["kind"], text: (c: SchemaChange) => string): void => {
    const list = changes.filter((c) => c.kind === kind);
    if (list.length === 0) return;
    lines.push("", title);
    for (const c of list) lines.push(`  ${route(c)}${text(c)}`);
  };
  section("Removed endpoints (breaking):", "endpoint-removed", () => "");
  section("Renamed path placeholders (breaking):", "path-renamed", (c) => `  (was ${String(c.before)})`);
  section("Added endpoints:", "endpoint-added", () => "");

  const perEndpoint = new Map<string, SchemaChange[]>();
  for (const c of changes) {
    if (c.kind === "endpoint-added" || c.kind === "endpoint-removed" || c.kind === "path-renamed") continue;
    const key = route(c);
    perEndpoint.set(key, [...(perEndpoint.get(key) ?? []), c]);
  }
  if (perEndpoint.size > 0) {
    lines.push("", `Changed endpoints ("!" = breaks callers):`);
    for (const [key, list] of perEndpoint) {
      lines.push(`  ${key}`);
      for (const c of list) lines.push(`    ${c.breaking ? "!" : " "} ${subject(c)}: ${c.message}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function side(s: SchemaSide): string {
  const version = s.pveVersion ? `PVE ${s.pveVersion}` : "PVE (version unknown)";
  return `${version} (${s.label ? `${s.label}, ` : ""}${s.methods} ${plural(s.methods, "method")})`;
}

function route(c: SchemaChange): string {
  return `${c.verb.padEnd(6)} ${c.path}`;
}

function subject(c: SchemaChange): string {
  if (c.location === "endpoint") return "endpoint";
  if (c.location === "param") return `param ${c.name}`;
  return c.name ? `returns ${c.name}` : "return value";
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
