import { describe, expect, test } from "vitest";
import { maxTier, modeAllows, modeFor, parseMode, type Mode, type Tier } from "../../../src/skill/policy/mode";

describe("modeAllows", () => {
  const cases: [Mode, Tier, boolean][] = [
    ["read-only", "read", true],
    ["read-only", "reversible", false],
    ["read-only", "destructive", false],
    ["operator", "read", true],
    ["operator", "reversible", true],
    ["operator", "destructive", false],
    ["admin", "read", true],
    ["admin", "reversible", true],
    ["admin", "destructive", true],
  ];
  test.each(cases)("%s allows %s: %s", (mode, tier, want) => {
    expect(modeAllows(mode, tier)).toBe(want);
  });
});

test("modeFor names the least mode for a tier", () => {
  expect([modeFor("read"), modeFor("reversible"), modeFor("destructive")]).toEqual(["read-only", "operator", "admin"]);
  expect(maxTier("read", "destructive")).toBe("destructive");
  expect(maxTier("reversible", "read")).toBe("reversible");
});

test("parseMode accepts spellings and rejects unknown modes", () => {
  expect(parseMode("readonly")).toBe("read-only");
  expect(parseMode(" ADMIN ")).toBe("admin");
  expect(() => parseMode("root")).toThrow(/Unknown mode "root"/);
});
