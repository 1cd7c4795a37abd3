import { describe, expect, it } from "vitest";
import type { SchemaMeta } from "../../src/generated/meta-types";
import { decodeReturn } from "../../src/runtime/decode-return";

const vmConfig: SchemaMeta = {
  t: "object",
  props: {
    cores: { t: "integer", o: 1 },
    balloon: { t: "number", o: 1 },
    onboot: { t: "boolean", o: 1 },
    name: { t: "string", o: 1 },
    "net[n]": { t: "string", o: 1, n: 32 },
    "unused[n]": { t: "integer", o: 1, n: 256 },
    meta: { t: "object", add: { t: "integer" } },
  },
};

describe("decodeReturn", () => {
  it("turns numeric strings into numbers and 0/1 into booleans where the schema says so", () => {
    const value = { cores: "4", balloon: "0.5", onboot: 1, name: "0042", net0: "virtio,bridge=vmbr0", unused3: "7", meta: { a: "1" }, extra: "9" };
    expect(decodeReturn(vmConfig, value)).toEqual({
      cores: 4,
      balloon: 0.5,
      onboot: true,
      name: "0042",
      net0: "virtio,bridge=vmbr0",
      unused3: 7,
      meta: { a: 1 },
      extra: "9",
    });
  });

  it("decodes array items and boolean strings, and keeps what does not convert", () => {
    const schema: SchemaMeta = { t: "array", i: { t: "object", props: { n: { t: "integer" }, ok: { t: "boolean" } } } };
    expect(decodeReturn(schema, [{ n: "1", ok: "0" }, { n: "x", ok: "maybe" }, null])).toEqual([{ n: 1, ok: false }, { n: "x", ok: "maybe" }, null]);
  });

  it("leaves values alone without a schema or for any/null", () => {
    expect(decodeReturn(undefined, { a: "1" })).toEqual({ a: "1" });
    expect(decodeReturn({ t: "any" }, "1")).toBe("1");
    expect(decodeReturn({ t: "integer" }, 5)).toBe(5);
    expect(decodeReturn({ t: "boolean" }, true)).toBe(true);
  });
});
