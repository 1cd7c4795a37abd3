/** Connection settings gathered from one configuration source, all optional, all strings. */
export interface ConnSettings {
  host?: string;
  port?: string;
  tokenId?: string;
  tokenSecret?: string;
  tokenSecretFile?: string;
  user?: string;
  password?: string;
  passwordFile?: string;
  verifySsl?: string;
  insecure?: string;
  caPath?: string;
  fingerprint?: string;
  timeout?: string;
}

export type SettingKey = keyof ConnSettings;

/** Environment (and credentials-file) names per setting, first name wins. */
export const ENV_NAMES: Readonly<Record<SettingKey, readonly string[]>> = {
  host: ["PROXMOX_HOST", "PVE_HOST", "PROXMOX_VE_ENDPOINT"],
  port: ["PROXMOX_PORT"],
  tokenId: ["PROXMOX_TOKEN_ID", "PVE_TOKEN_ID"],
  tokenSecret: ["PROXMOX_TOKEN_SECRET", "PVE_TOKEN_SECRET"],
  tokenSecretFile: ["PROXMOX_TOKEN_SECRET_FILE"],
  user: ["PROXMOX_USER", "PVE_USER"],
  password: ["PROXMOX_PASSWORD"],
  passwordFile: ["PROXMOX_PASSWORD_FILE"],
  verifySsl: ["PROXMOX_VERIFY_SSL", "PVE_VERIFY_SSL"],
  insecure: ["PROXMOX_VE_INSECURE"],
  caPath: ["PROXMOX_CA_PATH"],
  fingerprint: ["PROXMOX_FINGERPRINT"],
  timeout: ["PROXMOX_TIMEOUT"],
};

/** Reads settings from KEY=VALUE pairs (the environment or a credentials file). */
export function settingsFromVars(vars: Readonly<Record<string, string | undefined>>): ConnSettings {
  const out: ConnSettings = {};
  for (const [key, names] of Object.entries(ENV_NAMES) as [SettingKey, readonly string[]][]) {
    for (const name of names) {
      const value = vars[name];
      if (value !== undefined && value.trim() !== "") {
        out[key] = value.trim();
        break;
      }
    }
  }
  // seed 003's form: PVE_USER=automation@pam (or automation with PVE_REALM=pam) plus a short
  // PVE_TOKEN_ID=automation (the token's name) make the token id automation@pam!automation
  if (out.tokenId && !out.tokenId.includes("!")) {
    const owner = tokenOwner(out.user, vars.PVE_REALM ?? vars.PROXMOX_REALM);
    if (owner) out.tokenId = `${owner}!${out.tokenId}`;
  }
  // PROXMOX_VE_API_TOKEN=user@realm!name=secret (the Terraform provider's form)
  const combined = vars.PROXMOX_VE_API_TOKEN?.trim();
  if (combined) {
    const eq = combined.indexOf("=");
    if (eq > 0) {
      out.tokenId ??= combined.slice(0, eq);
      out.tokenSecret ??= combined.slice(eq + 1);
    } else out.tokenId ??= combined;
  }
  return out;
}

/** `user@realm`, or `user` + realm (default `pam`, PVE's default realm); undefined without a user. */
function tokenOwner(user: string | undefined, realm: string | undefined): string | undefined {
  if (!user) return undefined;
  if (user.includes("@")) return user;
  return `${user}@${realm?.trim() || "pam"}`;
}

/** `true|1|yes|on` / `false|0|no|off`; undefined for anything else. */
export function parseBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (/^(?:1|true|yes|on)$/i.test(value.trim())) return true;
  if (/^(?:0|false|no|off)$/i.test(value.trim())) return false;
  return undefined;
}
