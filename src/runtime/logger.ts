/** Where the client reports what it does (requests, retries, renewals, warnings). */
export interface Logger {
  debug?(message: string): void;
  warn?(message: string): void;
}

/** Whether `DEBUG` asks for pvekit's log (`DEBUG=pvekit`, `DEBUG=pvekit,other`, `DEBUG=*`). */
export function debugEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.DEBUG;
  if (!value) return false;
  return value.split(/[\s,]+/).some((part) => part === "*" || part === "pvekit" || part === "pvekit:*");
}

/** The logger option, else a stderr logger when `DEBUG=pvekit`, else warnings only. */
export function resolveLogger(logger: Logger | undefined, env: NodeJS.ProcessEnv = process.env): Logger {
  if (logger) return logger;
  const stderr = (message: string): void => {
    process.stderr.write(`pvekit ${message}\n`);
  };
  return debugEnabled(env) ? { debug: stderr, warn: stderr } : { warn: stderr };
}
