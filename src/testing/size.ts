/** PVE disk sizes: `32G`, `512M`, `+2G` (resize), bytes when unitless. */

const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** Parses `32G` / `512M` / `1073741824` into bytes; undefined when malformed. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMGT])?$/.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (m[2] ? (UNITS[m[2]] as number) : 1));
}

/** Formats bytes the way PVE writes `size=` into configs (largest whole unit). */
export function formatSize(bytes: number): string {
  for (const unit of ["T", "G", "M", "K"] as const) {
    const f = UNITS[unit] as number;
    if (bytes % f === 0 && bytes >= f) return `${bytes / f}${unit}`;
  }
  return String(bytes);
}

/** Extracts `size=…` from a disk property string; 0 when absent. */
export function diskSizeOf(value: string | number): number {
  const m = /(?:^|,)size=([^,]+)/.exec(String(value));
  return m ? (parseSize(m[1] as string) ?? 0) : 0;
}
