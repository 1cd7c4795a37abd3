import { describe, expect, it } from "vitest";
import type { RouteMeta, SchemaMeta } from "../../src/generated/meta-types";
import { routes } from "../../src/generated/routes";
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

/**
 * Hand-written answers in the shapes PVE's Perl produces (facts from qemu-server, pve-container and
 * pve-manager; no captured files), decoded with the generated route schemas.
 */
describe("decodeReturn on PVE's wire patterns (generated return schemas)", () => {
  const ret = (key: string) => (routes as Record<string, RouteMeta>)[key]!.ret;
  const decodeWith = (key: string, value: unknown) => {
    const kept: string[] = [];
    const out = decodeReturn(ret(key), value, (p, got, want) => kept.push(`${p}: ${got} → ${want}`));
    return { out, kept };
  };

  it('booleans from 0/1, "0"/"1", "" (Perl false), "true"/"false" in a guest list', () => {
    const wire = [
      { vmid: 100, status: "running", template: "" },
      { vmid: 101, status: "stopped", template: 1 },
      { vmid: 102, status: "stopped", template: "0" },
      { vmid: 103, status: "stopped", template: "1" },
      { vmid: 104, status: "stopped", template: "true" },
      { vmid: 105, status: "stopped", template: "false" },
      { vmid: 106, status: "stopped", template: 0 },
    ];
    const { out, kept } = decodeWith("GET /nodes/{node}/qemu", wire);
    expect((out as { template: boolean }[]).map((v) => v.template)).toEqual([false, true, false, true, true, false, false]);
    expect(kept).toEqual([]);
  });

  it("integers from numeric strings (pid and vmid in LXC lists before pve-container 81aa4bd)", () => {
    const { out, kept } = decodeWith("GET /nodes/{node}/lxc", [{ vmid: "101", status: "running", pid: "6297", maxmem: "536870912", cpu: "0.0132", name: "ct101" }]);
    expect(out).toEqual([{ vmid: 101, status: "running", pid: 6297, maxmem: 536870912, cpu: 0.0132, name: "ct101" }]);
    expect(kept).toEqual([]);
  });

  it("null for an optional property becomes absent (pid on a stopped guest, clipboard, lock)", () => {
    const wire = { vmid: 100, status: "stopped", pid: null, clipboard: null, lock: null, ha: { managed: 0 }, name: "web" };
    const { out, kept } = decodeWith("GET /nodes/{node}/qemu/{vmid}/status/current", wire);
    expect(out).toEqual({ vmid: 100, status: "stopped", ha: { managed: 0 }, name: "web" });
    expect(Object.keys(out as object)).not.toContain("pid");
    expect(kept).toEqual([]);
  });

  it("a number where a string is declared becomes a string (a guest named 123)", () => {
    const { out } = decodeWith("GET /nodes/{node}/qemu", [{ vmid: 100, status: "stopped", name: 123 }]);
    expect(out).toEqual([{ vmid: 100, status: "stopped", name: "123" }]);
  });

  it("indexed keys (net0, unused0) and nested booleans/numbers in a VM config", () => {
    const wire = { digest: "abc", net0: "virtio=BC:24:11:00:00:01,bridge=vmbr0", cores: "2", onboot: "1", acpi: "", balloon: "0", unused0: "local-lvm:vm-100-disk-1" };
    const { out, kept } = decodeWith("GET /nodes/{node}/qemu/{vmid}/config", wire);
    expect(out).toEqual({ digest: "abc", net0: "virtio=BC:24:11:00:00:01,bridge=vmbr0", cores: 2, onboot: true, acpi: false, balloon: 0, unused0: "local-lvm:vm-100-disk-1" });
    expect(kept).toEqual([]);
  });

  it("maps (additionalProperties schemas) are decoded per value", () => {
    const schema: SchemaMeta = { t: "object", props: { tokens: { t: "object", o: 1, add: { t: "object", props: { expire: { t: "integer", o: 1 }, privsep: { t: "boolean", o: 1 } } } } } };
    const value = { tokens: { ci: { expire: "0", privsep: "" }, ro: { expire: null, privsep: 1 } } };
    expect(decodeReturn(schema, value)).toEqual({ tokens: { ci: { expire: 0, privsep: false }, ro: { privsep: true } } });
  });

  it("keeps what cannot convert, and names each such property once with where it is", () => {
    const wire = [
      { vmid: 100, status: "running", template: "maybe", pid: "n/a", uptime: null },
      { vmid: "x", status: null, template: 0 },
      { vmid: 102, status: "stopped", template: "maybe" },
    ];
    const { out, kept } = decodeWith("GET /nodes/{node}/qemu", wire);
    expect(out).toEqual([
      { vmid: 100, status: "running", template: "maybe", pid: "n/a" },
      { vmid: "x", status: null, template: false },
      { vmid: 102, status: "stopped", template: "maybe" },
    ]);
    expect(kept).toEqual([
      "[].template: string → boolean",
      "[].pid: string → integer",
      "[].vmid: string → integer",
      "[].status: null → string",
      "[].template: string → boolean",
    ]);
  });

  it("names nested places: a.b[].c", () => {
    const schema: SchemaMeta = { t: "object", props: { a: { t: "object", props: { b: { t: "array", i: { t: "object", props: { c: { t: "integer" } } } } } } } };
    const kept: string[] = [];
    decodeReturn(schema, { a: { b: [{ c: "1" }, { c: {} }] } }, (p, got, want) => kept.push(`${p} ${got} ${want}`));
    expect(kept).toEqual(["a.b[].c object integer"]);
  });
});
