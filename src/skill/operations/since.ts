import { SkillUsageError } from "../errors";

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * `--since` as epoch seconds: a duration back from now (`30m`, `2h`, `1d`, `1w`), a date or date-time
 * (`2026-01-02`, `2026-01-02 10:00[:00]`, ISO 8601; without a zone it is UTC), or epoch seconds.
 */
export function parseSince(text: string, now: Date): number {
  const t = text.trim();
  const rel = /^(\d+)\s*([smhdw])$/i.exec(t);
  if (rel) return Math.floor(now.getTime() / 1000) - Number(rel[1]) * (UNIT_SECONDS[(rel[2] as string).toLowerCase()] as number);
  if (/^\d{9,}$/.test(t)) return Number(t);
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (local) {
    const [, y, mo, d, h = "0", mi = "0", s = "0"] = local;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
  }
  const iso = Date.parse(t);
  if (/^\d{4}-\d{2}-\d{2}T/.test(t) && Number.isFinite(iso)) return Math.floor(iso / 1000);
  throw new SkillUsageError(
    `--since "${text}" is not a time: use a duration back from now (30m, 2h, 1d), a date (2026-01-02), a date and time (2026-01-02 10:00, UTC) or epoch seconds.`,
  );
}
