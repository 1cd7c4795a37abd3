import { describe, expect, test } from "vitest";
import { runProcess } from "../../../src/runtime/local/run-process";

// The process runner of local mode, with node itself as the command (no shell, no pvesh needed).
describe("runProcess", () => {
  const node = (script: string) => [process.execPath, ["-e", script]] as const;

  test("collects stdout, stderr and the exit code; arguments are passed as given, never through a shell", async () => {
    const [cmd, args] = node("process.stdout.write(JSON.stringify(process.argv.slice(1))); process.stderr.write('warn'); process.exit(3)");
    const r = await runProcess(cmd, [...args, "$(id)", "a;b"], {});
    expect(r).toMatchObject({ code: 3, signal: null, stdout: '["$(id)","a;b"]', stderr: "warn", timedOut: false, aborted: false });
    expect(r.tooLarge).toBeUndefined();
  });

  test("stdout beyond maxStdoutBytes stops the process and is not kept: tooLarge", async () => {
    // writes until stopped: without the bound this never ends
    const [cmd, args] = node("const b = 'x'.repeat(65536); const w = () => process.stdout.write(b, w); w()");
    const r = await runProcess(cmd, args, { maxStdoutBytes: 100_000 });
    expect(r.tooLarge).toBe(true);
    expect(r.stdout).toBe("");
    expect(r.code === null || r.code !== 0).toBe(true);
  });

  test("output within maxStdoutBytes is kept whole", async () => {
    const [cmd, args] = node("process.stdout.write('y'.repeat(5000))");
    const r = await runProcess(cmd, args, { maxStdoutBytes: 5000 });
    expect(r).toMatchObject({ code: 0, stdout: "y".repeat(5000) });
    expect(r.tooLarge).toBeUndefined();
  });
});
