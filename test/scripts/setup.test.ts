import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedApidocDir } from "../../codegen/provision";
import { createSimulator, type SimServer } from "../../src/testing";

/**
 * The set-up as a user meets it, in a temporary clone of this checkout that has no ../shared beside
 * it (every user's clone): `npm ci`'s set-up step fails saying how to get a schema, `pvekit schema pull`
 * works before any code is generated, the set-up then generates from the pulled schema (named formats
 * typed without ../shared), and after `npm run codegen -- --schema <8.4> && npm run build` a later
 * `npm run setup` puts back bindings and dist/ that match schema/apidoc.json.
 */
const ROOT = resolve(new URL("../../", import.meta.url).pathname);
const SHARED = sharedApidocDir();

interface Ran {
  status: number | null;
  out: string;
}

/** Runs a command without blocking this process (the simulator answers from it). */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", fail);
    child.on("close", (status) => done({ status, out }));
  });
}

/** A copy of the checkout's files (what `git clone` would give, plus uncommitted edits), sharing node_modules. */
async function cloneCheckout(into: string): Promise<void> {
  const files = spawnSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" }).stdout.split("\0").filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue; // deleted in the work tree
    await mkdir(dirname(join(into, f)), { recursive: true });
    await cp(join(ROOT, f), join(into, f));
  }
  // node_modules: the packages linked, .bin a real folder (the set-up adds pvekit to it)
  await mkdir(join(into, "node_modules", ".bin"), { recursive: true });
  for (const name of await readdir(join(ROOT, "node_modules"))) {
    if (name !== ".bin") await symlink(join(ROOT, "node_modules", name), join(into, "node_modules", name));
  }
  for (const name of await readdir(join(ROOT, "node_modules", ".bin"))) {
    if (name === "pvekit") continue;
    const target = await readlink(join(ROOT, "node_modules", ".bin", name));
    await symlink(resolve(join(ROOT, "node_modules", ".bin"), target), join(into, "node_modules", ".bin", name));
  }
}

describe("set-up in a clone without ../shared", () => {
  let tmp: string;
  let clone: string;
  let env: NodeJS.ProcessEnv;
  const sim = createSimulator({ schemaPath: join(SHARED, "pve-9.0.json") });
  let server: SimServer;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), "pvekit-clone-"));
    clone = join(tmp, "pvekit");
    await cloneCheckout(clone);
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PROXMOX_|PVE_|PVEKIT_|npm_)/.test(k)));
    env.HOME = tmp;
    env.PVEKIT_SHARED_APIDOC = join(tmp, "shared", "pve-apidoc"); // does not exist: no ../shared
    sim.state.version = { version: "9.0.6", release: "9.0", repoid: "49c767b7" };
    server = await sim.listen({ port: 0 });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it("npm ci's set-up step fails saying exactly how to get a schema", async () => {
    const r = await run("node", ["scripts/setup.mjs"], clone, env);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain("no PVE API schema found");
    expect(r.out).toContain("PVEKIT_SCHEMA=/path/to/apidoc.json npm run setup");
    expect(r.out).toContain("PVEKIT_SCHEMA=https://pve1.example:8006 PVEKIT_SCHEMA_FINGERPRINT=");
    expect(existsSync(join(clone, "src", "generated"))).toBe(false);
    // the project's bin is linked already, so the next step works
    expect(existsSync(join(clone, "node_modules", ".bin", "pvekit"))).toBe(true);
  }, 120_000);

  it("pvekit schema pull works before any code is generated, and never overwrites schema/apidoc.json unless asked", async () => {
    const args = ["node_modules/.bin/pvekit", "schema", "pull", server.url, "--fingerprint", server.fingerprint, "--pve-version", "9.0.6"];
    const first = await run("node", args, clone, env);
    expect(first.out).toContain("Wrote schema/apidoc.json and schema/apidoc.meta.json");
    expect(first.status).toBe(0);
    const again = await run("node", args, clone, env);
    expect(again.status).toBe(2);
    expect(again.out).toContain("schema/apidoc.json exists");
    expect(again.out).toContain("--force");
    const forced = await run("node", [...args, "--force"], clone, env);
    expect(forced.status).toBe(0);
  }, 120_000);

  it("npm run setup generates from the pulled schema and types the named formats as objects", async () => {
    const r = await run("node", ["scripts/setup.mjs", "--no-build"], clone, env);
    expect(r.out).toContain("pvekit codegen: PVE 9.0.6");
    expect(r.status).toBe(0);
    const formats = await readFile(join(clone, "src", "generated", "formats.ts"), "utf8");
    for (const t of ["PveVmCpuConf", "PveQmBoot", "PveQmIpconfig", "PveQmHostpci", "PveQmSmbios1", "PveQmWatchdog"]) {
      expect(formats).toContain(`export interface ${t} {`);
    }
    expect(await readFile(join(clone, "src", "generated", "types.ts"), "utf8")).toMatch(/cpu\?: string \| PveVmCpuConf;/);
  }, 300_000);

  it("after npm run codegen -- --schema <8.4> && npm run build, npm run setup puts back what schema/apidoc.json says", async () => {
    const codegen = await run("npm", ["run", "codegen", "--", "--schema", join(SHARED, "pve-8.4-final.json")], clone, env);
    expect(codegen.status).toBe(0);
    const build = await run("npm", ["run", "build"], clone, env);
    expect(build.status).toBe(0);
    const built = async () => {
      const js = (await readdir(join(clone, "dist"))).filter((f) => f.endsWith(".js"));
      return (await Promise.all(js.map((f) => readFile(join(clone, "dist", f), "utf8")))).join("\n");
    };
    expect(await built()).toMatch(/pveVersion: "8\.4"|"pveVersion":"8\.4"/);

    const setup = await run("npm", ["run", "setup"], clone, env);
    expect(setup.status).toBe(0);
    expect(setup.out).not.toContain("src/generated is up to date");
    expect(setup.out).not.toContain("dist/ is up to date");
    expect(await readFile(join(clone, "src", "generated", "schema-info.ts"), "utf8")).toContain('pveVersion: "9.0.6"');
    expect(await built()).toMatch(/pveVersion: "9\.0\.6"|"pveVersion":"9\.0\.6"/);

    // and now it is up to date
    const again = await run("npm", ["run", "setup"], clone, env);
    expect(again.out).toContain("src/generated is up to date");
    expect(again.out).toContain("dist/ is up to date");
  }, 600_000);
});
