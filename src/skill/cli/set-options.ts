import { Option, type Command } from "commander";
import { SkillUsageError } from "../errors";
import { isVmidWord } from "../fleet/selector";

/** The selector and set-run flags, as commander parses them. */
export interface SetOpts {
  all?: boolean;
  node?: string[];
  pool?: string[];
  tag?: string[];
  type?: string;
  status?: string[];
  exclude?: string[];
  parallel?: string;
  perNode?: string;
  dryRun?: boolean;
  bulk?: boolean;
}

/** A repeatable flag whose values may also be comma-separated (`--node a,b --node c` → a, b, c). */
export const listOption = (flag: string, description: string): Option =>
  new Option(flag, `${description} (repeatable, or comma-separated)`).argParser((v: string, prev: string[] | undefined) => [
    ...(prev ?? []),
    ...v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ]);

/** Adds `--all --node --pool --tag --type --status --exclude` and `--parallel --per-node --dry-run`. */
export function addSetOptions(cmd: Command): Command {
  const select = [
    new Option("--all", "every guest of the cluster (templates are never selected implicitly)"),
    listOption("--node <node>", "only guests on these nodes"),
    listOption("--pool <pool>", "only guests in these pools"),
    listOption("--tag <tag>", "only guests with one of these tags"),
    new Option("--type <type>", "only VMs (qemu) or only containers (lxc)").choices(["qemu", "lxc"]),
    listOption("--status <status>", "only guests in this state: running, stopped"),
    listOption("--exclude <vmids>", "leave out these VMIDs or ranges"),
  ];
  for (const o of select) cmd.addOption(o.helpGroup("Guest selection (several guests per command):"));
  const run = [
    new Option("--parallel <n>", "guests worked on at once, cluster-wide (default 8, at most 64)"),
    new Option("--per-node <n>", "guests worked on at once per node (default 4)"),
    new Option("--dry-run", "show the plan for the set (every guest, its state and action) and change nothing"),
    new Option("--bulk", "start, shutdown, migrate: one request per node to PVE's startall/stopall/migrateall (PVE runs --per-node guests at once)"),
  ];
  for (const o of run) cmd.addOption(o.helpGroup("Set execution:"));
  return cmd;
}

/** True when any flag asks for a set rather than one guest. */
function setFlagsGiven(o: SetOpts): boolean {
  return Boolean(o.all || o.node || o.pool || o.tag || o.type || o.status || o.exclude || o.parallel || o.perNode || o.dryRun || o.bulk);
}

/**
 * Splits the positional words of a set command into VMID targets and the trailing words of the
 * operation (`snapshot 100 101 pre-upgrade`: the name; `pool 100 101 production`: the pool), and
 * decides between one guest (`{ vmid }`, output as before) and a set (`{ select, … }`).
 */
export function targetInput(operation: string, words: readonly string[], trailingKeys: readonly string[], o: SetOpts): Record<string, unknown> {
  const vmids = words.filter(isVmidWord);
  const others = words.filter((w) => !isVmidWord(w));
  if (others.length > trailingKeys.length) {
    throw new SkillUsageError(
      `Invalid input for ${operation}: "${others[trailingKeys.length]}" is not a VMID or a range (100, 100-110)${trailingKeys.length ? `, and only one ${trailingKeys.join("/")} can follow the VMIDs` : ""}.`,
    );
  }
  const input: Record<string, unknown> = {};
  others.forEach((w, i) => (input[trailingKeys[i]!] = w));
  if (vmids.length === 0 && !setFlagsGiven(o)) {
    throw new SkillUsageError(
      `Missing targets for ${operation}: which guests? Give VMIDs or ranges (100 101, 100-110), or --all, --node, --pool, --tag, --type or --status.`,
    );
  }
  if (vmids.length === 1 && /^\d+$/.test(vmids[0]!) && !setFlagsGiven(o)) return { ...input, vmid: vmids[0] };
  const select: Record<string, unknown> = {};
  if (vmids.length) select.vmids = vmids;
  if (o.all) select.all = true;
  for (const key of ["node", "pool", "tag", "status", "exclude"] as const) if (o[key]) select[key] = o[key];
  if (o.type) select.type = o.type;
  return {
    ...input,
    select,
    ...(o.parallel !== undefined ? { parallel: o.parallel } : {}),
    ...(o.perNode !== undefined ? { perNode: o.perNode } : {}),
    ...(o.dryRun ? { dryRun: true } : {}),
    ...(o.bulk ? { bulk: true } : {}),
  };
}
