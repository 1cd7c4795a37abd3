import { inspect } from "node:util";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  PveAuthError,
  PveConnectionError,
  PveError,
  PveNotFoundError,
  PveParamError,
  PvePermissionError,
  PveTimeoutError,
  PveValidationError,
  TaskFailedError,
} from "../../src/runtime/errors";
import { API, TOKEN, mswClient, useMsw } from "./helpers/msw-client";

const server = useMsw();

function answer(status: number, statusText: string, body: object = { data: null }) {
  server.use(http.get(`${API}/nodes/:node/qemu/:vmid/status/current`, () => HttpResponse.json(body, { status, statusText })));
}

const getStatus = (retry: false | object = false) =>
  mswClient({ retry: retry as false }).api.nodes.$("pve2").qemu.$(100).status.current.$get();

describe("error mapping", () => {
  const cases: [string, number, string, object | undefined, new (...a: never[]) => PveError, string][] = [
    ["401", 401, "authentication failure", undefined, PveAuthError, "PVE_ERR_AUTH"],
    ["403", 403, "Permission check failed (/vms/100, VM.Audit)", undefined, PvePermissionError, "PVE_ERR_PERMISSION"],
    ["404", 404, "Not Found", undefined, PveNotFoundError, "PVE_ERR_NOT_FOUND"],
    ["500 does not exist", 500, "Configuration file 'nodes/pve2/qemu-server/100.conf' does not exist", undefined, PveNotFoundError, "PVE_ERR_NOT_FOUND"],
    ["500 no such", 500, "no such VM ('100')", undefined, PveNotFoundError, "PVE_ERR_NOT_FOUND"],
    ["500 already exists", 500, "unable to create VM 100 - VM 100 already exists on node 'pve1'", undefined, PveError, "PVE_ERR_ALREADY_EXISTS"],
    ["500 lock", 500, "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout", undefined, PveError, "PVE_ERR_LOCKED"],
    ["500 other", 500, "VM is locked (backup)", undefined, PveError, "PVE_ERR_HTTP"],
  ];
  it.each(cases)("%s → %s", async (_name, status, reason, body, cls, code) => {
    answer(status, reason, body);
    const err = (await getStatus().catch((e: unknown) => e)) as PveError;
    expect(err).toBeInstanceOf(cls);
    expect(err.code).toBe(code);
    expect(err.message).toBe(reason);
    expect(err.reason).toBe(reason);
    expect(err.status).toBe(status);
    expect(err.method).toBe("GET");
    expect(err.path).toBe("/nodes/{node}/qemu/{vmid}/status/current");
  });

  it("400 keeps PVE's errors map and names it in the message", async () => {
    server.use(
      http.post(`${API}/nodes/:node/qemu`, () =>
        HttpResponse.json(
          { data: null, errors: { vmid: "VM 100 already exists\n", memory: "value must have a minimum value of 16" } },
          { status: 400, statusText: "Parameter verification failed." },
        ),
      ),
    );
    const err = (await mswClient()
      .request("POST", "/nodes/{node}/qemu", { node: "pve1", vmid: 100 })
      .catch((e: unknown) => e)) as PveParamError;
    expect(err).toBeInstanceOf(PveParamError);
    expect(err.code).toBe("PVE_ERR_PARAM");
    expect(err.errors).toEqual({ vmid: "VM 100 already exists", memory: "value must have a minimum value of 16" });
    expect(err.param).toBe("vmid");
    expect(err.message).toBe("Parameter verification failed. vmid: VM 100 already exists; memory: value must have a minimum value of 16");
  });

  it("595/596 → PveConnectionError naming the unreachable node", async () => {
    answer(595, "Connection refused");
    const err = (await getStatus().catch((e: unknown) => e)) as PveConnectionError;
    expect(err).toBeInstanceOf(PveConnectionError);
    expect(err.node).toBe("pve2");
    expect(err.status).toBe(595);
    expect(err.message).toContain("node 'pve2'");
    expect(err.message).toContain("Connection refused");
  });

  it("a network failure is a PveConnectionError", async () => {
    server.use(http.get(`${API}/version`, () => HttpResponse.error()));
    const err = await mswClient({ retry: false }).request("GET", "/version").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveConnectionError);
    expect((err as PveError).code).toBe("PVE_ERR_CONNECTION");
  });

  it("a 200 with a body that is not JSON is a PVE_ERR_RESPONSE error", async () => {
    server.use(http.get(`${API}/version`, () => new HttpResponse("<html>proxy</html>", { status: 200 })));
    const err = (await mswClient().request("GET", "/version").catch((e: unknown) => e)) as PveError;
    expect(err.code).toBe("PVE_ERR_RESPONSE");
  });
});

