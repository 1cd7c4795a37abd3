import { describe, expect, test } from "vitest";
import { protoKeyPath } from "../../src/skill/proto-key";

describe("protoKeyPath", () => {
  test("names where a __proto__ key is, at any depth, in objects and arrays", () => {
    expect(protoKeyPath(JSON.parse('{"a": 1, "__proto__": {}}'))).toBe("__proto__");
    expect(protoKeyPath(JSON.parse('{"params": {"x": 1, "__proto__": {"delete": "scsi0"}}}'))).toBe("params.__proto__");
    expect(protoKeyPath(JSON.parse('{"select": {"vmids": [{"__proto__": 1}]}}'))).toBe("select.vmids[0].__proto__");
  });

  test("none in ordinary input, whose prototype keys are not own keys", () => {
    expect(protoKeyPath({ vmid: 100, params: { constructor: "x", toString: "y" }, list: [1, "a", null] })).toBeUndefined();
    expect(protoKeyPath("__proto__")).toBeUndefined();
    expect(protoKeyPath(null)).toBeUndefined();
  });

  test("an object that refers to itself is looked at once (no stack overflow)", () => {
    const input: Record<string, unknown> = { vmid: 100 };
    input.self = input;
    expect(protoKeyPath(input)).toBeUndefined();
    const nested = JSON.parse('{"params": {"__proto__": 1}}') as Record<string, unknown>;
    nested.loop = nested;
    expect(protoKeyPath(nested)).toBe("params.__proto__");
  });
});
