import { describe, expect, test } from "vitest";
import { CliApp } from "../../../src/skill/cli/app";
import { buildProgram } from "../../../src/skill/cli/program";
import { runCli } from "../helpers/run-cli";

const quietApp = () => new CliApp({ stdout: { write: () => true }, stderr: { write: () => true }, env: {} }, []);

describe("the program builds each command when it is used", () => {
  test("`pvekit --help` lists the same terms and descriptions before and after every command is built", async () => {
    const lazy = buildProgram(quietApp());
    const full = buildProgram(quietApp());
    await full.completeAll();
    const before = lazy.program.helpInformation();
    expect(before).toBe(full.program.helpInformation());
    // and the full program really has the commands' arguments and options
    const start = full.program.commands.find((c) => c.name() === "start")!;
    expect(start.registeredArguments.map((a) => a.name())).toEqual(["targets"]);
    expect(start.options.map((o) => o.long)).toContain("--all");
    expect(lazy.program.commands.find((c) => c.name() === "start")!.options).toEqual([]);
  });

  test("a command is built once, only when asked; unknown names are ignored", async () => {
    const cli = buildProgram(quietApp());
    const guests = cli.program.commands.find((c) => c.name() === "guests")!;
    await cli.complete("guests");
    const options = guests.options.length;
    expect(options).toBeGreaterThan(10);
    await cli.complete("guests");
    expect(guests.options.length).toBe(options);
    await cli.complete("no-such-command");
    expect(cli.program.commands.find((c) => c.name() === "nodes")!.options).toEqual([]);
  });

  test.each([
    ["start", "--help"],
    ["help", "start"],
    ["--json", "help", "snapshot"],
  ])("full help of a command however it is asked for: %s %s", async (...argv) => {
    const r = await runCli(argv, { NO_COLOR: "1" });
    expect(r.code).toBe(0);
    const name = argv.find((a) => a !== "help" && !a.startsWith("--"))!;
    expect(r.stdout).toContain(`Usage: pvekit ${name} [options] [targets...]`);
    expect(r.stdout).toContain("--all");
    expect(r.stdout).toContain("--confirm <token>");
  });

  test("an unknown command still gets commander's suggestion", async () => {
    const r = await runCli(["gusts"], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("(Did you mean guests?)");
  });
});
