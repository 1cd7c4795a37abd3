import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, summary } from "../../codegen/generate";
import { SHARED } from "./helpers";

const ROOT = new URL("../../", import.meta.url).pathname;
const FORMATS = join(SHARED, "formats-9.1-proxmox-rs.json");
const LEGACY_TREE = [
  {
    path: "/nodes",
    text: "nodes",
    info: { GET: { name: "index", method: "GET", parameters: { additionalProperties: 0 }, returns: { type: "array", items: { type: "object", properties: {} } } } },
    children: [
      {
        path: "/nodes/{node}/openvz/{vmid}/status/start",
        text: "start",
        info: {
          POST: {
            name: "vm_start",
            method: "POST",
            protected: 1,
            proxyto: "node",
            parameters: { additionalProperties: 0, properties: { node: { type: "string", format: "pve-node" }, vmid: { type: "integer", format: "pve-vmid" } } },
            returns: { type: "string" },
          },
        },
      },
      {
        path: "/nodes/{node}/qemu",
        info: {
          POST: {
            name: "create_vm",
            parameters: { properties: { "net[n]": { type: "string", format: "pve-qm-net", typetext: "MODEL=XX:XX:XX:XX:XX:XX[,bridge=<dev>]" }, args: {}, cpu: { format: "pve-qm-cpu", optional: 1 } } },
          },
        },
      },
    ],
  },
  { path: "/version", info: { GET: { name: "version", returns: { type: "object" } } } },
];

const SCHEMAS = ["pve-7.4", "pve-8.4-final", "pve-9.0", "pve-9.1", "pve-9.2-pre", "pve-9.2.11"];

async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const path = join(e.parentPath, e.name);
      out[path.slice(dir.length + 1)] = await readFile(path, "utf8");
    }
  }
  return out;
}

describe("generate over every shared schema (7.4 … 9.2.11)", () => {
  let tmp: string;
  const summaries: Record<string, string> = {};
  beforeAll(async () => {
    // Inside the repo so the generated code resolves the same node_modules and tsconfig as src/.
    await mkdir(join(ROOT, ".tmp"), { recursive: true });
    tmp = await mkdtemp(join(ROOT, ".tmp", "gen-"));
    for (const name of SCHEMAS) {
      const r = await generate({ schema: join(SHARED, `${name}.json`), formats: FORMATS, out: join(tmp, name) });
      summaries[name] = summary(r);
    }
    // A PVE 4.x/5.x-style tree: no allowtoken (6.2+), no permissions, methods without returns or
    // parameters, properties without type, no named-format definitions at all.
    const legacy = join(tmp, "pve-4.4.json");
    await writeFile(legacy, JSON.stringify(LEGACY_TREE));
    summaries["pve-4.4"] = summary(await generate({ schema: legacy, out: join(tmp, "pve-4.4") }));
  }, 600_000);
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("accepts an old (4.x-style) tree", () => {
    expect(summaries["pve-4.4"]).toMatch(/PVE 4\.4 .*\n {2}methods: 4 \(1 return a task UPID\)/);
  });

  it("prints a summary with the version, methods and formats", () => {
    expect(summaries["pve-7.4"]).toMatch(/PVE 7\.4 from .*pve-7\.4\.json/);
    expect(summaries["pve-7.4"]).toMatch(/methods: 540 \(\d+ return a task UPID\)/);
    expect(summaries["pve-9.2.11"]).toMatch(/methods: 678 /);
    expect(summaries["pve-9.2.11"]).toMatch(/property-string formats: \d+ \(18 named, \d+ inline\)/);
    expect(summaries["pve-8.4-final"]).toMatch(/PVE 8\.4 /);
  });

  it("type-checks every output with tsc --strict, and request() rejects an unknown path on each one's bindings", async () => {
    // One probe per schema: the request() types over that schema's bindings; a path none of its methods
    // has must not compile (the @ts-expect-error lines fail the check when it does), a concrete one must.
    for (const name of [...SCHEMAS, "pve-4.4"]) {
      const typed = name === "pve-4.4"
        ? `const v = await request("GET", "/version");\n  void v;`
        : `const vms = await request("GET", "/nodes/pve1/qemu");\n  const first: number | undefined = vms[0]?.vmid;\n  void first;\n  void (await request("GET", "/nodes/{node}/qemu", { node: "pve1" }));`;
      await writeFile(
        join(tmp, name, "request-probe.ts"),
        `import type { RequestFn } from "../../../src/runtime/request-types";
import type { EndpointsByVerb, PathTree } from "./types";
declare const request: RequestFn<EndpointsByVerb, PathTree>;
export async function probe(): Promise<void> {
  // @ts-expect-error a path these bindings do not have
  void request("GET", "/no/such/path");
  // @ts-expect-error a typo in a segment
  void request("GET", "/nodes/pve1/qemuu");
  // @ts-expect-error a verb the path does not have
  void request("DELETE", "/version");
  ${typed}
}
`,
      );
    }
    const tsconfig = join(tmp, "tsconfig.json");
    await writeFile(tsconfig, JSON.stringify({ extends: join(ROOT, "tsconfig.json"), include: ["./*/**/*.ts"] }));
    const r = spawnSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", tsconfig, "--noEmit"], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 600_000);

  it("is deterministic: the same schema gives byte-identical files", async () => {
    const again = await generate({ schema: join(SHARED, "pve-7.4.json"), formats: FORMATS });
    const { "request-probe.ts": _probe, ...written } = await readTree(join(tmp, "pve-7.4"));
    expect(Object.keys(again.files).sort()).toEqual(Object.keys(written).sort());
    for (const [name, text] of Object.entries(again.files)) expect(text, name).toBe(written[name]);
  }, 120_000);

  it("leaves the previous output intact when the new schema is bad", async () => {
    const out = join(tmp, "pve-7.4");
    const before = await readTree(out);
    const bad = join(tmp, "bad.json");
    await writeFile(bad, '{"not": "a tree"}');
    await expect(generate({ schema: bad, out })).rejects.toThrowError(/not a PVE apidoc tree/);
    await expect(generate({ schema: "http://127.0.0.1:9/apidoc.js", out })).rejects.toThrowError(/cannot fetch schema/);
    expect(await readTree(out)).toEqual(before);
  });
});
