import type { Clock } from "../../../src/runtime/clock";
import { main } from "../../../src/skill/cli";

/** The result of one in-process CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `pvekit <argv>` in this process with captured streams and the given environment. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  opts: { tty?: boolean; clock?: Clock; signal?: AbortSignal } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    env,
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.tty ?? false },
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { code, stdout, stderr };
}
