import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { PveClient } from "../../runtime/client";
import { skillClientFor } from "../connect";
import { PreconditionError } from "../errors";
import { renderOutcome } from "../format/render-outcome";
import { PveSkill } from "../pve-skill";
import { resolveSkillSettings } from "../settings";
import type { SkillOutcome } from "../skill-outcome";
import type { CliApp } from "./app";
import { TOOL_CATALOG } from "./tool-catalog";

/**
 * `pvekit demo`: the main job end to end against an embedded simulator — look around, start a VM
 * with progress, snapshot it, and a hard stop that needs confirmation — so a newcomer sees it work
 * without a Proxmox host.
 */
export function demoCommand(app: CliApp, cmd = new Command("demo")): Command {
  return cmd
    .description(TOOL_CATALOG.demo.description)
    .action(async () => {
      const state = mkdtempSync(join(tmpdir(), "pvekit-demo-"));
      const { Simulator } = await import("../../testing/simulator");
      const sim = new Simulator({ clock: { mode: "scaled", scale: 20 } });
      const server = await sim.listen({ port: 0 });
      const pve = new PveClient({
        baseUrl: server.url,
        auth: { tokenId: sim.credentials.token.tokenId, secret: sim.credentials.token.secret },
        tls: { fingerprint: server.fingerprint },
      });
      try {
        const settings = resolveSkillSettings(
          { mode: "admin", stateDir: state, auditLog: join(state, "audit.log"), snapshotName: "demo-{change}" },
          {},
        );
        const skill = new PveSkill({
          client: skillClientFor(pve),
          settings,
          connection: { baseUrl: pve.baseUrl, auth: "token", identity: sim.credentials.token.tokenId, tls: "fingerprint" },
        });
        const style = app.style(false);
        const step = async (
          title: string,
          command: string,
          name: string,
          input: Record<string, unknown> = {},
          confirm?: string,
        ): Promise<SkillOutcome> => {
          app.out(`\n${style.bold(`## ${title}`)}\n\n$ pvekit ${command}`);
          const outcome = await skill.run(name, input, { confirm, progress: (line) => app.out(style.dim(`  … ${line}`)) });
          app.out(renderOutcome(outcome, style));
          return outcome;
        };
        app.out(style.bold(`pvekit demo — a simulated 3-node cluster at ${server.url} (certificate pinned by fingerprint), mode admin`));
        await step("Check the setup", "doctor", "doctor");
        await step("Nodes", "nodes", "nodes");
        const guests = await step("Guests (a VMID alone is enough for everything else)", "guests", "guests");
        const rows =
          guests.kind === "read" ? (guests.result.data as { vmid: number; type: string; status: string; template: boolean }[]) : [];
        const vm = rows.find((g) => g.type === "qemu" && g.status === "stopped" && !g.template);
        if (!vm) throw new PreconditionError("The simulator has no stopped VM to start.");
        await step(`Start VM ${vm.vmid} (memory checked first, task followed)`, `start ${vm.vmid} --mode operator`, "start", {
          vmid: vm.vmid,
        });
        await step("Snapshot it before a change (disk-only)", `snapshot ${vm.vmid} --change CHG-42`, "snapshot", {
          vmid: vm.vmid,
          change: "CHG-42",
        });
        const plan = await step("A hard stop is destructive: first a plan and a confirm token", `stop ${vm.vmid} --mode admin`, "stop", {
          vmid: vm.vmid,
        });
        if (plan.status !== "confirmation-required") throw new PreconditionError("Expected the stop to ask for confirmation.");
        await step(
          "Confirmed with the token (single use, bound to this stop of this VM)",
          `stop ${vm.vmid} --mode admin --confirm ${plan.confirmToken}`,
          "stop",
          { vmid: vm.vmid },
          plan.confirmToken,
        );
        await step("Snapshots now", `snapshots ${vm.vmid}`, "snapshots", { vmid: vm.vmid });
        app.out(`\n${style.bold("## The audit log (JSON lines, no secrets)")}\n`);
        app.out(readFileSync(join(state, "audit.log"), "utf8").trim());
        app.out(`\n${style.ok("Demo finished.")} Try it yourself: \`pvekit sim\` in one terminal, then the commands above in another.`);
      } finally {
        await pve.close();
        await server.close();
        rmSync(state, { recursive: true, force: true });
      }
    });
}
