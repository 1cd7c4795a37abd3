import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NAMED_FORMATS } from "../../codegen/data/named-formats";
import { builtinFormatDefs } from "../../codegen/formats-defs";
import { generate } from "../../codegen/generate";
import { toMeta } from "../../codegen/emit/meta";
import { parsePropertyString, stringifyPropertyString } from "../../codegen/templates/property-string";
import type { PropertyFormatMeta } from "../../src/generated/meta-types";
import { SHARED } from "./helpers";

/**
 * The project's own named-format definitions (codegen/data/named-formats.ts): a generation with no
 * ../shared definitions file (a schema pulled from a host, in any clone) still types the named
 * property strings as objects.
 */
describe("named formats without ../shared", async () => {
  const result = await generate({ schema: join(SHARED, "pve-9.2.11.json") }); // no `formats`: the project's data only
  const model = result.model;
  const meta = (id: string): PropertyFormatMeta => {
    const f = model.formats.find((x) => x.id === id)!;
    return { keys: Object.fromEntries(Object.entries(f.keys).map(([k, v]) => [k, toMeta(v, true)])) } as unknown as PropertyFormatMeta;
  };

  it("defines every named format the 9.2.11 schema references (none left as plain strings)", () => {
    expect(model.formats.filter((f) => f.named).map((f) => f.id)).toEqual(Object.keys(NAMED_FORMATS).sort());
    expect(model.undefinedFormats).not.toEqual(expect.arrayContaining(["pve-vm-cpu-conf", "pve-qm-boot", "pve-qm-ide"]));
    expect(result.files["formats.ts"]).toContain("export interface PveVmCpuConf {");
  });

  it("types cpu, boot, ipconfig[n], hostpci[n], smbios1, watchdog, cdrom as objects in create-VM arguments", () => {
    const types = result.files["types.ts"]!;
    const create = types.slice(types.indexOf("export type PostNodesByNodeQemuArgs"), types.indexOf("export type PostNodesByNodeQemuParams"));
    expect(create.length).toBeGreaterThan(1000);
    for (const [name, type] of [
      ["cpu", "PveVmCpuConf"],
      ["boot", "PveQmBoot"],
      ["smbios1", "PveQmSmbios1"],
      ["watchdog", "PveQmWatchdog"],
      ["cicustom", "PveQmCicustom"],
      ["rng0", "PveQmRng"],
      ["cdrom", "PveQmIde"],
    ]) {
      expect(create, name).toMatch(new RegExp(`\\b${name}\\?: string \\| ${type};`));
    }
    for (const [kind, type] of [
      ["ipconfig", "PveQmIpconfig"],
      ["hostpci", "PveQmHostpci"],
    ]) {
      expect(create, kind).toMatch(new RegExp(`IndexedOptions<"${kind}", Index\\d+, string \\| ${type}>`));
    }
  });

  // One property string per format, as PVE writes them in guest configs and options; each parses into
  // the keys PVE documents and prints back the same text.
  const samples: Record<string, [string, Record<string, unknown>]> = {
    "backup-fleecing": ["1,storage=local-lvm", { enabled: true, storage: "local-lvm" }],
    "backup-performance": ["max-workers=8,pbs-entries-max=2000000", { "max-workers": 8, "pbs-entries-max": 2000000 }],
    "proxmox-remote": ["host=pve2.example,port=8006,apitoken=PVEAPIToken=root@pam!mig=x", { host: "pve2.example", port: 8006, apitoken: "PVEAPIToken=root@pam!mig=x" }],
    "prune-backups": ["keep-daily=7,keep-last=3", { "keep-daily": 7, "keep-last": 3 }],
    "pve-qemu-sev-fmt": ["type=snp,allow-smt=1", { type: "snp", "allow-smt": true }],
    "pve-qemu-tdx-fmt": ["type=tdx", { type: "tdx" }],
    "pve-qm-boot": ["order=scsi0;net0", { order: ["scsi0", "net0"] }], // a -list format: parsed into its items
    "pve-qm-cicustom": ["user=local:snippets/user.yaml", { user: "local:snippets/user.yaml" }],
    "pve-qm-hostpci": ["0000:01:00.0,pcie=1,x-vga=1", { host: "0000:01:00.0", pcie: true, "x-vga": true }],
    "pve-qm-ide": ["local-lvm:vm-100-disk-0,cache=writeback,size=32G,ssd=1", { file: "local-lvm:vm-100-disk-0", cache: "writeback", size: "32G", ssd: true }],
    "pve-qm-ipconfig": ["ip=192.0.2.10/24,gw=192.0.2.1", { ip: "192.0.2.10/24", gw: "192.0.2.1" }],
    "pve-qm-rng": ["source=/dev/urandom,max_bytes=1024,period=1000", { source: "/dev/urandom", max_bytes: 1024, period: 1000 }],
    "pve-qm-smbios1": ["uuid=5b0f8b3e-4e4c-4c2a-9a0d-6f1c2b3a4d5e", { uuid: "5b0f8b3e-4e4c-4c2a-9a0d-6f1c2b3a4d5e" }],
    "pve-qm-watchdog": ["i6300esb,action=reset", { model: "i6300esb", action: "reset" }],
    "pve-sdn-dhcp-range": ["start-address=10.0.0.100,end-address=10.0.0.200", { "start-address": "10.0.0.100", "end-address": "10.0.0.200" }],
    "pve-tfa-config": ["type=oath,digits=6,step=30", { type: "oath", digits: 6, step: 30 }],
    "pve-vm-cpu-conf": ["host,flags=+aes;-pcid,hidden=1", { cputype: "host", flags: "+aes;-pcid", hidden: true }],
    "realm-sync-options": ["scope=users,enable-new=1,remove-vanished=acl;entry", { scope: "users", "enable-new": true, "remove-vanished": "acl;entry" }],
  };

  it("has a sample for every format (each row of the data is exercised)", () => {
    expect(Object.keys(samples).sort()).toEqual(Object.keys(NAMED_FORMATS).sort());
  });

  for (const [id, [text, value]] of Object.entries(samples)) {
    it(`${id}: parses "${text}"`, () => {
      const parsed = parsePropertyString(meta(id), text);
      const normalise = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === 1 ? true : v === 0 ? false : v]));
      expect(normalise(parsed)).toEqual(normalise(value));
      expect(parsePropertyString(meta(id), stringifyPropertyString(meta(id), parsed))).toEqual(parsed);
    });
  }

  it("every definition normalises to typed keys (no key left as `any`)", () => {
    for (const [id, keys] of Object.entries(builtinFormatDefs())) {
      for (const [k, s] of Object.entries(keys)) {
        if (NAMED_FORMATS[id]![k]!.alias) continue;
        expect(s.type, `${id}.${k}`).not.toBe("any");
      }
    }
  });
});
