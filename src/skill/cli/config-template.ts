/** What `pvekit init` may fill in from its flags; everything else stays a commented example. */
export interface TemplateValues {
  host?: string;
  tokenId?: string;
  fingerprint?: string;
  mode?: string;
}

const q = (v: string): string => JSON.stringify(v);

/**
 * The commented example config `pvekit init` writes. Every key in it is one pvekit reads (a test
 * uncomments them all and checks the result); values given on the command line are written active.
 */
export function configTemplate(v: TemplateValues = {}): string {
  const line = (active: boolean, text: string): string => (active ? text : `# ${text}`);
  return `# pvekit configuration, written by \`pvekit init\`. Keep this file private (mode 600).
# Precedence: command-line flags > environment variables > ~/.proxmox-credentials > this file.
# Read from --config, $PVEKIT_CONFIG, or else $XDG_CONFIG_HOME/pvekit/config.yaml (~/.config/pvekit/config.yaml).
# Every key is optional; the README's "Configuration file" section lists them all.

# --- Connection -------------------------------------------------------------------------------------
# On a Proxmox VE node, leave host unset: pvekit then uses the node's pvesh as root@pam (local mode).
${line(v.host !== undefined, `host: ${q(v.host ?? "pve1.example.com")}                # URL, host or host:port (env PROXMOX_HOST)`)}
# port: 8006                              # when host has no port; default 8006 (env PROXMOX_PORT)
${line(v.tokenId !== undefined, `token_id: ${q(v.tokenId ?? "automation@pve!agent")}          # API token id user@realm!name (env PROXMOX_TOKEN_ID)`)}
# The token secret lives in its own file (mode 600), never in this one; relative paths are relative to
# this file's directory, ~/ is your home directory (env PROXMOX_TOKEN_SECRET_FILE):
# token_secret_file: token-secret
# user: "automation@pve"                 # password login instead of a token (with password_file)
# password_file: password
# TLS is verified against the system CAs. PVE's certificate is self-signed by default: pin it by its
# SHA-256 fingerprint (pvenode cert info on the node, or the GUI: node > System > Certificates) ...
${line(v.fingerprint !== undefined, `fingerprint: ${q(v.fingerprint ?? "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99")}`)}
# ... or trust the cluster's CA (/etc/pve/pve-root-ca.pem on a node):
# ca_path: pve-root-ca.pem
# verify_ssl: true                        # false turns checking off: insecure, prefer fingerprint
# timeout: 30                             # seconds per request (env PROXMOX_TIMEOUT)

# --- Safety -----------------------------------------------------------------------------------------
${line(v.mode !== undefined, `mode: ${q(v.mode ?? "read-only")}                     # read-only | operator | admin (env PVEKIT_MODE)`)}
# Allow-lists limit which guests may be changed (env PROXMOX_ALLOWED_VMIDS, _NODES, _POOLS, _TAGS):
# allowed_vmids: "100-110,200"
# allowed_nodes: [pve1, pve2]
# allowed_pools: [lab]
# allowed_tags: [pvekit-ok]
# audit_log: ~/.local/state/pvekit/audit.log   # JSON lines, one per change (env PVEKIT_AUDIT_LOG)
# task_timeout: 300                       # seconds to wait for a task (env PVEKIT_TASK_TIMEOUT)
# confirm_ttl: 300                        # seconds a confirm token stays valid (env PVEKIT_CONFIRM_TTL)

# --- Snapshots --------------------------------------------------------------------------------------
# Name used when \`pvekit snapshot\` gets no name (env PVEKIT_SNAPSHOT_NAME). Placeholders: {change} (or
# {change_number}: the --change id, else the timestamp), {timestamp}, {date}, {time}, {vmid}.
# snapshots:
#   name: "pvekit-{change}"
`;
}
