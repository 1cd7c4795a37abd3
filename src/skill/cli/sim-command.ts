import { Command, Option } from "commander";
import type { ClockMode } from "../../testing/clock";
import { SkillUsageError } from "../errors";
import type { CliApp } from "./app";
import { TOOL_CATALOG } from "./tool-catalog";

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

/** A whole number option in [min, max], or a usage error naming it. */
function intOption(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new SkillUsageError(`${name} must be a whole number from ${min} to ${max}, got "${text}".`);
  return n;
}

/** `pvekit sim`: serves the simulator over HTTPS on 127.0.0.1 until interrupted. */
export function simCommand(app: CliApp, stop: () => Promise<void> = untilInterrupted, cmd = new Command("sim")): Command {
  return cmd
    .description(TOOL_CATALOG.sim.description)
    .option("--port <n>", "TCP port (default: a free one)", "0")
    .addOption(
      new Option("--clock <mode>", "task timing: real-time, scaled (10x) or instant")
        .choices(["real-time", "scaled", "instant"])
        .default("real-time"),
    )
    .option("--nodes <n>", "generate a cluster of this many nodes (pve1 … pveN) instead of the default one")
    .option("--guests <n>", "number of guests of the generated cluster (VMs, containers, templates; default 10 per node)")
    .option("--seed <n>", "vary the generated cluster, reproducibly")
    .option("--task-duration <ms>", "every task takes this long in simulated time (with --clock scaled or real-time: benchmarks)")
    .option("--coverage", "print which API methods the simulator models (JSON with --json) and exit")
    .option("--json", 'print one line {"url","fingerprint","tokenId","secret","username","password","coverage"}')
    .action(async (_opts: unknown, command: Command) => {
      // optsWithGlobals: --json is also a program-wide option, which commander hands to the program.
      const opts = command.optsWithGlobals() as {
        port: string;
        clock: string;
        json?: boolean;
        nodes?: string;
        guests?: string;
        seed?: string;
        taskDuration?: string;
        coverage?: boolean;
      };
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SkillUsageError(`--port must be a TCP port, got "${opts.port}".`);
      const nodes = intOption("--nodes", opts.nodes, 1, 64);
      const guests = intOption("--guests", opts.guests, 0, 100_000);
      const seed = intOption("--seed", opts.seed, 0, 2 ** 31);
      const taskDurationMs = intOption("--task-duration", opts.taskDuration, 0, 86_400_000);
      const { Simulator } = await import("../../testing/simulator");
      const sim = new Simulator({
        clock: { mode: opts.clock as ClockMode },
        ...(nodes !== undefined ? { nodes } : {}),
        ...(guests !== undefined ? { guests } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(taskDurationMs !== undefined ? { taskDurationMs } : {}),
      });
      const coverage = sim.coverage();
      if (opts.coverage) {
        if (opts.json) app.out(JSON.stringify(coverage));
        else {
          app.out(`Modelled (${coverage.modelled.length}):\n${coverage.modelled.map((k) => `  ${k}`).join("\n")}`);
          app.out(`Directory indexes answered from the schema: ${coverage.indexes.length}`);
          app.out(`Not modelled (answer 501 "Method '…' not implemented"): ${coverage.unmodelled.length}`);
        }
        return;
      }
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
            coverage,
          }),
        );
      } else {
        app.out(
          [
            `pvekit simulator listening on ${server.url} (Ctrl-C to stop)`,
            `certificate fingerprint: ${server.fingerprint}`,
            `cluster: ${sim.state.nodes.length} nodes, ${sim.state.guests.size} guests; models ${coverage.modelled.length} API methods (pvekit sim --coverage lists them)`,
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
