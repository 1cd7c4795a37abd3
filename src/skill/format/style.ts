/** Minimal ANSI styling, off unless writing to a terminal without `NO_COLOR`. */
export interface Style {
  ok(text: string): string;
  warn(text: string): string;
  error(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const plain: Style = { ok: (t) => t, warn: (t) => t, error: (t) => t, bold: (t) => t, dim: (t) => t };

const wrap = (open: number, close: number) => (t: string) => `\u001b[${open}m${t}\u001b[${close}m`;

const ansi: Style = { ok: wrap(32, 39), warn: wrap(33, 39), error: wrap(31, 39), bold: wrap(1, 22), dim: wrap(2, 22) };

/** Colour only for a TTY, and never when `NO_COLOR` is set (https://no-color.org) or `TERM=dumb`. */
export function styleFor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): Style {
  if (!isTTY || (env.NO_COLOR !== undefined && env.NO_COLOR !== "") || env.TERM === "dumb") return plain;
  return ansi;
}
