import type { VirtualClock } from "./clock";

/** One entry of the cluster log (`GET /cluster/log`), as pve-cluster's clusterlog keeps them. */
export interface ClusterLogEntry {
  uid: number;
  /** seconds since epoch */
  time: number;
  /** syslog priority (6: info, 3: err) */
  pri: number;
  tag: string;
  pid: number;
  node: string;
  user: string;
  msg: string;
}

interface SyslogLine {
  time: number;
  text: string;
}

/** A stable pid for a node's pvedaemon (journal lines `pvedaemon[<pid>]`). */
export function daemonPid(node: string): number {
  let h = 0;
  for (const c of node) h = (h * 31 + c.charCodeAt(0)) % 30_000;
  return 1000 + h;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `journalctl -o short` time stamp: `Jan 02 03:04:05`. */
function shortTime(sec: number): string {
  const d = new Date(sec * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * What the cluster writes to its logs: each node's journal (`/nodes/{node}/syslog`, `/journal`) and the
 * cluster log (`/cluster/log`). Tasks log `starting task UPID:…` / `end task UPID:… OK` as pvedaemon does,
 * logins and config updates too. Bounded, like the real ring buffers.
 */
export class EventLog {
  private readonly journals = new Map<string, SyslogLine[]>();
  private readonly cluster: ClusterLogEntry[] = [];
  private uid = 1;
  private static readonly MAX = 50_000;

  constructor(private readonly clock: VirtualClock) {}

  /** A journal line on `node` (`Jan 02 03:04:05 pve1 pvedaemon[1234]: <root@pam> starting task …`), and a cluster log entry unless `local`. */
  record(node: string, tag: string, pid: number, user: string, msg: string, opts: { pri?: number; local?: boolean } = {}): void {
    const time = this.clock.nowSeconds();
    const lines = this.journals.get(node) ?? [];
    lines.push({ time, text: `${shortTime(time)} ${node} ${tag}[${pid}]: ${user ? `<${user}> ` : ""}${msg}` });
    if (lines.length > EventLog.MAX) lines.splice(0, lines.length - EventLog.MAX);
    this.journals.set(node, lines);
    if (opts.local) return;
    this.cluster.push({ uid: this.uid++, time, pri: opts.pri ?? 6, tag, pid, node, user, msg });
    if (this.cluster.length > EventLog.MAX) this.cluster.splice(0, this.cluster.length - EventLog.MAX);
  }

  /** The node's journal lines, oldest first, with their time (seconds). */
  journal(node: string): readonly SyslogLine[] {
    return this.journals.get(node) ?? [];
  }

  /** Cluster log entries, newest first. */
  clusterLog(max: number): ClusterLogEntry[] {
    return this.cluster.slice(-max).reverse();
  }

  clear(): void {
    this.journals.clear();
    this.cluster.length = 0;
  }
}
