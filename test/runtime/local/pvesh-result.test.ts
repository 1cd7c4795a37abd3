import { describe, expect, test } from "vitest";
import {
  PveConnectionError,
  PveError,
  PveNotFoundError,
  PveParamError,
  PvePermissionError,
} from "../../../src/runtime/errors";
import { errorFromPvesh, parsePveshFailure, parsePveshOutput } from "../../../src/runtime/local/pvesh-result";

const where = { method: "GET", path: "/nodes/{node}/qemu" };
const run = (stderr: string, code = 255) => ({ code, signal: null, stdout: "", stderr });

describe("parsePveshOutput", () => {
  test("one line of JSON is the result", () => {
    expect(parsePveshOutput('[{"vmid":100}]\n', where)).toEqual({ data: [{ vmid: 100 }], log: [] });
  });

  test("nothing printed is null (methods returning null print nothing)", () => {
    expect(parsePveshOutput("", where).data).toBeNull();
    expect(parsePveshOutput("\n", where).data).toBeNull();
  });

  test("a foreground task's log comes first; the UPID is the last line", () => {
    const out = 'start VM 102: UUIDs generated\nanother line\n"UPID:pve2:0001A2B0:00100000:6B13DD36:qmstart:102:root@pam:"\n';
    expect(parsePveshOutput(out, where)).toEqual({
      data: "UPID:pve2:0001A2B0:00100000:6B13DD36:qmstart:102:root@pam:",
      log: ["start VM 102: UUIDs generated", "another line"],
    });
  });

  test("output that is not JSON is an error naming the request", () => {
    expect(() => parsePveshOutput("hello\nworld\n", where)).toThrow(/pvesh printed no JSON result for GET \/nodes\/\{node\}\/qemu/);
  });
});

describe("parsePveshFailure (PVE::Exception stringify and pvesh's own messages)", () => {
  test("a parameter exception: code, message, errors; the USAGE text is dropped", () => {
    const stderr =
      "400 Parameter verification failed.\nfull: type check ('boolean') failed - got 'x'\nvmid: invalid format\nUSAGE: pvesh get /nodes/pve1/qemu  [OPTIONS]\n  --full   <boolean>\n";
    expect(parsePveshFailure(stderr, 255)).toEqual({
      status: 400,
      message: "Parameter verification failed.",
      errors: { full: "type check ('boolean') failed - got 'x'", vmid: "invalid format" },
      warnings: [],
    });
  });

  test("a plain die is PVE's 500 with the message; Perl's location suffix and WARN lines are set apart", () => {
    const f = parsePveshFailure("WARN: something odd\nunable to find configuration file for VM 999 on node 'pve1' at /usr/share/perl5/PVE/QemuConfig.pm line 12.\n", 2);
    expect(f).toEqual({ status: 500, message: "unable to find configuration file for VM 999 on node 'pve1'", errors: {}, warnings: ["something odd"] });
  });

  test("no handler for a path is 501, as over HTTPS", () => {
    expect(parsePveshFailure("No 'get' handler defined for '/nodes/pve1/foo'\n", 1).status).toBe(501);
    expect(parsePveshFailure("no 'create' handler for '/version'\n", 255).status).toBe(501);
  });

  test("an empty stderr still explains itself", () => {
    expect(parsePveshFailure("", 9).message).toBe("pvesh failed with exit status 9 and no message");
  });
});

describe("errorFromPvesh maps onto the HTTPS error classes", () => {
  test("400 with errors → PveParamError carrying PVE's map", () => {
    const err = errorFromPvesh(run("400 Parameter verification failed.\nvmid: value must be at least 100\n"), where);
    expect(err).toBeInstanceOf(PveParamError);
    expect((err as PveParamError).errors).toEqual({ vmid: "value must be at least 100" });
    expect(err.status).toBe(400);
    expect(err.path).toBe("/nodes/{node}/qemu");
  });

  test("does not exist → PveNotFoundError (like PVE's 500 over HTTPS)", () => {
    const err = errorFromPvesh(run("Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist\n"), where);
    expect(err).toBeInstanceOf(PveNotFoundError);
    expect(err.message).toBe("Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist");
  });

  test("403 Permission check failed → PvePermissionError", () => {
    expect(errorFromPvesh(run("403 Permission check failed (/vms/100, VM.PowerMgmt)\n"), where)).toBeInstanceOf(PvePermissionError);
  });

  test("not root → PvePermissionError that says so", () => {
    const err = errorFromPvesh(run("please run as root\n"), where);
    expect(err).toBeInstanceOf(PvePermissionError);
    expect(err.message).toMatch(/needs root on the node/);
  });

  test("proxying to another node failed → PveConnectionError naming the node", () => {
    const err = errorFromPvesh(run("proxy handler failed: command 'ssh …' failed: exit code 255\n"), { ...where, node: "pve3" });
    expect(err).toBeInstanceOf(PveConnectionError);
    expect(err.message).toMatch(/node 'pve3'/);
  });

  test("already exists and lock timeouts get their codes", () => {
    expect(errorFromPvesh(run("snapshot name 'a' already exists\n"), where).code).toBe("PVE_ERR_ALREADY_EXISTS");
    expect(errorFromPvesh(run("can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout\n"), where).code).toBe("PVE_ERR_LOCKED");
    const other = errorFromPvesh(run("VM 100 already running\n"), where);
    expect(other).toBeInstanceOf(PveError);
    expect(other.code).toBe("PVE_ERR_HTTP");
  });
});
