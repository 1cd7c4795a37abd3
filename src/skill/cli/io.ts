/** Where the CLI writes and what it reads from its surroundings; injectable for tests. */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: NodeJS.ProcessEnv;
}

export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The real process streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
