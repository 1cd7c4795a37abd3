import { spawn } from "node:child_process";

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment for nested npm/node runs: without the `npm_*` variables that `npm test` exports
 * (npm_config_prefix, npm_package_*, …), which would point a nested `npm install` back at this
 * project; npm's config files still apply (cache, registry, cafile).
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const keep = new Set(["npm_config_cache", "npm_config_userconfig", "npm_config_globalconfig", "npm_config_cafile", "npm_config_registry"]);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith("npm_") || keep.has(k.toLowerCase())) env[k] = v;
  return { ...env, NO_COLOR: "1", npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false", ...extra };
}

/** Runs a command without a shell and collects its output (never rejects: the caller asserts on status). */
export function runCommand(cmd: string, args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (err) => resolve({ status: null, stdout, stderr: `${stderr}${String(err)}` }));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** One readable line for an assertion message. */
export function describeRun(what: string, r: CommandResult): string {
  return `${what} exited ${r.status}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;
}
