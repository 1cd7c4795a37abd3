import type { Clock } from "../../runtime/clock";

/** Where the CLI writes and what it reads from its surroundings; injectable for tests. */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: NodeJS.ProcessEnv;
  /** Time for task polling and `watch` (tests inject the simulator's virtual clock); default the real one. */
  clock?: Clock;
  /** Ends long-running commands (`watch`) as Ctrl-C does; default: SIGINT/SIGTERM of the process. */
  signal?: AbortSignal;
}

export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The real process streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
