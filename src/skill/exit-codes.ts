import { PolicyRefusedError, SkillUsageError } from "./errors";

/** CLI exit codes (DESIGN.md): 0 done, 1 API or task failure, 2 usage or validation, 3 confirmation required, 4 refused by policy. */
export const EXIT = { ok: 0, failure: 1, usage: 2, confirm: 3, refused: 4 } as const;

/** The exit code for an error raised while running a command. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof PolicyRefusedError) return EXIT.refused;
  if (err instanceof SkillUsageError) return EXIT.usage;
  const code = (err as { code?: unknown } | null)?.code;
  // Client-side validation and missing configuration are usage errors; nothing was sent.
  if (code === "PVE_ERR_VALIDATION" || code === "PVE_ERR_CONFIG") return EXIT.usage;
  return EXIT.failure;
}
