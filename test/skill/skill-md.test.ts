import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { CliApp } from "../../src/skill/cli/app";
import { buildProgram } from "../../src/skill/cli/program";
import { operations } from "../../src/skill/operations";

const text = readFileSync("SKILL.md", "utf8");
const [, front = "", body = ""] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text) ?? [];
const cli = buildProgram(new CliApp({ stdout: { write: () => true }, stderr: { write: () => true }, env: {} }, []));
await cli.completeAll();
const program = cli.program;
const commands = new Map(program.commands.map((c) => [c.name(), c]));
const longFlags = (c: Command) => new Set([...c.options, ...program.options].map((o) => o.long));

/** Every `pvekit …` command line in code spans and code blocks, with `\|` table escapes undone. */
function commandLines(): string[] {
  const spans = [...body.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  const blocks = [...body.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n"));
  return [...spans, ...blocks].map((s) => s.replace(/\\\|/g, "|").trim()).filter((s) => s.startsWith("pvekit "));
}

describe("SKILL.md", () => {
  test("OpenClaw frontmatter: single-line name, description and JSON metadata with requires and an npm install", () => {
    const lines = front.split("\n");
    expect(lines.map((l) => l.split(":")[0])).toEqual(["name", "description", "metadata"]);
    const fm = parseYaml(front) as { name: string; description: string; metadata: string | object };
    expect(fm.name).toMatch(/^[a-z0-9-]+$/);
    expect(fm.description.length).toBeGreaterThan(40);
    const metaLine = lines
      .find((l) => l.startsWith("metadata:"))!
      .slice("metadata:".length)
      .trim();
    const meta = JSON.parse(metaLine) as {
      openclaw: { requires: { bins: string[] }; install: { kind: string; package: string; bins: string[] }[] };
    };
    expect(meta.openclaw.requires.bins).toContain("pvekit");
    expect(meta.openclaw.install).toContainEqual(expect.objectContaining({ kind: "node", package: "pvekit", bins: ["pvekit"] }));
  });

  test("every command it names exists, with the flags it shows", () => {
    const lines = commandLines();
    expect(lines.length).toBeGreaterThan(30);
    for (const line of lines) {
      const words = line.split(/\s+/);
      for (const name of words[1]!.split("|")) {
        const cmd = commands.get(name);
        expect(cmd, `${line}: no command "${name}"`).toBeDefined();
        const flags = longFlags(cmd!);
        for (const w of words.slice(2))
          if (w.startsWith("--")) expect(flags.has(w.split("=")[0]!), `${line}: ${name} has no ${w}`).toBe(true);
      }
    }
  });

  test("every operation is documented, with its tier", () => {
    const rows = body.split("\n").filter((l) => l.startsWith("| `pvekit "));
    const tierOf = new Map<string, string>();
    for (const row of rows) {
      const cells = row.split(/(?<!\\)\|/).map((c) => c.trim());
      const tier = cells[cells.length - 2]!;
      for (const m of cells[1]!.matchAll(/`pvekit ([a-z|\\-]+)/g))
        for (const name of m[1]!.replace(/\\/g, "").split("|")) tierOf.set(name, tier);
    }
    for (const op of operations) {
      expect(tierOf.get(op.name), `${op.name} is missing from the SKILL.md table`).toBe(op.tier);
    }
  });

  test("the confirmation protocol matches the CLI's answer", () => {
    expect(body).toContain('{"status":"confirmation-required","plan":{…},"confirmToken":"…"}');
    expect(body).toMatch(/exits with code 3/);
    expect(body).toMatch(/0 done, 1 API or task failure, 2 usage or validation error, 3 confirmation\s+required, 4 refused by policy/);
  });

  test("triggers cover operators' questions that name neither VMs nor Proxmox", () => {
    const fm = parseYaml(front) as { description: string };
    for (const phrase of ["cluster health", "node status", "storage usage", "backups", "tasks", "system logs"]) {
      expect(fm.description, phrase).toContain(phrase);
    }
    expect(body).toMatch(/## When to use/);
    for (const cmd of ["pvekit status", "pvekit node pve2", "pvekit storage", "pvekit backups", "pvekit tasks", "pvekit logs", "pvekit cluster-log"])
      expect(body).toContain(`\`${cmd}`);
  });

  test("setup guidance: local mode, PAM vs PVE realms, LDAP/AD, rotating an exposed token", () => {
    expect(body).toMatch(/local mode, as root@pam, no token/);
    expect(body).toMatch(/A `@pam` user is a\s+Linux account: it must exist on every node first \(`useradd/);
    expect(body).toMatch(/prefer an LDAP or Active Directory realm/);
    expect(body).toMatch(/rotate it at once/);
    expect(body).toMatch(/rotate the token immediately/);
  });
});
