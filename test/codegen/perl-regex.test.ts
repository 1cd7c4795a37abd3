import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { anchoredSource, perlToJs } from "../../codegen/perl-regex";
import { SHARED } from "./helpers";

describe("perlToJs", () => {
  it.each([
    ["stringified qr// groups", "(?^:\\d+(?:;\\d+)*)", "(?:\\d+(?:;\\d+)*)"],
    ["unicode-flag groups", "(?^u:[a-zA-Z0-9]{1,12})", "(?:[a-zA-Z0-9]{1,12})"],
    ["case-insensitive groups fold letters", "(?^i:ab[a-z])", "(?:[aA][bB][a-zA-Z])"],
    ["flags reset after the group", "(?^i:a)b", "(?:[aA])b"],
    ["atomic groups", "(?>[+-]?\\w+,?)+", "(?:[+-]?\\w+,?)+"],
    ["{,n} as {0,n} (Perl 5.34)", "[A-Z]{,8}", "[A-Z]{0,8}"],
    ["escapes untouched", "\\-\\_\\.", "\\-\\_\\."],
  ])("converts %s", (_name, perl, js) => {
    expect(perlToJs(perl)).toBe(js);
  });

  it("anchors like PVE's m/^$pattern$/", () => {
    const re = new RegExp(anchoredSource("net\\d+=\\d+"));
    expect(re.test("net0=5")).toBe(true);
    expect(re.test("xnet0=5")).toBe(false);
    expect(re.test("net0=5x")).toBe(false);
    // Alternation must not escape the anchors.
    expect(new RegExp(anchoredSource("a|b")).test("ab")).toBe(false);
  });

  it("matches case-insensitively inside (?^i:…) only", () => {
    const re = new RegExp(anchoredSource("(?^i:[a-z0-9_][a-z0-9_\\-\\+\\.]*)x"));
    expect(re.test("Foo-Barx")).toBe(true);
    expect(re.test("Foo-BarX")).toBe(false);
  });

  it("compiles every pattern of every shared schema (QUIRKS: 22 qr// and 26 \\- patterns)", () => {
    const patterns = new Set<string>();
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          if (k === "pattern" && typeof x === "string") patterns.add(x);
          else visit(x);
        }
      }
    };
    for (const f of readdirSync(SHARED).filter((f) => f.endsWith(".json"))) visit(JSON.parse(readFileSync(SHARED + f, "utf8")));
    expect(patterns.size).toBeGreaterThan(70);
    const failures = [...patterns].filter((p) => {
      try {
        new RegExp(anchoredSource(p));
        return false;
      } catch {
        return true;
      }
    });
    expect(failures).toEqual([]);
    // The userid pattern of GET /access/permissions (a qr// inside a qr//) works as PVE means it.
    const userid = [...patterns].find((p) => p.startsWith("(?^:^(?^:[^\\s:/]+)\\@"))!;
    expect(new RegExp(anchoredSource(userid)).test("automation@pve!ci")).toBe(true);
    expect(new RegExp(anchoredSource(userid)).test("no-realm")).toBe(false);
  });
});
