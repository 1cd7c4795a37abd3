import { describe, expect, it } from "vitest";
import { lazyEntries, lazyRecord } from "../../src/generated/lazy-record";

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

describe("lazyEntries (each method's metadata parsed when that method is used)", () => {
  it("parses a key's JSON text on first read, once, and no other key's", () => {
    const parse = JSON.parse;
    const parsed: string[] = [];
    JSON.parse = ((text: string) => (parsed.push(text), parse(text))) as typeof JSON.parse;
    try {
      const rec = lazyEntries<{ v: string }>({ "GET /a": '{"v":"GET"}' }, { "POST /b": '{"v":"POST"}' });
      expect(Object.keys(rec)).toEqual(["GET /a", "POST /b"]);
      expect("POST /b" in rec && !("PUT /b" in rec)).toBe(true);
      expect(parsed).toEqual([]);
      expect(rec["POST /b"]).toEqual({ v: "POST" });
      expect(rec["POST /b"]).toBe(rec["POST /b"]);
      expect(parsed).toEqual(['{"v":"POST"}']);
      expect(rec["PUT /b"]).toBeUndefined();
      expect(rec.toString).toBeUndefined();
    } finally {
      JSON.parse = parse;
    }
  });

  it("behaves like a plain read-only record for entries, spread and JSON", () => {
    const rec = lazyEntries<number>({ a: "1", b: "[2]" }) as Record<string, unknown>;
    expect(Object.entries(rec)).toEqual([
      ["a", 1],
      ["b", [2]],
    ]);
    expect({ ...rec }).toEqual({ a: 1, b: [2] });
    expect(JSON.parse(JSON.stringify(rec))).toEqual({ a: 1, b: [2] });
    expect(() => {
      "use strict";
      rec.a = 3;
    }).toThrow(TypeError);
  });
});
