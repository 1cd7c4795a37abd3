import { existsSync } from "node:fs";
import { Command, Option } from "commander";
import { diffSchemaSources } from "../../schema/diff-files";
import { renderDiffJson, renderDiffText } from "../../schema/diff-render";
import { SchemaError } from "../../schema/errors";
import { parseBaseUrl } from "../../runtime/base-url";
import type { PveClientOptions } from "../../runtime/client";
import { resolveClientOptions } from "../../runtime/config/from-env";
import { PveError } from "../../runtime/errors";
import { pullSchema, releaseOf, writePulledSchema, type PulledSchema, type VersionSource } from "../../schema/pull";
import type { CliIo } from "../cli/io";
import { flagsAsEnv } from "../connection-flags";
import { credentialProblem } from "../credential-policy";
import { addCommonOptions, type GlobalOpts } from "../cli/common-options";
import { TOOL_CATALOG } from "../cli/tool-catalog";
import { SkillUsageError } from "../errors";

/**
 * What the schema commands need from the CLI (`CliApp` has it). Kept this small, and the bindings and
 * the client loaded only when used, so `pvekit schema pull` also runs in a checkout before any code is
 * generated (see schema-main.ts).
 */
export interface SchemaCliApp {
  readonly io: Pick<CliIo, "env">;
  out(text: string): void;
  err(text: string): void;
  onClose(fn: () => Promise<void>): void;
  close(): Promise<void>;
}

interface PullOpts extends GlobalOpts {
  out: string;
  pveVersion?: string;
  force?: boolean;
}

interface DiffOpts {
  json?: boolean;
  breakingOnly?: boolean;
}

/**
 * `pvekit schema pull|diff`: fetch a host's API schema, and compare two schemas. Registration hook:
 * the CLI adds the command this returns; output goes through `app`.
 */
export function schemaCommand(app: SchemaCliApp, cmd = new Command("schema")): Command {
  cmd.description(TOOL_CATALOG.schema.description);
  cmd.addCommand(pullCommand(app));
  cmd.addCommand(diffCommand(app));
  return cmd;
}

function pullCommand(app: SchemaCliApp): Command {
  const cmd = new Command("pull")
    .description(
      "Download the API schema a PVE host serves (/pve-docs/api-viewer/apidoc.js), check it, and save it as JSON " +
        "with a .meta.json sidecar recording the host's version (read from /version with the configured credentials)",
    )
    .argument("[host]", "https://host:8006, host or host:port (default: --host / PROXMOX_HOST)")
    .addOption(new Option("--out <file>", "where to write the schema (the sidecar goes next to it)").default("schema/apidoc.json"))
    .addOption(new Option("--force", "replace the --out file if it exists (schema/apidoc.json is what the bindings are generated from)"))
    .addOption(new Option("--pve-version <version>", "record this version instead of asking the host (no credentials needed)"));
  addCommonOptions(cmd);
  cmd.addHelpText(
    "after",
    "\nThe schema file needs no login; /version does. Without credentials the schema is saved without a version.\n" +
      "Next steps: pvekit schema diff <old> <new>, then npm run codegen -- --schema <file>, then npm run build.",
  );
  cmd.action(async (host: string | undefined, _opts: unknown, command: Command) => {
    await runPull(app, host, command.optsWithGlobals() as PullOpts);
  });
  return cmd;
}

function diffCommand(app: SchemaCliApp): Command {
  const cmd = new Command("diff")
    .description(
      "Compare two PVE API schemas (files or URLs; JSON or apidoc.js): endpoints, parameters and return values " +
        "added, removed or changed, each marked when it breaks callers",
    )
    .argument("<old>", "the schema your code was written against (e.g. schema/apidoc.json)")
    .argument("<new>", "the schema to compare it with (e.g. one written by pvekit schema pull)")
    .addOption(new Option("--breaking-only", "list only the changes that break callers"))
    .addOption(new Option("--json", "print the diff as one JSON object"));
  cmd.action(async (oldSource: string, newSource: string, opts: DiffOpts) => {
    let diff;
    try {
      diff = await diffSchemaSources(oldSource, newSource);
    } catch (err) {
      if (err instanceof SchemaError) throw new SkillUsageError(err.message, { cause: err });
      throw err;
    }
    const render = { breakingOnly: opts.breakingOnly === true };
    app.out(opts.json ? renderDiffJson(diff, render) : renderDiffText(diff, render));
  });
  return cmd;
}