describe("error classes", () => {
  it("are branded with Symbol.for, so instanceof works across copies", () => {
    const foreign = { [Symbol.for("pvekit.error.PveError")]: true, [Symbol.for("pvekit.error.PveNotFoundError")]: true };
    expect(foreign).toBeInstanceOf(PveError);
    expect(foreign).toBeInstanceOf(PveNotFoundError);
    expect(foreign).not.toBeInstanceOf(PveAuthError);
    expect(new PveNotFoundError("x")).toBeInstanceOf(PveError);
    expect(new PveError("x")).not.toBeInstanceOf(PveNotFoundError);
    expect(new Error("x")).not.toBeInstanceOf(PveError);
  });

  it("each has a stable code and name", () => {
    const errs: [PveError, string][] = [
      [new PveValidationError([{ param: "a", code: "type", message: "m" }]), "PVE_ERR_VALIDATION"],
      [new PveTimeoutError("t"), "PVE_ERR_TIMEOUT"],
      [new TaskFailedError("UPID:x", "command failed", ["line"]), "PVE_ERR_TASK_FAILED"],
    ];
    for (const [err, code] of errs) {
      expect(err.code).toBe(code);
      expect(err.name).toBe(err.constructor.name);
    }
  });
});

describe("redaction", () => {
  it("the token secret appears in no error, log line or inspect output, even when the server echoes it", async () => {
    const lines: string[] = [];
    server.use(
      http.get(`${API}/version`, () =>
        HttpResponse.json({ data: null }, { status: 500, statusText: `bad token PVEAPIToken=${TOKEN.tokenId}=${TOKEN.secret}` }),
      ),
    );
    const pve = mswClient({ retry: false, logger: { debug: (m) => lines.push(m), warn: (m) => lines.push(m) } });
    const err = await pve.request("GET", "/version").catch((e: unknown) => e);
    const shown = [inspect(err, { depth: 10 }), String((err as Error).stack), JSON.stringify(err), inspect(pve, { depth: 10 }), ...lines].join("\n");
    expect(shown).toContain("bad token");
    expect(shown).not.toContain(TOKEN.secret);
    expect(lines.some((l) => /^GET \/version 500 \d+ms$/.test(l))).toBe(true);
  });

  it("validation messages never echo a secret parameter's value", async () => {
    const err = (await mswClient()
      .request("PUT", "/access/password", { userid: "bob@pve", password: { not: "a string" }, "confirmation-password": "hunter2-secret" } as never)
      .catch((e: unknown) => e)) as PveValidationError;
    expect(err).toBeInstanceOf(PveValidationError);
    expect(err.errors.password).toContain("***");
    expect(inspect(err, { depth: 10 })).not.toContain("hunter2-secret");
  });

  it("inspect and JSON of the client show the user, never the secret", () => {
    const pve = mswClient();
    expect(inspect(pve)).toContain(TOKEN.tokenId);
    expect(inspect(pve, { showHidden: true, depth: 10 })).not.toContain(TOKEN.secret);
    expect(JSON.stringify(pve)).not.toContain(TOKEN.secret);
  });
});
