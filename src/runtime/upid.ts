import { PveValidationError } from "./errors";

/** The parts of a task id (`UPID:node:pid:pstart:starttime:type:id:user:`). */
export interface UpidInfo {
  /** the UPID itself */
  upid: string;
  /** the node the task runs on: poll it there */
  node: string;
  pid: number;
  pstart: number;
  /** task start, seconds since the epoch */
  starttime: number;
  /** task type, e.g. `qmstart`, `vzdump` */
  type: string;
  /** the object the task works on (often a VMID); empty when none */
  id: string;
  /** who started it (`root@pam`, or `user@realm!token`) */
  user: string;
}

// PVE::Tools::upid_decode: hex pid/pstart/starttime; pstart may have 9 digits
const UPID_RE =
  /^UPID:([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

/** Whether `text` is a well-formed UPID. */
export function isUpid(text: unknown): boolean {
  return typeof text === "string" && UPID_RE.test(text);
}

/**
 * Splits a UPID into its parts.
 * @throws PveValidationError when `upid` is not a UPID
 */
export function parseUpid(upid: string): UpidInfo {
  const m = typeof upid === "string" ? UPID_RE.exec(upid) : null;
  if (!m) {
    throw new PveValidationError([
      { param: "upid", code: "format", message: `not a task id (expected UPID:node:pid:pstart:starttime:type:id:user:)` },
    ]);
  }
  const [, node, pid, pstart, starttime, type, id, user] = m as unknown as string[];
  return {
    upid,
    node: node as string,
    pid: parseInt(pid as string, 16),
    pstart: parseInt(pstart as string, 16),
    starttime: parseInt(starttime as string, 16),
    type: type as string,
    id: id as string,
    user: user as string,
  };
}