async function runPull(app: SchemaCliApp, host: string | undefined, opts: PullOpts): Promise<void> {
  if (existsSync(opts.out) && !opts.force) {
    throw new SkillUsageError(
      `${opts.out} exists${opts.out.endsWith("schema/apidoc.json") ? " (the schema the bindings are generated from)" : ""}: ` +
        "add --force to replace it, or write elsewhere with --out <file> and compare with pvekit schema diff",
    );
  }
  const { options, credentialsProblem } = resolvePullConnection(app, host, opts);
  const baseUrl = parseBaseUrl(String(options.baseUrl), options.port);
  const warnings: string[] = [];
  let client: VersionSource | undefined;
  if (!opts.pveVersion && options.auth) {
    client = await versionClient(app, options);
    if (!client) warnings.push("the host's version was not recorded: this checkout has no generated bindings yet; give --pve-version");
  } else if (!opts.pveVersion) {
    warnings.push(
      `the host's version was not recorded (${credentialsProblem ?? "no credentials"}); give --pve-version, or configure credentials`,
    );
  }
  const pulled = await pullSchema({
    baseUrl: baseUrl.href,
    ...(options.tls ? { tls: options.tls } : {}),
    ...(client ? { client } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (opts.pveVersion) {
    const release = releaseOf(opts.pveVersion);
    if (!release) throw new SkillUsageError(`--pve-version "${opts.pveVersion}" is not a PVE version such as 9.2.11`);
    pulled.version = { version: opts.pveVersion, release };
  }
  const written = await writePulledSchema(pulled, opts.out);
  const bindings = await currentBindings();
  if (opts.json) {
    const answer = {
      status: "ok",
      source: pulled.source,
      pveVersion: pulled.version?.version ?? null,
      release: pulled.version?.release ?? null,
      methods: pulled.methods,
      sha256: pulled.sha256,
      schemaPath: written.schemaPath,
      metaPath: written.metaPath,
      bindingsPveVersion: bindings.pveVersion,
      warnings,
    };
    app.out(JSON.stringify(answer, null, 2));
  } else {
    app.out(describePull(pulled, written.schemaPath, written.metaPath, bindings.pveVersion));
  }
  for (const w of warnings) app.err(`warning: ${w}`);
}

function describePull(p: PulledSchema, schemaPath: string, metaPath: string, bindingsVersion: string | null): string {
  const version = p.version ? `PVE ${p.version.version}` : "PVE (version not recorded)";
  const lines = [
    `Pulled the ${version} API schema from ${new URL(p.source).origin} (${p.methods} methods, sha256 ${p.sha256.slice(0, 16)}…).`,
    `Wrote ${schemaPath} and ${metaPath}.`,
  ];
  if (bindingsVersion && p.version?.version !== bindingsVersion) {
    lines.push(`The current bindings were generated from PVE ${bindingsVersion}.`);
  }
  lines.push(`Next: pvekit schema diff <old schema> ${schemaPath}, then npm run codegen -- --schema ${schemaPath}, then npm run build.`);
  return lines.join("\n");
}

/** Stands in for missing credentials while resolving host and TLS settings; never sent anywhere. */
const NO_LOGIN = { tokenId: "pvekit@pve!schema-pull", secret: "unused" };

/**
 * Host, TLS and credentials from flags > environment > ~/.proxmox-credentials > YAML, as for every
 * command. Missing credentials are not fatal: the schema file needs no login, only `/version` does.
 */
function resolvePullConnection(
  app: SchemaCliApp,
  host: string | undefined,
  opts: PullOpts,
): { options: PveClientOptions; credentialsProblem?: string } {
  const flags = { ...opts, ...(host ? { host } : {}) };
  const env = flagsAsEnv(flags, app.io.env);
  const configFile = opts.config ? { configFile: opts.config } : {};
  try {
    const { options } = resolveClientOptions({ env, ...configFile });
    // the configured credentials go only where connect() would send them (same host or same TLS trust, https)
    const problem = credentialProblem(flags, app.io.env, options);
    if (problem) {
      const { auth: _withheld, ...rest } = options;
      return { options: rest, credentialsProblem: `credentials withheld: ${problem}` };
    }
    return { options: { ...options, ...(opts.allowHttp ? { allowHttp: true } : {}) } };
  } catch (err) {
    if (!(err instanceof PveError) || err.code !== "PVE_ERR_CONFIG") throw err;
    // resolving again with stand-in credentials either succeeds (only credentials were missing) or names the real problem
    const { options } = resolveClientOptions({ env, ...configFile, auth: NO_LOGIN });
    const { auth: _unused, ...rest } = options;
    return { options: rest, credentialsProblem: err.message.replace(/:.*$/s, "") };
  }
}

/**
 * A client to read `/version` with: the runtime's, loaded only now. In a checkout whose bindings are
 * not generated yet it cannot load; the pull then goes on without recording the version.
 */
async function versionClient(app: SchemaCliApp, options: PveClientOptions): Promise<VersionSource | undefined> {
  let PveClient: typeof import("../../runtime/client").PveClient;
  try {
    ({ PveClient } = await import("../../runtime/client"));
  } catch {
    return undefined;
  }
  const pve = new PveClient(options);
  app.onClose(() => pve.close());
  return pve;
}

/** The version the current bindings were generated from, or null when there are none yet. */
async function currentBindings(): Promise<{ pveVersion: string | null }> {
  try {
    return (await import("../../runtime/bindings-version")).bindingsInfo();
  } catch {
    return { pveVersion: null };
  }
}
