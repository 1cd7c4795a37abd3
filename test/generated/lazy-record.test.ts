import { describe, expect, it } from "vitest";
import { lazyRecord } from "../../src/generated/lazy-record";

describe("lazyRecord (route and format metadata parsed on first use)", () => {
  it("does not build the data until it is read, then builds it once", () => {
    let builds = 0;
    const rec = lazyRecord(() => {
      builds++;
      return { a: 1, b: 2 };
    });
    expect(builds).toBe(0);
    expect(rec.a).toBe(1);
    expect(rec.b).toBe(2);
    expect(builds).toBe(1);
  });

  it("behaves like a plain record for keys, entries, in and JSON", () => {
    const rec = lazyRecord(() => ({ "GET /version": { v: "GET" }, "GET /nodes": { v: "GET" } }));
    expect(Object.keys(rec)).toEqual(["GET /version", "GET /nodes"]);
    expect(Object.entries(rec)).toHaveLength(2);
    expect("GET /nodes" in rec).toBe(true);
    expect("POST /nodes" in rec).toBe(false);
    expect(rec["POST /nodes"]).toBeUndefined();
    expect(JSON.parse(JSON.stringify(rec))).toEqual({ "GET /version": { v: "GET" }, "GET /nodes": { v: "GET" } });
    expect({ ...rec }).toEqual({ "GET /version": { v: "GET" }, "GET /nodes": { v: "GET" } });
  });

  it("is read-only", () => {
    const rec = lazyRecord<number>(() => ({ a: 1 })) as Record<string, number>;
    expect(() => {
      "use strict";
      rec.a = 2;
    }).toThrow(TypeError);
    expect(rec.a).toBe(1);
  });
});
