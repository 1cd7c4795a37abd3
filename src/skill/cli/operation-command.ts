import { Command, Option } from "commander";
import { SkillUsageError } from "../errors";
import { outcomeJson, renderOutcome } from "../format/render-outcome";
import { NOT_STARTED } from "../fleet/set-outcome";
import { takesSets } from "../fleet/set-target";
import type { Operation } from "../operations/operation";
import { isSecretName, REDACTED } from "../policy/redact";
import { parseKeyValues } from "../route-lookup";
import { EXIT } from "../exit-codes";
import type { CliApp } from "./app";
import { addCommonOptions, addMutationOptions, addProgressOption, addTaskTimeoutOption, type GlobalOpts } from "./common-options";
import { addSetOptions, listOption, targetInput, type SetOpts } from "./set-options";
import { addExecOptions, runTaskExec, type ExecOpts } from "./task-exec";
import { describeFields, kebab, type FieldInfo } from "./zod-fields";

const TIER_NOTE: Record<string, string> = {
  read: "Tier: read-only (allowed in every mode).",
  reversible: "Tier: reversible (needs --mode operator or admin).",
  destructive: "Tier: destructive (needs --mode admin; prints a plan and a confirm token, then runs with --confirm <token>).",
};

/** What the tier note does not say for some commands. */
const EXTRA_NOTE: Record<string, string> = {
  restore: " Restoring over an existing guest (force=1) is destructive.",
  api:
    " The tier of a change comes from the endpoint and its parameters (see pvekit --help); unknown endpoints and parameters are destructive." +
    " Allow-lists check every VMID, volume, node, storage and pool the call names.",
  "create-vm": " Another guest's disk among the options (scsi1=local-lvm:vm-102-disk-0) makes it destructive.",
  "create-ct": " Another guest's volume among the options makes it destructive.",
};

/** Builds the commander command of one operation from its definition. */
export function operationCommand(app: CliApp, op: Operation, cmd = new Command(op.name)): Command {
  if (takesSets(op)) return setOperationCommand(app, op, cmd);
  const fields = describeFields(op.input);
  const byKey = new Map(fields.map((f) => [f.key, f]));
  cmd.description(op.description);
  const positional = (op.args ?? []).map((spec) => {
    const variadic = spec.endsWith("...");
    const optional = spec.endsWith("?") || variadic;
    const key = spec.replace(/\?$|\.\.\.$/, "");
    cmd.argument(optional ? `[${key}${variadic ? "..." : ""}]` : `<${key}>`, argDescription(byKey.get(key), variadic));
    return { key, variadic };
  });
  const positionalKeys = new Set(positional.map((p) => p.key));
  for (const f of fields) if (!positionalKeys.has(f.key)) cmd.addOption(fieldOption(f));
  for (const key of op.negatable ?? []) cmd.addOption(new Option(`--no-${kebab(key)}`, `the opposite of --${kebab(key)}`));
  addCommonOptions(cmd);
  if (op.kind === "mutation") addMutationOptions(cmd);
  else if ("wait" in op.input.shape) addTaskTimeoutOption(cmd); // task --wait
  if (op.name === "task") addExecOptions(addProgressOption(cmd));
  cmd.addHelpText("after", `\n${TIER_NOTE[op.tier]}${EXTRA_NOTE[op.name] ?? ""}`);
  if (op.help) cmd.addHelpText("after", `\n${op.help}`);
  cmd.action(async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const opts = command.optsWithGlobals() as GlobalOpts & ExecOpts & Record<string, unknown>;
    const input: Record<string, unknown> = {};
    positional.forEach((p, i) => {
      const v = args[i];
      if (v === undefined || (Array.isArray(v) && v.length === 0)) return;
      input[p.key] = p.variadic ? parseKeyValues(v as string[]) : v;
    });
    for (const f of fields) if (!positionalKeys.has(f.key) && opts[f.key] !== undefined) input[f.key] = opts[f.key];
    await runOperation(app, op, input, opts);
  });
  return cmd;
}

const SET_HELP =
  "\nTargets: one VMID, several (100 101 102), ranges (100-110), or selectors (--all, --node, --pool, --tag, --type, --status), combinable, minus --exclude. Templates are never selected by --all, ranges or selectors. With more than one guest the answer is one result per guest; exit code 1 when any failed.";

/**
 * A mutation that takes a set of guests: `[targets...]` (VMIDs and ranges, then the operation's own
 * trailing word: a snapshot name, a pool) and the selector and set-run flags.
 */
