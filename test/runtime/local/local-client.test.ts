import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, test } from "vitest";
import {
  PveClient,
  PveError,
  PveNotFoundError,
  PveParamError,
  PveTimeoutError,
  PveValidationError,
  TaskFailedError,
  type LocalClientOptions,
} from "../../../src/index";
import type { RunCommand } from "../../../src/runtime/local/run-process";
import { createSimulator, type SimServer } from "../../../src/testing";
import { pveshDoubleEnv, readArgvLog } from "../../helpers/pvesh-double";

describe("PveClient.local() through pvesh (the test double forwards to the simulator)", () => {
  const sim = createSimulator({ clock: { mode: "instant" } });
  let server: SimServer;
  let dir: string;
  let argvLog: string;
  let pve: PveClient;
  beforeAll(async () => {
    server = await sim.listen({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), "pvekit-local-"));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    argvLog = join(dir, `argv-${Math.random().toString(36).slice(2)}.jsonl`);
    pve = PveClient.local({ env: pveshDoubleEnv(server, sim.credentials.token, { argvLog }) });
  });

  test("lists guests through `pvesh get`: no URL, no token", async () => {
    const vms = await pve.api.nodes.$("pve1").qemu.$get();
    expect(vms.map((v) => v.vmid)).toEqual(expect.arrayContaining([100, 101]));
    expect(readArgvLog(argvLog)).toEqual([["get", "/nodes/pve1/qemu", "--output-format", "json"]]);
    expect(pve.baseUrl).toBe("pvesh://localhost/api2/json");
    expect(JSON.stringify(pve)).toBe('{"baseUrl":"pvesh://localhost/api2/json","auth":"local","user":"root@pam"}');
  });

  test("starts a VM and waits through pvesh get /nodes/{node}/tasks/{upid}/status", async () => {
    const upid = await pve.api.nodes.$("pve2").qemu.$(102).status.start.$post();
    expect(upid).toMatch(/^UPID:pve2:/);
    const done = await pve.tasks.wait(upid);
    expect(done.exitstatus).toBe("OK");
    expect(sim.state.guests.get(102)?.status).toBe("running");
    const calls = readArgvLog(argvLog);
    expect(calls[0]).toEqual(["create", "/nodes/pve2/qemu/102/status/start", "--output-format", "json"]);
    expect(calls.some((a) => a[0] === "get" && a[1] === `/nodes/pve2/tasks/${upid}/status`)).toBe(true);
  });

  test("a failed task is a TaskFailedError with its log tail (pvesh itself exits 0)", async () => {
    const upid = await pve.api.nodes.$("pve1").qemu.$(100).status.start.$post();
    const err = await pve.tasks.wait(upid).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskFailedError);
    expect((err as TaskFailedError).exitstatus).toMatch(/already running/);
  });

  test("snapshot with parameters as --key value, then listed", async () => {
    const upid = await pve.api.nodes.$("pve1").qemu.$(101).snapshot.$post({ snapname: "local1", description: "a b $(id)" });
    await pve.tasks.wait(upid);
    const names = (await pve.api.nodes.$("pve1").qemu.$(101).snapshot.$get()).map((s) => s.name);
    expect(names).toContain("local1");
    expect(readArgvLog(argvLog)[0]).toEqual([
      "create",
      "/nodes/pve1/qemu/101/snapshot",
      "--snapname",
      "local1",
      "--description",
      "a b $(id)",
      "--output-format",
      "json",
    ]);
    expect(sim.state.guests.get(101)?.snapshots.find((s) => s.name === "local1")?.description).toBe("a b $(id)");
  });

  test("booleans travel as 1/0 and arrays as repeated options", async () => {
    const config = await pve.api.nodes.$("pve1").qemu.$(101).config.$get();
    await pve.request("PUT", "/nodes/{node}/qemu/{vmid}/config", { node: "pve1", vmid: 101, onboot: true, digest: config.digest });
    expect(readArgvLog(argvLog)[1]).toEqual(expect.arrayContaining(["--onboot", "1"]));
    expect(String(sim.state.guests.get(101)?.config.onboot)).toBe("1");
  });

  test("property strings from objects and -list values reach pvesh as PVE's strings", async () => {
    const upid = await pve.request("POST", "/nodes/{node}/qemu", {
      node: "pve1",
      vmid: 700,
      memory: "512",
      net0: { model: "virtio", bridge: "vmbr0", firewall: true },
    });
    await pve.tasks.wait(upid);
    expect(readArgvLog(argvLog)[0]).toEqual(
      expect.arrayContaining(["--vmid", "700", "--net0", expect.stringMatching(/^virtio(=[0-9A-F:]+)?,bridge=vmbr0,firewall=1$/)]),
    );
    await pve.request("POST", "/nodes/{node}/vzdump", { node: "pve1", vmid: [100, 101] as never, storage: "local" }).catch(() => undefined);
    expect(readArgvLog(argvLog).at(-1)).toEqual(expect.arrayContaining(["--vmid", "100,101"]));
  });

  test("bad parameters are refused before pvesh runs (same PveValidationError as over HTTPS)", async () => {
    const err = await pve.request("POST", "/nodes/{node}/qemu/{vmid}/snapshot", { node: "pve1", vmid: 101, snapname: "1bad name" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveValidationError);
    expect((err as PveValidationError).param).toBe("snapname");
    expect(readArgvLog(argvLog)).toEqual([]);
  });

  test("pvesh's own parameter errors become PveParamError (validation off)", async () => {
    const raw = PveClient.local({ env: pveshDoubleEnv(server, sim.credentials.token), validate: false });
    // @ts-expect-error not a boolean, on purpose: pvesh's own check answers
    const err = await raw.request("GET", "/nodes/pve1/qemu", { full: "notbool" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveParamError);
    expect((err as PveParamError).errors.full).toMatch(/boolean/);
  });

  test("a missing guest is PveNotFoundError, as over HTTPS", async () => {
    const err = await pve.api.nodes.$("pve1").qemu.$(999).status.current.$get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveNotFoundError);
    expect((err as PveNotFoundError).path).toBe("/nodes/{node}/qemu/{vmid}/status/current");
  });

  test("uploads need HTTPS", async () => {
    const err = await pve
      .upload({ node: "pve1", storage: "local", content: "iso", filename: "a.iso", file: { stream: Readable.from([Buffer.from("x")]), size: 1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveError);
    expect((err as PveError).message).toMatch(/use an HTTPS connection for uploads/);
  });

  test("without pvesh on PATH local() says where it runs", () => {
    expect(() => PveClient.local({ env: { PATH: dir } })).toThrow(/pvesh is not on PATH: local mode runs on a Proxmox VE node/);
    expect(() => PveClient.local({ env: {}, pvesh: join(dir, "nope") })).toThrow(/is not an executable/);
  });

  test("LocalClientOptions is exported and local() returns a PveClient", () => {
    expectTypeOf(PveClient.local).parameter(0).toEqualTypeOf<LocalClientOptions | undefined>();
    expectTypeOf<ReturnType<typeof PveClient.local>>().toEqualTypeOf<PveClient>();
  });
});

describe("PveshTransport without processes (injected runner)", () => {
  const env = pveshDoubleEnv({ url: "https://127.0.0.1:1", fingerprint: "" }, { tokenId: "x", secret: "y" });

  test("a GET that runs past timeoutMs is stopped: PveTimeoutError; changes get no timeout", async () => {
    const seen: (number | undefined)[] = [];
    const run: RunCommand = async (_cmd, args, opts) => {
      seen.push(opts.timeoutMs);
      return args[0] === "get"
        ? { code: null, signal: "SIGTERM", stdout: "", stderr: "", timedOut: true, aborted: false }
        : { code: 0, signal: null, stdout: "", stderr: "", timedOut: false, aborted: false };
    };
    const pve = PveClient.local({ env, run, timeoutMs: 1234, retry: false });
    await expect(pve.request("GET", "/version")).rejects.toBeInstanceOf(PveTimeoutError);
    await pve.request("PUT", "/nodes/{node}/qemu/{vmid}/config", { node: "pve1", vmid: 100, cores: 2 });
    expect(seen).toEqual([1234, undefined]);
  });

  test("pvesh output beyond maxResponseBytes stops it: PVE_ERR_RESPONSE_TOO_LARGE (default 64 MiB, as over HTTPS)", async () => {
    const seen: (number | undefined)[] = [];
    const run: RunCommand = async (_cmd, _args, opts) => {
      seen.push(opts.maxStdoutBytes);
      return { code: null, signal: "SIGTERM", stdout: "", stderr: "", timedOut: false, aborted: false, tooLarge: true };
    };
    await expect(PveClient.local({ env, run, maxResponseBytes: 4096, retry: false }).request("GET", "/cluster/resources")).rejects.toMatchObject({
      code: "PVE_ERR_RESPONSE_TOO_LARGE",
      message: expect.stringMatching(/GET \/cluster\/resources is larger than 4096 bytes/),
    });
    await expect(PveClient.local({ env, run, retry: false }).request("GET", "/version")).rejects.toMatchObject({ code: "PVE_ERR_RESPONSE_TOO_LARGE" });
    expect(seen).toEqual([4096, 64 * 1024 * 1024]);
    expect(() => PveClient.local({ env, run, maxResponseBytes: 0 })).toThrow(/maxResponseBytes must be a positive number/);
  });

  test("a GET failing with a lock timeout is retried; a POST never is", async () => {
    let calls = 0;
    const run: RunCommand = async () => {
      calls++;
      return { code: 255, signal: null, stdout: "", stderr: "can't lock file '/var/lock/x' - got timeout\n", timedOut: false, aborted: false };
    };
    const clock = { now: () => 0, sleep: async () => {}, random: () => 0 };
    const pve = PveClient.local({ env, run, clock, retry: { retries: 2 } });
    await expect(pve.request("GET", "/version")).rejects.toMatchObject({ code: "PVE_ERR_LOCKED" });
    expect(calls).toBe(3);
    calls = 0;
    await expect(pve.request("POST", "/nodes/{node}/qemu/{vmid}/status/start", { node: "pve1", vmid: 100 })).rejects.toMatchObject({
      code: "PVE_ERR_LOCKED",
    });
    expect(calls).toBe(1);
  });

  test("a process that cannot start is a connection error naming pvesh", async () => {
    const run: RunCommand = async () => {
      throw Object.assign(new Error("spawn EACCES"), { code: "EACCES" });
    };
    await expect(PveClient.local({ env, run, retry: false }).request("GET", "/version")).rejects.toThrow(/Cannot run .*pvesh \(EACCES\)/);
  });

  test("the spawned pvesh gets no shell: metacharacters reach it verbatim", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pvekit-noshell-"));
    try {
      const marker = join(dir, "pwned");
      const log = join(dir, "argv.jsonl");
      const sim = createSimulator({ clock: { mode: "instant" } });
      const server = await sim.listen({ port: 0 });
      try {
        const pve = PveClient.local({ env: pveshDoubleEnv(server, sim.credentials.token, { argvLog: log }) });
        const config = await pve.api.nodes.$("pve1").qemu.$(100).config.$get();
        const evil = `x; touch ${marker} $(touch ${marker}) \`touch ${marker}\``;
        await pve.api.nodes.$("pve1").qemu.$(100).config.$put({ description: evil, digest: config.digest });
        expect(existsSync(marker)).toBe(false);
        expect(sim.state.guests.get(100)?.config.description).toBe(evil);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
