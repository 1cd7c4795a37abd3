import { createHash } from "node:crypto";
import type { GuestConfig, GuestState, SnapshotState } from "../state-types";

/** Keys that are not `key: value` lines of a config section. */
const NOT_A_LINE = new Set(["description", "digest"]);

/** One section: the description as `#` comment lines, then `key: value` lines sorted by key. */
function section(config: GuestConfig, pending = false): string {
  let raw = "";
  const description = config.description;
  if (description !== undefined) {
    if (String(description) !== "") for (const line of String(description).split("\n")) raw += `#${line}\n`;
    else if (pending) raw += "#\n";
  }
  for (const key of Object.keys(config).sort()) {
    if (NOT_A_LINE.has(key)) continue;
    raw += `${key}: ${config[key]}\n`;
  }
  return raw;
}

function snapshotSection(g: GuestState, s: SnapshotState): GuestConfig {
  const out: GuestConfig = { ...s.config, snaptime: s.snaptime };
  if (s.description !== undefined) out.description = s.description;
  if (s.parent !== undefined) out.parent = s.parent;
  if (g.type === "qemu" && s.vmstate) out.vmstate = `local-lvm:vm-${g.vmid}-state-${s.name}`;
  return out;
}

/**
 * The guest's config file as PVE writes it: PVE::QemuServer::write_vm_config (qemu-server
 * src/PVE/QemuServer.pm) and PVE::LXC::Config::write_pct_config (pve-container src/PVE/LXC/Config.pm):
 * the current section, `[PENDING]` (LXC: `[pve:pending]`), then each snapshot as `[name]`.
 */
export function configFileText(g: GuestState): string {
  let raw = section(g.config);
  if (g.pending && Object.keys(g.pending).length > 0) {
    raw += g.type === "qemu" ? "\n[PENDING]\n" : "\n[pve:pending]\n";
    raw += section(g.pending, true);
  }
  for (const s of [...g.snapshots].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    raw += `\n[${s.name}]\n${section(snapshotSection(g, s))}`;
  }
  return raw;
}

/** `digest`: SHA-1 over the whole config file text (PVE::QemuServer::parse_vm_config, PVE::LXC::Config::parse_pct_config). */
export function guestDigest(g: GuestState): string {
  return createHash("sha1").update(configFileText(g)).digest("hex");
}
