import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CommanderError } from "commander";
import { CliApp } from "./cli/app";
import { processIo, type CliIo } from "./cli/io";
import { buildProgram } from "./cli/program";
import { errorReport } from "./error-report";
import { SkillUsageError } from "./errors";
import { EXIT } from "./exit-codes";
import { styleFor } from "./format/style";

/** What to do next, per error code. */
const HINTS: Record<string, string> = {
  PVE_ERR_AUTH:
    "Authentication failed: check PROXMOX_TOKEN_ID and PROXMOX_TOKEN_SECRET (or the user and password); `pvekit doctor` checks the setup.",
  PVE_ERR_PERMISSION: "The token or user lacks a privilege for this; `pvekit doctor` lists which privileges it has per tier.",
  PVE_ERR_TLS:
    "The server certificate was not accepted: pin it with PROXMOX_FINGERPRINT (see the PVE node's certificate page) or give its CA with PROXMOX_CA_PATH.",
  PVE_ERR_CONNECTION: "Cannot reach the host: check PROXMOX_HOST (URL, host or host:port; default port 8006).",
};

/**
 * Runs the `pvekit` CLI and returns its exit code (0 done, 1 API/task failure, 2 usage,
 * 3 confirmation required, 4 refused by policy). Never calls `process.exit`.
 */
export async function main(argv: readonly string[] = process.argv.slice(2), io: CliIo = processIo()): Promise<number> {
  const app = new CliApp(io, argv);
  const { program, complete } = buildProgram(app);
  const json = argv.includes("--json");
  try {
    // `pvekit help <command>` shows the command's help without running it through the hook that builds it
    const help = argv.indexOf("help");
    if (help >= 0 && argv[help + 1] !== undefined) await complete(argv[help + 1]!);
    await program.parseAsync([...argv], { from: "user" });
    return app.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end this way with exit code 0; parse errors were already printed (not with --json)
      if (err.exitCode === 0) return EXIT.ok;
      if (json) app.out(JSON.stringify(errorReport(commanderUsageError(err)), null, 2));
      return EXIT.usage;
    }
    const report = errorReport(err, app.connection);
    if (json) app.out(JSON.stringify(report, null, 2));
    else {
      const style = styleFor(io.stderr.isTTY, io.env);
      const label = report.status === "refused" ? "Refused" : "Error";
      // a message that already starts with the label ("Refused: start is …", "Refused by allow-list: …") is not labelled twice
      const message = new RegExp(`^${label}\\b`).test(report.error.message) ? report.error.message : `${label}: ${report.error.message}`;
      app.err(style.error(message));
      // parameter errors, unless the message already lists them (validation and PVE's 400s do)
      for (const [k, v] of Object.entries(report.error.errors ?? {})) if (!message.includes(`${k}: ${v}`)) app.err(`  ${k}: ${v}`);
      const hint = report.error.hint ?? (report.error.code ? HINTS[report.error.code] : undefined);
      if (hint) app.err(hint);
      if (report.error.logTail?.length) app.err(["Task log (last lines):", ...report.error.logTail.map((l) => `  ${l}`)].join("\n"));
    }
    return report.exitCode;
  } finally {
    await app.close();
  }
}

/** A command-line parse error as the usage error it is, for `--json` (commander already printed it otherwise). */
function commanderUsageError(err: CommanderError): SkillUsageError {
  if (err.code === "commander.help") return new SkillUsageError("No command given; pvekit --help lists the commands.");
  return new SkillUsageError(`${err.message.replace(/^error: /, "").replace(/\.?$/, ".")} (pvekit <command> --help shows the usage)`);
}

/** True when this file is the program being run (tsx src/skill/cli.ts, node dist/cli/pvekit.js), not imported. */
function isEntry(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`pvekit: ${(err as Error)?.message ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
