import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Command } from "commander";
import { defaultConfigPath } from "../../runtime/config/config-path";
import { PreconditionError } from "../errors";
import { parseMode } from "../policy/mode";
import type { CliApp } from "./app";
import { addCommonOptions, type GlobalOpts } from "./common-options";
import { configTemplate } from "./config-template";
import { TOOL_CATALOG } from "./tool-catalog";

/**
 * `pvekit init`: writes a commented example config (mode 600, directory 700) to --config, $PVEKIT_CONFIG or
 * the default path; never overwrites a file. --host, --token-id, --fingerprint and --mode are written active.
 */
export function initCommand(app: CliApp, cmd = new Command("init")): Command {
  cmd
    .description(TOOL_CATALOG.init.description)
    .addHelpText(
      "after",
      "\nWrites to --config, $PVEKIT_CONFIG, or $XDG_CONFIG_HOME/pvekit/config.yaml (~/.config/pvekit/config.yaml).\n--host, --token-id, --fingerprint and --mode given here are written as active settings.",
    );
  addCommonOptions(cmd);
  cmd.action(async (_opts: unknown, command: Command) => {
    const opts = command.optsWithGlobals() as GlobalOpts;
    const env = app.io.env;
    const path = opts.config ?? (env.PVEKIT_CONFIG?.trim() ? env.PVEKIT_CONFIG : undefined) ?? defaultConfigPath(env);
    if (opts.mode) parseMode(opts.mode);
    const text = configTemplate({ host: opts.host, tokenId: opts.tokenId, fingerprint: opts.fingerprint, mode: opts.mode });
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(path, text, { mode: 0o600, flag: "wx" }); // wx: fail rather than overwrite
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") {
        throw new PreconditionError(`${path} exists; pvekit init never overwrites a config. Edit it, or pass --config <new file>.`);
      }
      throw err;
    }
    chmodSync(path, 0o600); // the umask may have narrowed it further, never widened: make it exactly 600
    if (opts.json) app.out(JSON.stringify({ status: "done", path, mode: "600" }, null, 2));
    else {
      app.out(
        [
          `Wrote ${path} (mode 600): a commented example to fill in.`,
          "Next: set host and token_id, put the token secret alone in a file with mode 600 and name it in",
          "token_secret_file, pin the certificate (fingerprint), then check with: pvekit doctor",
        ].join("\n"),
      );
    }
  });
  return cmd;
}
