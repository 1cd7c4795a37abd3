/** Connection overrides from command-line flags (never secrets: those come from the environment or files). */
export interface ConnectionFlags {
  host?: string;
  tokenId?: string;
  user?: string;
  insecure?: boolean;
  fingerprint?: string;
  ca?: string;
  timeout?: string;
  config?: string;
  /** run through pvesh on this node (local mode) */
  local?: boolean;
  /** send credentials over plain http:// (a local test server) */
  allowHttp?: boolean;
  /** send the configured credentials to a --host other than the configured one, whatever its TLS trust */
  trustHost?: boolean;
}

/** Flags as the highest-priority environment layer, so the runtime's precedence rules hold. */
export function flagsAsEnv(flags: ConnectionFlags, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const overlay: NodeJS.ProcessEnv = { ...env };
  if (flags.host) overlay.PROXMOX_HOST = flags.host;
  if (flags.tokenId) overlay.PROXMOX_TOKEN_ID = flags.tokenId;
  if (flags.user) {
    overlay.PROXMOX_USER = flags.user;
    // a user given on the command line means a password login, whatever token the environment holds
    if (!flags.tokenId) for (const k of ["PROXMOX_TOKEN_ID", "PVE_TOKEN_ID", "PROXMOX_VE_API_TOKEN"]) delete overlay[k];
  }
  if (flags.fingerprint) overlay.PROXMOX_FINGERPRINT = flags.fingerprint;
  if (flags.ca) overlay.PROXMOX_CA_PATH = flags.ca;
  if (flags.insecure) overlay.PROXMOX_VERIFY_SSL = "false";
  if (flags.timeout) overlay.PROXMOX_TIMEOUT = flags.timeout;
  return overlay;
}
