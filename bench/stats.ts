/** Median of a non-empty list (the middle value; the mean of the two middle ones for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of an empty list");
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** `n` formatted with `digits` significant decimals and a unit. */
export function fmt(n: number, unit: string, digits = 1): string {
  return `${n.toFixed(digits)} ${unit}`;
}

/** A ratio such as `1.07x`. */
export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

/** Resolves after `ms` of real time. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
