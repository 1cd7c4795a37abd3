/**
 * `<key>Percent` (0–100, one decimal) from a used/total pair. On its own so that an operation module
 * using it does not load (and build the zod inputs of) every cluster read with it.
 */
export function percent(used: unknown, total: unknown): number | undefined {
  const u = Number(used);
  const t = Number(total);
  return Number.isFinite(u) && Number.isFinite(t) && t > 0 ? Math.round((u / t) * 1000) / 10 : undefined;
}
