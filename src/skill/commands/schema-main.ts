import { Command, CommanderError } from "commander";
import { processIo, type CliIo } from "../cli/io";
import { errorReport } from "../error-report";
import { EXIT } from "../exit-codes";
import { schemaCommand, type SchemaCliApp } from "./schema";

/**
 * `pvekit schema …` on its own, for a checkout whose bindings are not generated yet (no ../shared
 * beside it, no schema): bin/pvekit.mjs runs this instead of the whole CLI, which needs the
 * generated code. It loads nothing generated, so `pvekit schema pull` can fetch the schema the
 * set-up then generates from.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const closers: (() => Promise<void>)[] = [];
  const write = (stream: CliIo["stdout"], text: string) => stream.write(text.endsWith("\n") ? text : `${text}\n`);
  const app: SchemaCliApp = {
    io,
    out: (text) => write(io.stdout, text),
    err: (text) => write(io.stderr, text),
    onClose: (fn) => void closers.push(fn),
    close: async () => {
      await Promise.allSettled(closers.splice(0).map((fn) => fn()));
    },
  };
  const program = new Command("pvekit").exitOverride().addCommand(schemaCommand(app));
  for (const cmd of program.commands) for (const sub of [cmd, ...cmd.commands]) sub.exitOverride();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const report = errorReport(err);
    app.err(`Error: ${report.error.message}`);
    return report.exitCode;
  } finally {
    await app.close();
  }
}
