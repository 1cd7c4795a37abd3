import { describe, expect, it } from "vitest";
import { isUpid, parseUpid } from "../../src/runtime/upid";
import { formatUpid } from "../../src/testing/upid";

describe("UPID", () => {
  it("formats PVE's layout with 8-digit upper-case hex fields", () => {
    const upid = formatUpid({ node: "pve1", pid: 0x1a2b, pstart: 0xc0ffee, starttime: 0x65a1b2c3, type: "qmstart", id: "100", user: "root@pam" });
    expect(upid).toBe("UPID:pve1:00001A2B:00C0FFEE:65A1B2C3:qmstart:100:root@pam:");
  });

  it("round-trips, including token users and empty ids", () => {
    const parts = { node: "node-2", pid: 42, pstart: 7, starttime: 1_700_000_000, type: "vzdump", id: "", user: "root@pam!ci" };
    const upid = formatUpid(parts);
    expect(parseUpid(upid)).toEqual({ upid, ...parts });
    expect(isUpid("UPID:broken")).toBe(false);
  });
});
