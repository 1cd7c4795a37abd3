import { describe, expect, test } from "vitest";
import { hookEnv, runExecHook } from "../../../src/skill/watch/exec-hook";

describe("hookEnv", () => {
  test("drops credential variables, keeps the rest and adds PVEKIT_EVENT_*", () => {
    const env = hookEnv(
      {
        PATH: "/bin",
        PROXMOX_HOST: "pve1",
        PROXMOX_TOKEN_ID: "root@pam!ci",
        PROXMOX_TOKEN_SECRET: "s3cr3t",
        PVE_TOKEN_SECRET: "s3cr3t",
        PROXMOX_PASSWORD: "pw",
        PROXMOX_VE_API_TOKEN: "root@pam!ci=s3cr3t",
        PROXMOX_TOKEN_SECRET_FILE: "/run/secrets/pve",
      },
      { event: "task-end", vmid: 100, node: "pve1", upid: "UPID:x", exitstatus: "OK", status: "ok", time: "t", name: "$(rm -rf /)" },
    );
    expect(Object.keys(env).sort()).toEqual([
      "PATH",
      "PROXMOX_HOST",
      "PROXMOX_TOKEN_ID",
      "PROXMOX_TOKEN_SECRET_FILE",
      "PVEKIT_EVENT",
      "PVEKIT_EVENT_EXITSTATUS",
      "PVEKIT_EVENT_NODE",
      "PVEKIT_EVENT_STATUS",
      "PVEKIT_EVENT_TIME",
      "PVEKIT_EVENT_UPID",
      "PVEKIT_EVENT_VMID",
    ]);
    expect(env.PVEKIT_EVENT_VMID).toBe("100");
  });
});

describe("runExecHook", () => {
  test("the event arrives on stdin as one JSON line; output goes to the given sink", async () => {
    let output = "";
    const r = await runExecHook({ command: "cat; echo \"$PVEKIT_EVENT\"", event: { event: "state", vmid: 100 }, env: { PATH: process.env.PATH }, output: (t) => (output += t) });
    expect(r).toEqual({ code: 0, timedOut: false });
    expect(output).toBe('{"event":"state","vmid":100}\nstate\n');
  });

  test("a hook that ignores stdin or fails is fine; one that hangs is stopped", async () => {
    expect(await runExecHook({ command: "exit 7", event: { event: "x" }, env: { PATH: process.env.PATH } })).toEqual({ code: 7, timedOut: false });
    // the shell's child (sleep) holds the output pipe: the whole process group has to go
    const hung = await runExecHook({ command: "sleep 30; true", event: { event: "x" }, env: { PATH: process.env.PATH }, timeoutMs: 100 });
    expect(hung).toMatchObject({ code: null, timedOut: true });
  });
});
