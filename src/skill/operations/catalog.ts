import type { Tier } from "../policy/mode";

/**
 * What the CLI's command list, `--help`, MCP tool lists and SKILL.md know about an operation without
 * loading it: its name, tier, title, description and command-line arguments. The definitions
 * (input schema, plan, run) are in the operation modules, which take these fields from here
 * (`about`), and are loaded one module at a time (`loadOperation` in ./registry).
 */
export interface OperationInfo {
  /** The command name, as used by the CLI (`start`), `skill.run` and SKILL.md. */
  readonly name: string;
  /** `read` runs at once; a `mutation` is planned first, then run under the safety policy. */
  readonly kind: "read" | "mutation";
  /** The static tier; a plan may raise it. */
  readonly tier: Tier;
  readonly title: string;
  readonly description: string;
  /** CLI positional arguments (input keys, in order; `?` suffix = optional, `...` suffix = variadic). */
  readonly args?: readonly string[];
  /** Takes a set of guests (VMIDs, ranges, selectors) as well as one VMID. */
  readonly sets?: true;
}

/** Every curated operation, in the order help texts list them: read, reversible, destructive, then `api`. */
export const OPERATION_CATALOG: readonly OperationInfo[] = [
  {
    name: "status",
    kind: "read",
    tier: "read",
    title: "Cluster status",
    description: "Cluster and node membership: quorum, which nodes are online, their addresses.",
  },
  {
    name: "nodes",
    kind: "read",
    tier: "read",
    title: "List nodes",
    description: "Nodes with status, CPU and memory use, uptime.",
  },
  {
    name: "node",
    kind: "read",
    tier: "read",
    title: "Node status",
    args: ["node"],
    description: "One node's status: versions, CPU, load, memory, root disk, uptime.",
  },
  {
    name: "guests",
    kind: "read",
    tier: "read",
    title: "List guests",
    description: "VMs, containers and templates cluster-wide (or on one node), filterable by type, tag, pool, status and template.",
  },
  {
    name: "guest",
    kind: "read",
    tier: "read",
    title: "Guest status",
    args: ["vmid"],
    description: "Current status of one VM or container: node, type, state, CPU, memory, uptime, lock.",
  },
  {
    name: "config",
    kind: "read",
    tier: "read",
    title: "Guest configuration",
    args: ["vmid"],
    description: "The configuration of a VM or container (secrets such as cipassword redacted), with its digest.",
  },
  {
    name: "ips",
    kind: "read",
    tier: "read",
    title: "Guest IP addresses",
    args: ["vmid"],
    description: "IP addresses of a running guest, from the QEMU guest agent (or the container's interfaces).",
  },
  {
    name: "console",
    kind: "read",
    tier: "read",
    title: "Console URL",
    args: ["vmid"],
    description:
      "The web console URL of a VM (noVNC) or container (xterm.js) as PVE's GUI opens it, and whether the credentials hold VM.Console for it. Opens nothing.",
  },
  {
    name: "snapshots",
    kind: "read",
    tier: "read",
    title: "List snapshots",
    args: ["vmid"],
    description: "Snapshots of a VM or container, with their parent, time and whether RAM state is included.",
  },
  {
    name: "storage",
    kind: "read",
    tier: "read",
    title: "List storage",
    description: "Storage per node with type, content types, used % and free space.",
  },
  {
    name: "content",
    kind: "read",
    tier: "read",
    title: "Storage content",
    args: ["storage"],
    description: "Volumes on one storage (images, ISOs, templates, backups), optionally one content type.",
  },
  {
    name: "backups",
    kind: "read",
    tier: "read",
    title: "List backups",
    description: "Backup archives (vzdump) on every backup-capable storage, optionally one storage, node or guest.",
  },
  {
    name: "tasks",
    kind: "read",
    tier: "read",
    title: "Recent tasks",
    description: "Recent tasks cluster-wide or on one node, newest first.",
  },
  {
    name: "task",
    kind: "read",
    tier: "read",
    title: "Task status",
    args: ["upid"],
    description: "Status of one task by UPID; optionally wait for it to finish and show its log.",
  },
  {
    name: "nextid",
    kind: "read",
    tier: "read",
    title: "Next free VMID",
    description: "The next free VMID of the cluster.",
  },
  {
    name: "pools",
    kind: "read",
    tier: "read",
    title: "List pools",
    description: "Resource pools and their comments.",
  },
  {
    name: "logs",
    kind: "read",
    tier: "read",
    title: "Node system log",
    description:
      "A node's system log (the journal: syslog, PVE daemons, tasks), newest last; default the node pvekit talks to. Needs Sys.Syslog on the node.",
  },
  {
    name: "cluster-log",
    kind: "read",
    tier: "read",
    title: "Cluster log",
    description:
      "The cluster log (tasks started and ended, logins, config changes on every node), newest first. Without Sys.Syslog on / PVE shows only your own entries.",
  },
  {
    name: "doctor",
    kind: "read",
    tier: "read",
    title: "Check setup",
    description: "Checks connection, TLS, authentication, PVE version and the token's effective privileges per tier, so 403s are explained up front.",
  },
  {
    name: "start",
    kind: "mutation",
    tier: "reversible",
    title: "Start guest",
    args: ["vmid"],
    sets: true,
    description: "Start a VM or container (checks first that the node has the free memory and the CPUs it needs; --force overrides).",
  },
  {
    name: "shutdown",
    kind: "mutation",
    tier: "reversible",
    title: "Shut down guest",
    args: ["vmid"],
    sets: true,
    description: "Gracefully shut down a VM (ACPI) or container; prefer this to stop.",
  },
  {
    name: "reboot",
    kind: "mutation",
    tier: "reversible",
    title: "Reboot guest",
    args: ["vmid"],
    sets: true,
    description: "Gracefully reboot a running VM or container.",
  },
  {
    name: "suspend",
    kind: "mutation",
    tier: "reversible",
    title: "Suspend guest",
    args: ["vmid"],
    sets: true,
    description:
      "Pause a running VM (RAM kept) or suspend a running container (PVE checkpoints and stops it; experimental in PVE); resume continues either.",
  },
  {
    name: "resume",
    kind: "mutation",
    tier: "reversible",
    title: "Resume guest",
    args: ["vmid"],
    sets: true,
    description: "Resume a paused VM or a suspended (checkpointed) container.",
  },
  {
    name: "snapshot",
    kind: "mutation",
    tier: "reversible",
    title: "Create snapshot",
    args: ["vmid", "name?"],
    sets: true,
    description:
      "Create a snapshot of a VM or container, disk-only unless vmstate is asked for. Without a name one is made from the naming convention (e.g. pvekit-{change}).",
  },
  {
    name: "backup",
    kind: "mutation",
    tier: "reversible",
    title: "Back up guest",
    args: ["vmid"],
    sets: true,
    description: "Back up a VM or container with vzdump (snapshot mode by default, so the guest keeps running).",
  },
  {
    name: "clone",
    kind: "mutation",
    tier: "reversible",
    title: "Clone guest",
    args: ["vmid"],
    description:
      "Clone a VM or container (also from a template) to a new VMID; with --newid auto the next free VMID is used, retrying when it is taken meanwhile.",
  },
  {
    name: "create-vm",
    kind: "mutation",
    tier: "reversible",
    title: "Create VM",
    args: ["vmid", "params..."],
    description: "Create a VM with the given options; the VMID may be auto (next free one).",
  },
  {
    name: "create-ct",
    kind: "mutation",
    tier: "reversible",
    title: "Create container",
    args: ["vmid", "params..."],
    description: "Create a container with the given options; the VMID may be auto (next free one).",
  },
  {
    name: "restore",
    kind: "mutation",
    tier: "reversible",
    title: "Restore backup",
    args: ["archive"],
    description:
      "Restore a vzdump backup to a VMID. Restoring to a new VMID is reversible; restoring over an existing guest replaces it and is destructive.",
  },
  {
    name: "tag",
    kind: "mutation",
    tier: "reversible",
    title: "Change tags",
    args: ["vmid"],
    sets: true,
    description: "Add or remove tags of a VM or container (a config write with digest, so concurrent edits are refused, not lost).",
  },
  {
    name: "pool",
    kind: "mutation",
    tier: "reversible",
    title: "Change pool",
    args: ["vmid", "pool?"],
    sets: true,
    description: "Put a VM or container into a resource pool (moving it from its current one), or take it out with --remove.",
  },
  {
    name: "stop",
    kind: "mutation",
    tier: "destructive",
    title: "Stop guest (hard)",
    args: ["vmid"],
    sets: true,
    description: "Hard-stop a VM or container, like pulling the power cord; unsaved data in the guest is lost. Prefer shutdown.",
  },
  {
    name: "reset",
    kind: "mutation",
    tier: "destructive",
    title: "Reset VM (hard)",
    args: ["vmid"],
    sets: true,
    description: "Hard-reset a running VM, like pressing the reset button. Prefer reboot.",
  },
  {
    name: "rollback",
    kind: "mutation",
    tier: "destructive",
    title: "Roll back to snapshot",
    args: ["vmid", "name"],
    description: "Roll a VM or container back to a snapshot; everything written since that snapshot is lost.",
  },
  {
    name: "delsnapshot",
    kind: "mutation",
    tier: "destructive",
    title: "Delete snapshot",
    args: ["vmid", "name"],
    description: "Delete a snapshot of a VM or container (its data can no longer be rolled back to).",
  },
  {
    name: "resize",
    kind: "mutation",
    tier: "destructive",
    title: "Grow disk",
    args: ["vmid", "disk", "size"],
    description:
      "Grow a disk of a VM or container to an absolute size (32G) or by an amount (+10G). Shrinking is refused. Prints the in-guest steps.",
  },
  {
    name: "migrate",
    kind: "mutation",
    tier: "destructive",
    title: "Migrate guest",
    args: ["vmid"],
    sets: true,
    description: "Move a VM or container to another node (online for running VMs; running containers need --restart).",
  },
  {
    name: "template",
    kind: "mutation",
    tier: "destructive",
    title: "Convert to template",
    args: ["vmid"],
    description: "Convert a stopped VM or container into a template (cannot be started afterwards; cannot be undone).",
  },
  {
    name: "delete",
    kind: "mutation",
    tier: "destructive",
    title: "Delete guest",
    args: ["vmid"],
    description: "Delete a stopped VM or container and its disks. Cannot be undone.",
  },
  {
    name: "set",
    kind: "mutation",
    tier: "destructive",
    title: "Change configuration",
    args: ["vmid", "params..."],
    description:
      "Change configuration options of a VM or container (key=value, --delete key). Uses the config digest, so a concurrent edit makes it fail instead of being overwritten.",
  },
  {
    name: "api",
    kind: "mutation",
    tier: "read",
    title: "Call any API endpoint",
    args: ["method", "path", "params..."],
    description:
      "Call any PVE API endpoint, pvesh-like: api get /nodes/pve1/qemu, api post /nodes/pve1/qemu/100/status/start. GET is read-only (but reading guest or backup files, or making a node fetch a URL or scan a server, is not); " +
      "the tier of a change comes from the endpoint and its parameters (force, forceStop, skiplock, purge, prune-backups, all … raise it; " +
      "stopall, bulk actions and many-guest backups are destructive); an endpoint or parameter the rules do not know is destructive (admin and a confirm token). " +
      "Allow-lists check every guest, node, storage and pool the call names (newid, vms, volume ids, HA sid, ACL path …).",
  },
];

const byName = new Map(OPERATION_CATALOG.map((info) => [info.name, info]));

/** The catalog entry of operation `name`, or undefined. */
export function operationInfo(name: string): OperationInfo | undefined {
  return byName.get(name);
}

/** The catalog fields an operation definition spreads in (`...about("guests")`). */
export function about(name: string): {
  name: string;
  tier: Tier;
  title: string;
  description: string;
  args?: readonly string[];
} {
  const info = byName.get(name);
  if (!info) throw new Error(`No catalog entry for operation "${name}"`);
  const { sets: _sets, kind: _kind, ...fields } = info;
  return fields;
}
