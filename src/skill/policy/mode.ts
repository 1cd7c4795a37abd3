import { SkillUsageError } from "../errors";

/** What the skill may do: `read-only` (default), `operator` (reversible actions), `admin` (destructive too). */
export type Mode = "read-only" | "operator" | "admin";

/** How dangerous an operation is. */
export type Tier = "read" | "reversible" | "destructive";

export const MODES: readonly Mode[] = ["read-only", "operator", "admin"];
export const TIERS: readonly Tier[] = ["read", "reversible", "destructive"];

const modeRank: Record<Mode, number> = { "read-only": 0, operator: 1, admin: 2 };
const tierRank: Record<Tier, number> = { read: 0, reversible: 1, destructive: 2 };

/** True when `mode` permits operations of `tier`. */
export function modeAllows(mode: Mode, tier: Tier): boolean {
  return tierRank[tier] <= modeRank[mode];
}

/** The least mode that permits `tier`. */
export function modeFor(tier: Tier): Mode {
  return tier === "read" ? "read-only" : tier === "reversible" ? "operator" : "admin";
}

/** The higher of two tiers. */
export function maxTier(a: Tier, b: Tier): Tier {
  return tierRank[a] >= tierRank[b] ? a : b;
}

/** Parses a mode name; accepts `readonly`/`ro` as spellings of `read-only`. */
export function parseMode(value: string): Mode {
  const v = value.trim().toLowerCase();
  if (v === "read-only" || v === "readonly" || v === "ro") return "read-only";
  if (v === "operator" || v === "admin") return v;
  throw new SkillUsageError(`Unknown mode "${value}": expected one of ${MODES.join(", ")}.`);
}

/** The lower of two modes (a ceiling applied to a requested mode). */
export function lowerMode(a: Mode, b: Mode): Mode {
  return modeRank[a] <= modeRank[b] ? a : b;
}
