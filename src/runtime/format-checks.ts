import { isIP, isIPv4, isIPv6 } from "node:net";

/**
 * Verifiers for the named formats (`f` in SchemaMeta) whose rules are stable across PVE
 * versions. Formats not listed here are not checked client-side: the server still checks
 * them, and a missing verifier must never reject a value PVE would accept.
 */
const FORMAT_CHECKS: Record<string, (value: string) => boolean> = {
  "pve-node": (v) => /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(v),
  "pve-vmid": (v) => /^[1-9][0-9]{2,8}$/.test(v),
  "pve-configid": (v) => /^[a-z][a-z0-9_-]+$/i.test(v),
  "pve-storage-id": (v) => /^[a-z][a-z0-9._-]*[a-z0-9]$/i.test(v),
  "pve-realm": (v) => /^[A-Za-z][A-Za-z0-9._-]+$/.test(v),
  "pve-userid": (v) => v.length <= 64 && /^[^\s:/]+@[A-Za-z][A-Za-z0-9._-]+$/.test(v),
  ipv4: (v) => isIPv4(v),
  ipv6: (v) => isIPv6(v),
  ip: (v) => isIP(v) !== 0,
  "mac-addr": (v) => /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i.test(v),
};

/** The verifier of a named format, or of the item format of a `-list` format. */
export function formatCheck(format: string): ((value: string) => boolean) | undefined {
  const own = Object.prototype.hasOwnProperty.call(FORMAT_CHECKS, format) ? FORMAT_CHECKS[format] : undefined;
  if (own) return own;
  return undefined;
}

/** The item format of a list format name (`pve-vmid-list` → `pve-vmid`). */
export function listItemFormat(format: string): string | undefined {
  return format.endsWith("-list") ? format.slice(0, -"-list".length) : undefined;
}
