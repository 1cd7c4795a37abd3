import { describe, expect, test } from "vitest";
import { PveValidationError } from "../../../src/runtime/errors";
import { pveshArgs } from "../../../src/runtime/local/pvesh-args";

describe("pveshArgs", () => {
  test.each([
    ["GET", "get"],
    ["POST", "create"],
    ["PUT", "set"],
    ["DELETE", "delete"],
  ])("%s runs pvesh %s (pvesh.pm $method_map)", (verb, command) => {
    expect(pveshArgs(verb, "/nodes", [])).toEqual([command, "/nodes", "--output-format", "json"]);
  });

  test("one --key value pair per wire pair: booleans 0/1, repeated keys for arrays, property strings as given", () => {
    const args = pveshArgs("POST", "/nodes/pve1/qemu", [
      ["vmid", "120"],
      ["start", "1"],
      ["net0", "virtio=BC:24:11:00:00:01,bridge=vmbr0"],
      ["tags", "a;b"],
      ["delete", "net1"],
      ["delete", "net2"],
    ]);
    expect(args).toEqual([
      "create",
      "/nodes/pve1/qemu",
      "--vmid",
      "120",
      "--start",
      "1",
      "--net0",
      "virtio=BC:24:11:00:00:01,bridge=vmbr0",
      "--tags",
      "a;b",
      "--delete",
      "net1",
      "--delete",
      "net2",
      "--output-format",
      "json",
    ]);
  });

  test("values are separate argv entries, never split or interpreted (spaces, $(), leading dashes)", () => {
    const args = pveshArgs("PUT", "/nodes/pve1/qemu/100/config", [["description", "--x $(id) `id`; rm -rf /"]]);
    expect(args.slice(2, 4)).toEqual(["--description", "--x $(id) `id`; rm -rf /"]);
  });

  test("the path is decoded, as PVE's HTTP server decodes it before routing (UPIDs contain ':')", () => {
    const upid = "UPID:pve1:0001A2B0:00100000:6B13DD36:qmstart:102:root@pam!pvekit:";
    expect(pveshArgs("GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`, [])[1]).toBe(`/nodes/pve1/tasks/${upid}/status`);
  });

  test("a parameter name that could read as another option is refused", () => {
    expect(() => pveshArgs("GET", "/nodes", [["a=b", "1"]])).toThrow(PveValidationError);
    expect(() => pveshArgs("GET", "/nodes", [["-x", "1"]])).toThrow(/not a parameter name/);
  });

  test("an HTTP verb pvesh has no command for is refused", () => {
    expect(() => pveshArgs("PATCH", "/nodes", [])).toThrow(/no command for PATCH/);
  });
});
