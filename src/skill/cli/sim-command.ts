import { Command, Option } from "commander";
import type { ClockMode } from "../../testing/clock";
import { SkillUsageError } from "../errors";
import type { CliApp } from "./app";

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM). */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}

/** `pvekit sim`: serves the simulator over HTTPS on 127.0.0.1 until interrupted. */
export function simCommand(app: CliApp, stop: () => Promise<void> = untilInterrupted): Command {
  return new Command("sim")
    .description(
      "Serve a simulated Proxmox VE cluster over HTTPS on 127.0.0.1 until interrupted; prints URL, certificate fingerprint and credentials",
    )
    .option("--port <n>", "TCP port (default: a free one)", "0")
    .addOption(
      new Option("--clock <mode>", "task timing: real-time, scaled (10x) or instant")
        .choices(["real-time", "scaled", "instant"])
        .default("real-time"),
    )
    .option("--json", 'print one line {"url","fingerprint","tokenId","secret","username","password"}')
    .action(async (_opts: unknown, command: Command) => {
      // optsWithGlobals: --json is also a program-wide option, which commander hands to the program.
      const opts = command.optsWithGlobals() as { port: string; clock: string; json?: boolean };
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SkillUsageError(`--port must be a TCP port, got "${opts.port}".`);
      const { Simulator } = await import("../../testing/simulator");
      const sim = new Simulator({ clock: { mode: opts.clock as ClockMode } });
      const server = await sim.listen({ port });
      const c = sim.credentials;
      if (opts.json) {
        app.out(
          JSON.stringify({
            url: server.url,
            fingerprint: server.fingerprint,
            tokenId: c.token.tokenId,
            secret: c.token.secret,
            username: c.root.username,
            password: c.root.password,
          }),
        );
      } else {
        app.out(
          [
            `pvekit simulator listening on ${server.url} (Ctrl-C to stop)`,
            `certificate fingerprint: ${server.fingerprint}`,
            "",
            "These credentials are the simulator's own (random per run, loopback only):",
            `export PROXMOX_HOST=${server.url}`,
            `export PROXMOX_FINGERPRINT=${server.fingerprint}`,
            `export PROXMOX_TOKEN_ID='${c.token.tokenId}'`,
            `export PROXMOX_TOKEN_SECRET=${c.token.secret}`,
            `# or password login: user ${c.root.username}, password ${c.root.password}`,
            "",
            "Then try: pvekit guests",
          ].join("\n"),
        );
      }
      await stop();
      await server.close();
    });
}
