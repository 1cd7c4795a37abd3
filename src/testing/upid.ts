/** PVE task ids: `UPID:node:PID:PSTART:STARTTIME:type:id:user@realm:` (hex fields upper case, 8 digits). */
import type { UpidInfo } from "../runtime/upid";

/** The parts a UPID is made of (parsing is the runtime's `parseUpid`/`isUpid`). */
export type UpidParts = Omit<UpidInfo, "upid">;

const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, "0");

/** Formats a UPID exactly as PVE's `PVE::Tools::upid_encode` does. */
export function formatUpid(p: UpidParts): string {
  return `UPID:${p.node}:${hex8(p.pid)}:${hex8(p.pstart)}:${hex8(p.starttime)}:${p.type}:${p.id}:${p.user}:`;
}
