import { describe, expect, test } from "vitest";
import { runCli } from "./helpers/run-cli";

const help = async (cmd: string) => (await runCli([cmd, "--help"], { NO_COLOR: "1" })).stdout;

describe("command help documents what the command reads", () => {
  test("snapshot --help: the naming convention, its placeholders and PVEKIT_SNAPSHOT_NAME", async () => {
    const text = await help("snapshot");
    expect(text).toContain("PVEKIT_SNAPSHOT_NAME");
    expect(text).toContain('"snapshots: { name: … }"');
    for (const p of ["{change}", "{change_number}", "{timestamp}", "{date}", "{time}", "{vmid}"]) expect(text).toContain(p);
  });
});
