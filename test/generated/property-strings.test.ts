import { describe, expect, it } from "vitest";
import {
  parsePropertyString,
  PropertyStringError,
  propertyFormats,
  propertyStrings,
  stringifyPropertyString,
  type PropertyFormatMeta,
  type PropertyStringCodec,
} from "../../src/generated";

/** A sample object for a format: one value per settable key, chosen to survive text. */
function sample(fmt: PropertyFormatMeta): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, m] of Object.entries(fmt.keys)) {
    if (m.alias !== undefined) continue;
    if (m.e?.length) out[key] = m.e[0];
    else if (m.t === "boolean") out[key] = true;
    else if (m.t === "integer") out[key] = m.min ?? 1;
    else if (m.t === "number") out[key] = 1.5;
    else if (m.l) out[key] = ["a", "b"];
    else out[key] = `v-${key}`;
  }
  return out;
}

describe("property strings: every format of the default schema", () => {
  const ids = Object.keys(propertyFormats);

  it("has the 18 named formats and the inline ones", () => {
    for (const named of ["pve-vm-cpu-conf", "pve-qm-hostpci", "pve-qm-boot", "pve-qm-ide", "pve-qm-ipconfig", "prune-backups", "pve-sdn-dhcp-range"]) {
      expect(ids).toContain(named);
    }
    expect(ids.length).toBeGreaterThan(60);
  });

  it.each(Object.keys(propertyFormats))("%s round-trips (stringify → parse)", (id) => {
    const codec = propertyStrings[id as keyof typeof propertyStrings] as unknown as PropertyStringCodec<Record<string, unknown>>;
    const value = sample(codec.format);
    const text = codec.stringify(value);
    expect(codec.parse(text)).toEqual(value);
    // and the text is stable: printing the parsed value gives the same text
    expect(codec.stringify(codec.parse(text))).toBe(text);
  });
});

describe("property strings: PVE's conventions", () => {
  const net = propertyStrings["qemu-net"];

  it("reads the <model>=<mac> shorthand (keyAlias) and prints it back", () => {
    const text = "virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1";
    const parsed = net.parse(text);
    expect(parsed).toEqual({ model: "virtio", macaddr: "BC:24:11:00:00:01", bridge: "vmbr0", firewall: true });
    expect(net.stringify(parsed)).toBe(text);
  });

  it("takes the default key without key= (model, volume)", () => {
    expect(net.parse("e1000,bridge=vmbr1")).toEqual({ model: "e1000", bridge: "vmbr1" });
    expect(net.stringify({ model: "e1000", bridge: "vmbr1" })).toBe("e1000,bridge=vmbr1");
    const scsi = propertyStrings["qemu-scsi"];
    expect(scsi.parse("local-lvm:vm-100-disk-0,size=32G,ssd=1")).toMatchObject({ file: "local-lvm:vm-100-disk-0", size: "32G", ssd: true });
  });

  it("maps an alias key to its target (agent: freeze-fs-on-backup and guest-fsfreeze → freeze-fs in 9.2)", () => {
    const agent = propertyStrings["qemu-agent"];
    expect(agent.parse("1,freeze-fs-on-backup=0")).toEqual({ enabled: true, "freeze-fs": false });
    expect(agent.parse("1,guest-fsfreeze=1")).toEqual({ enabled: true, "freeze-fs": true });
    expect(agent.stringify({ enabled: true, "freeze-fs": false })).toBe("1,freeze-fs=0");
  });

  it("splits -list sub-keys on ';' (boot order)", () => {
    const boot = propertyStrings["pve-qm-boot"];
    expect(boot.parse("order=scsi0;net0")).toEqual({ order: ["scsi0", "net0"] });
    expect(boot.stringify({ order: ["scsi0", "ide2"] })).toBe("order=scsi0;ide2");
  });

  it("accepts on/off/yes/no for booleans and passes a raw string through stringify", () => {
    expect(net.parse("virtio,firewall=on,link_down=no")).toMatchObject({ firewall: true, link_down: false });
    expect(net.stringify("virtio,bridge=vmbr0")).toBe("virtio,bridge=vmbr0");
  });

  it("quotes values that contain a comma", () => {
    const fmt: PropertyFormatMeta = { keys: { name: { t: "string" }, note: { t: "string" } } };
    const text = stringifyPropertyString(fmt, { name: "a", note: 'x,y "z"' });
    expect(text).toBe('name=a,note="x,y \\"z\\""');
    expect(parsePropertyString(fmt, text)).toEqual({ name: "a", note: 'x,y "z"' });
  });

  it.each([
    ["a duplicate key", "virtio,model=e1000", /duplicate key "model"/],
    ["a bad boolean", "virtio,firewall=maybe", /firewall: expected a boolean/],
    ["a bad number", "virtio,mtu=big", /mtu: expected a number/],
    ["an unterminated quote", 'virtio,bridge="vmbr0', /unterminated quote/],
  ])("rejects %s with a PropertyStringError naming it", (_n, text, msg) => {
    expect(() => net.parse(text)).toThrowError(PropertyStringError);
    expect(() => net.parse(text)).toThrowError(msg);
  });

  it("refuses a value without key when the format has no default key", () => {
    expect(() => parsePropertyString({ keys: { a: { t: "string" } } }, "lonely")).toThrowError(/value without a key: "lonely"/);
  });
});
