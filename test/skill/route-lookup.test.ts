import { describe, expect, test } from "vitest";
import { SkillUsageError } from "../../src/skill/errors";
import { parseKeyValues } from "../../src/skill/route-lookup";

describe("parseKeyValues (the CLI's key=value words)", () => {
  test("one value per key; a repeated key becomes a list; a leading -- is dropped", () => {
    expect(parseKeyValues(["memory=1024", "--tags=a", "net0=virtio,bridge=vmbr0"])).toEqual({ memory: "1024", tags: "a", "net0": "virtio,bridge=vmbr0" });
    expect(parseKeyValues(["a=1", "a=2", "a=3"])).toEqual({ a: ["1", "2", "3"] });
  });

  test("a word without key= is a usage error naming it", () => {
    expect(() => parseKeyValues(["memory"])).toThrow(SkillUsageError);
    expect(() => parseKeyValues(["=1"])).toThrow(/"=1"/);
  });

  test("keys that are names of Object.prototype are plain keys with the value given", () => {
    // attack: `constructor=x` became [Function Object, "x"] and `toString=a` [Function toString, "a"]
    const out = parseKeyValues(["constructor=x", "toString=a", "hasOwnProperty=b"]);
    expect(out).toEqual({ constructor: "x", toString: "a", hasOwnProperty: "b" });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  test("__proto__=… is refused, not dropped (once it vanished; twice it replaced the object's prototype)", () => {
    expect(() => parseKeyValues(["description=x", "__proto__=y"])).toThrow(SkillUsageError);
    expect(() => parseKeyValues(["__proto__=a", "__proto__=b"])).toThrow(/__proto__/);
  });
});
