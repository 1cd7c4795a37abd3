import { describe, expect, it } from "vitest";
import { PveValidationError } from "../../src/runtime/errors";
import { isUpid, parseUpid } from "../../src/runtime/upid";

describe("parseUpid", () => {
  it("splits a UPID into its parts (hex fields decoded)", () => {
    expect(parseUpid("UPID:pve1:0000C350:0012D687:6627A1B2:qmstart:100:root@pam:")).toEqual({
      upid: "UPID:pve1:0000C350:0012D687:6627A1B2:qmstart:100:root@pam:",
      node: "pve1",
      pid: 0xc350,
      pstart: 0x12d687,
      starttime: 0x6627a1b2,
      type: "qmstart",
      id: "100",
      user: "root@pam",
    });
  });

  it("accepts an empty id, a 9-digit pstart and a token user", () => {
    const info = parseUpid("UPID:node-2:00001234:1A2B3C4D5:6627A1B2:aptupdate::ci@pve!deploy:");
    expect(info).toMatchObject({ node: "node-2", pstart: 0x1a2b3c4d5, id: "", user: "ci@pve!deploy" });
  });

  it.each(["", "UPID:pve1", "upid:pve1:0000C350:0012D687:6627A1B2:qmstart:100:root@pam:", "UPID:pve1:XYZ:0012D687:6627A1B2:qmstart:100:root@pam:"])(
    "rejects %j",
    (text) => {
      expect(isUpid(text)).toBe(false);
      expect(() => parseUpid(text)).toThrow(PveValidationError);
    },
  );
});
