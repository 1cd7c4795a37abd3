import { Option, type Command } from "commander";

/** Options every command accepts (connection, safety, output), wherever they appear on the line. */
export function addCommonOptions(cmd: Command): Command {
  const opts = [
    new Option("--json", "print one JSON value (machine-readable)"),
    new Option("--mode <mode>", "read-only (default), operator or admin; env PVEKIT_MODE"),
    new Option("--host <url>", "PVE host: URL, host or host:port; env PROXMOX_HOST"),
    new Option("--local", "run through pvesh on this PVE node as root@pam, no host or token (default when no host is configured and pvesh is on PATH; refused while one is); env PVEKIT_LOCAL=1"),
    new Option("--token-id <id>", "API token id user@realm!name (the secret only from env or files); env PROXMOX_TOKEN_ID"),
    new Option("--user <user@realm>", "log in with a password from PROXMOX_PASSWORD instead of a token"),
    new Option("--fingerprint <sha256>", "pin the server certificate (AA:BB:…); env PROXMOX_FINGERPRINT"),
    new Option("--ca <file>", "verify the server against this CA (PEM); env PROXMOX_CA_PATH"),
    new Option("--insecure", "do not verify the server certificate (prefer --fingerprint)"),
    new Option("--allow-http", "send credentials over a plain http:// host (local test servers only)"),
    new Option("--trust-host", "send the configured credentials to a --host other than the configured one (needed unless the configured fingerprint or CA verifies it)"),
    new Option("--timeout <seconds>", "per-request timeout; env PROXMOX_TIMEOUT"),
    new Option("--config <file>", "YAML config file; env PVEKIT_CONFIG"),
    new Option("--audit-log <file>", "JSON-lines audit log of mutations; env PVEKIT_AUDIT_LOG"),
  ];
  for (const o of opts) cmd.addOption(o.helpGroup("Global options:"));
  return cmd;
}

/** Options of commands that change something. */
export function addMutationOptions(cmd: Command): Command {
  cmd.addOption(new Option("--confirm <token>", "confirm token from the plan of a destructive operation").helpGroup("Safety options:"));
  cmd.addOption(new Option("--no-wait", "do not wait for the task; print its UPID").helpGroup("Safety options:"));
  addTaskTimeoutOption(cmd);
  return addProgressOption(cmd);
}

/** `--progress` for commands that wait for tasks. */
export function addProgressOption(cmd: Command): Command {
  cmd.addOption(
    new Option("--progress <mode>", "progress on stderr: auto (live on a terminal, plain lines otherwise), plain, json (JSON lines), none; env PVEKIT_PROGRESS")
      .choices(["auto", "plain", "json", "none"])
      .helpGroup("Output options:"),
  );
  return cmd;
}

/** `--timeout-task`: commands that wait for a task. */
export function addTaskTimeoutOption(cmd: Command): Command {
  cmd.addOption(
    new Option("--timeout-task <seconds>", "how long to wait for the task (default 300); env PVEKIT_TASK_TIMEOUT").helpGroup("Safety options:"),
  );
  return cmd;
}

/** The merged options of a command and its parents. */
export interface GlobalOpts {
  json?: boolean;
  mode?: string;
  host?: string;
  local?: boolean;
  tokenId?: string;
  user?: string;
  fingerprint?: string;
  ca?: string;
  insecure?: boolean;
  allowHttp?: boolean;
  trustHost?: boolean;
  timeout?: string;
  config?: string;
  auditLog?: string;
  confirm?: string;
  wait?: boolean;
  timeoutTask?: string;
  progress?: string;
}
