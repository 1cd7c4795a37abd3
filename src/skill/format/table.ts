import type { Column } from "../operations/operation";
import { formatBytes, formatDuration, formatPercent, formatTime } from "./values";

/** A column with its label and formatter resolved. */
function resolve(c: string | Column): Column {
  return typeof c === "string" ? { key: c } : c;
}

/** One cell as text: formatted, `|` escaped and newlines flattened so the Markdown table stays intact. */
export function cellText(value: unknown, format?: Column["format"]): string {
  let text: string;
  if (format === "bytes") text = formatBytes(value);
  else if (format === "percent") text = formatPercent(value);
  else if (format === "duration") text = formatDuration(value);
  else if (format === "time") text = formatTime(value);
  else if (value === undefined || value === null) text = "";
  else if (typeof value === "boolean") text = value ? "yes" : "no";
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

/**
 * A Markdown pipe table, padded so it also reads well in a terminal. Columns that are empty
 * in every row are left out.
 */
export function renderTable(rows: readonly Record<string, unknown>[], columns?: readonly (string | Column)[]): string {
  if (rows.length === 0) return "(none)";
  const cols = (columns ?? Object.keys(rows[0]!)).map(resolve);
  const cells = rows.map((r) => cols.map((c) => cellText(r[c.key], c.format)));
  const keep = cols.map((_, i) => cells.some((row) => row[i] !== ""));
  const used = cols.filter((_, i) => keep[i]);
  const body = cells.map((row) => row.filter((_, i) => keep[i]));
  const header = used.map((c) => c.label ?? c.key);
  const widths = header.map((h, i) => Math.max(h.length, 3, ...body.map((row) => row[i]!.length)));
  const line = (vals: string[]) => `| ${vals.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...body.map(line)].join("\n");
}

/** A two-column `field | value` table for one object. */
export function renderRecord(record: Record<string, unknown>, columns?: readonly (string | Column)[]): string {
  const cols = (columns ?? Object.keys(record)).map(resolve);
  const rows = cols.map((c) => ({ field: c.label ?? c.key, value: cellText(record[c.key], c.format) })).filter((r) => r.value !== "");
  return renderTable(rows, ["field", "value"]);
}
