/** Human forms of the values PVE returns (bytes, fractions, seconds, epoch times). */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** `4294967296` → `4.0 GiB`. */
export function formatBytes(value: unknown): string {
  const n = Number(value);
  if (value === undefined || value === null || value === "" || !Number.isFinite(n)) return "";
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${UNITS[i]}`;
}

/** `42.5` → `42.5%`. */
export function formatPercent(value: unknown): string {
  const n = Number(value);
  return value === undefined || value === null || value === "" || !Number.isFinite(n) ? "" : `${n}%`;
}

/** Seconds → `3d 4h`, `2h 5m`, `40s`. */
export function formatDuration(value: unknown): string {
  const s = Number(value);
  if (value === undefined || value === null || value === "" || !Number.isFinite(s)) return "";
  if (s <= 0) return "-";
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${Math.floor(s % 60)}s`;
  return `${Math.floor(s)}s`;
}

/** Epoch seconds → `2025-01-31 14:05:00Z` (UTC, so output does not depend on the machine). */
export function formatTime(value: unknown): string {
  const s = Number(value);
  if (value === undefined || value === null || value === "" || !Number.isFinite(s) || s <= 0) return "";
  return new Date(s * 1000)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
}