function setOperationCommand(app: CliApp, op: Operation, cmd: Command): Command {
  const fields = describeFields(op.input);
  const trailing = (op.args ?? []).slice(1).map((spec) => spec.replace(/\?$|\.\.\.$/, ""));
  cmd.description(op.description);
  cmd.argument("[targets...]", `VMIDs or ranges (100 101 105-110)${trailing.length ? `, then the ${trailing.join("/")}` : ""}`);
  const selectorFlags = new Set(["all", "node", "pool", "tag", "type", "status", "exclude"]);
  for (const f of fields) {
    if (f.key === "vmid") continue;
    // a trailing word may also be given as an option (--name), unless a selector owns that flag (--pool)
    if (trailing.includes(f.key) && selectorFlags.has(f.key)) continue;
    cmd.addOption(fieldOption(trailing.includes(f.key) ? { ...f, optional: true } : f));
  }
  for (const key of op.negatable ?? []) cmd.addOption(new Option(`--no-${kebab(key)}`, `the opposite of --${kebab(key)}`));
  addSetOptions(cmd);
  addCommonOptions(cmd);
  addMutationOptions(cmd);
  cmd.addHelpText("after", `${SET_HELP}\n\n${TIER_NOTE[op.tier]}${EXTRA_NOTE[op.name] ?? ""}`);
  if (op.help) cmd.addHelpText("after", `\n${op.help}`);
  cmd.action(async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const opts = command.optsWithGlobals() as GlobalOpts & SetOpts & Record<string, unknown>;
    const input = targetInput(op.name, (args[0] as string[] | undefined) ?? [], trailing, opts);
    for (const f of fields) if (f.key !== "vmid" && !selectorFlags.has(f.key) && opts[f.key] !== undefined) input[f.key] = opts[f.key];
    await runOperation(app, op, input, opts);
  });
  return cmd;
}

function argDescription(f: FieldInfo | undefined, variadic: boolean): string {
  const d = f?.description ?? "";
  return variadic ? `${d} (key=value …)` : d;
}

function fieldOption(f: FieldInfo): Option {
  const flag = `--${kebab(f.key)}`;
  const desc = f.description ?? "";
  if (f.kind === "boolean") return new Option(flag, desc);
  if (f.kind === "array") return listOption(`${flag} <value>`, desc);
  const o = new Option(`${flag} <value>`, desc);
  if (f.choices) o.choices(f.choices);
  if (!f.optional) o.makeOptionMandatory();
  return o;
}

/** Runs an operation for the CLI: output, progress and exit code. */
export async function runOperation(app: CliApp, op: Operation, input: Record<string, unknown>, opts: GlobalOpts & ExecOpts): Promise<void> {
  if (opts.confirm && op.kind !== "mutation") throw new SkillUsageError(`${op.name} changes nothing and takes no --confirm.`);
  if (opts.exec !== undefined && !input.wait) throw new SkillUsageError("--exec runs when the task ends: use it with --wait.");
  const skill = await app.skill(opts);
  // only commands that wait for tasks show progress (and read --progress / PVEKIT_PROGRESS)
  const display = op.kind === "mutation" || op.name === "task" ? app.progress(opts, "select" in input) : { end: () => {} };
  const interrupt = "select" in input ? app.interrupt() : undefined;
  let outcome;
  try {
    outcome = await skill.run(op.name, input, { confirm: opts.confirm, wait: opts.wait ?? true, onEvent: display.onEvent, signal: interrupt?.signal });
  } finally {
    display.end();
    interrupt?.dispose();
  }
  const style = app.style(opts.json);
  if (opts.json) app.out(JSON.stringify(outcomeJson(outcome), null, 2));
  else app.out(renderOutcome(outcome, style, (token) => rerunCommand(app.argv, token)));
  if (outcome.status === "confirmation-required") app.exitCode = EXIT.confirm;
  // a set with a failed guest, or stopped before every guest was started, did not do all it was asked
  else if (outcome.kind === "set" && outcome.status !== "planned" && (outcome.counts.failed > 0 || outcome.results.some((r) => r.reason === NOT_STARTED))) app.exitCode = EXIT.failure;
  else if (outcome.kind === "read" && outcome.result.failure) {
    app.exitCode = EXIT.failure;
    // a one-line answer (`doctor --quiet`) already says it
    if (!opts.json && outcome.result.text === undefined) app.err(style.error(outcome.result.failure));
  }
  if (opts.exec !== undefined && outcome.kind === "read") await runTaskExec(app, opts, outcome.result.data);
}

/**
 * The command line to run again with the token (any earlier --confirm removed). Secret `key=value`
 * words (cipassword=, password=) show as `key=**********`: the person types the value again.
 */
export function rerunCommand(argv: readonly string[], token: string): string {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--confirm") {
      i++;
      continue;
    }
    if (a.startsWith("--confirm=")) continue;
    const kv = /^(-{0,2}[A-Za-z0-9_.-]+)=/.exec(a);
    words.push(kv && isSecretName(kv[1]!.replace(/^-+/, "")) ? `${kv[1]}=${REDACTED}` : a);
  }
  return ["pvekit", ...words, "--confirm", token].map(shellQuote).join(" ");
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
