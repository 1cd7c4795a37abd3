import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cjsProbe, consumerTsconfig, esmProbe, typedConsumer, typedMswConsumer, withoutMswProbe } from "./consumer-sources";
import { cleanEnv, describeRun, runCommand } from "./run-command";

// The package as users get it: `npm pack` of the built dist/ (made by `npm ci` / `npm run setup`),
// checked by publint and arethetypeswrong, then installed from the tarball, offline, into an empty
// project with msw and into one without (msw is pvekit/testing's optional peer), where `import`,
// `require`, the bin and a type-check of every entry point (skipLibCheck off) must work.
const root = join(import.meta.dirname, "..", "..");
const bin = (name: string): string => join(root, "node_modules", ".bin", name);
const ENTRIES = ["index", "skill/index", "testing/index"] as const;

let work: string;
let tarball: string;
let packedFiles: string[];

beforeAll(async () => {
  const missing = ENTRIES.flatMap((e) => [`dist/${e}.js`, `dist/${e}.cjs`, `dist/${e}.d.ts`, `dist/${e}.d.cts`]).filter((f) => !existsSync(join(root, f)));
  if (missing.length) throw new Error(`the build is missing ${missing.join(", ")}: run \`npm run setup\` (or \`npm run build\`) first`);
  work = mkdtempSync(join(tmpdir(), "pvekit-pack-"));
  // with its scripts, as a publish packs (prepack strips the published package.json's scripts), but
  // PVEKIT_SETUP=skip: the set-up would rebuild dist/ under other tests' feet; this checks the build that exists
  const r = await runCommand("npm", ["pack", "--json", "--pack-destination", work], { cwd: root, env: cleanEnv({ PVEKIT_SETUP: "skip" }) });
  expect(r.status, describeRun("npm pack", r)).toBe(0);
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  if (!info) throw new Error(`npm pack printed no package: ${r.stdout}`);
  tarball = join(work, info.filename);
  packedFiles = info.files.map((f) => f.path);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the tarball holds what users need and nothing else (no sources, tests, schema data)", () => {
  for (const f of ["package.json", "README.md", "LICENSE", "NOTICE", "SKILL.md", "bin/pvekit.mjs", "dist/cli/pvekit.js"]) expect(packedFiles).toContain(f);
  for (const e of ENTRIES) for (const ext of [".js", ".cjs", ".d.ts", ".d.cts"]) expect(packedFiles).toContain(`dist/${e}${ext}`);
  const stray = packedFiles.filter((f) => !/^(dist|bin)\//.test(f) && !["package.json", "README.md", "LICENSE", "NOTICE", "SKILL.md"].includes(f));
  expect(stray).toEqual([]);
  expect(packedFiles.filter((f) => /apidoc|\.test\.|\.inputs-sha256|\.tgz$|\.map$/.test(f))).toEqual([]);
});

test("the published package.json has no scripts (they need files that are not shipped); the checkout's keeps them", async () => {
  const r = await runCommand("tar", ["-xOzf", tarball, "package/package.json"], { cwd: work });
  expect(r.status, describeRun("tar", r)).toBe(0);
  const published = JSON.parse(r.stdout) as Record<string, unknown>;
  expect(published.scripts).toBeUndefined();
  expect(published.bin).toEqual({ pvekit: "./bin/pvekit.mjs" });
  const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
  expect(own.scripts.prepare).toBe("node scripts/setup.mjs");
  expect(existsSync(join(root, "node_modules", ".pvekit-package.json"))).toBe(false);
});

test("publint --strict finds nothing", async () => {
  const r = await runCommand(bin("publint"), ["run", "--strict", tarball], { cwd: work });
  expect(r.status, describeRun("publint", r)).toBe(0);
  expect(r.stdout).toContain("All good");
});

test("arethetypeswrong finds no problem, and every entry resolves to types in every resolution mode", async () => {
  const r = await runCommand(bin("attw"), [tarball, "--format", "json"], { cwd: work });
  expect(r.status, describeRun("attw", r)).toBe(0);
  const report = JSON.parse(r.stdout) as {
    problems: Record<string, unknown> | unknown[];
    analysis: { entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }> };
  };
  expect(Object.keys(report.problems)).toEqual([]);
  const entrypoints = report.analysis.entrypoints;
  expect(Object.keys(entrypoints)).toEqual(expect.arrayContaining([".", "./skill", "./testing"]));
  for (const sub of [".", "./skill", "./testing"]) {
    const byMode = Object.fromEntries(Object.entries(entrypoints[sub]?.resolutions ?? {}).map(([mode, r]) => [mode, r.resolution?.fileName]));
    // require gets CommonJS declarations, import gets ESM ones
    expect(byMode["node16-cjs"]).toMatch(/\.d\.cts$/);
    expect(byMode["node16-esm"]).toMatch(/\.d\.ts$/);
    expect(byMode.bundler).toMatch(/\.d\.ts$/);
    expect(byMode.node10).toMatch(/\.d\.c?ts$/);
  }
});

describe("installed into an empty project", () => {
  let app: string;
  const mswVersion = (JSON.parse(readFileSync(join(root, "node_modules", "msw", "package.json"), "utf8")) as { version: string }).version;

  beforeAll(async () => {
    app = join(work, "app");
    mkdirSync(join(app, "src"), { recursive: true });
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }));
    // msw is pvekit/testing's optional peer: a consumer of the simulator installs it; the cache from
    // this project's own install makes this fast
    const r = await runCommand("npm", ["install", "--prefix", app, "--prefer-offline", "--no-audit", "--no-fund", tarball, `msw@${mswVersion}`], { cwd: app });
    expect(r.status, describeRun("npm install", r)).toBe(0);
    // no lifecycle script to approve or run (npm 11: "install-scripts not yet covered by allowScripts")
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/pvekit@[^\n]*(prepare|install)/);
  }, 180_000);

  test("import and require load all three entries with the same exports, and a call through the simulator works", async () => {
    writeFileSync(join(app, "probe.mjs"), esmProbe);
    writeFileSync(join(app, "probe.cjs"), cjsProbe);
    const esm = await runCommand(process.execPath, ["probe.mjs"], { cwd: app });
    expect(esm.status, describeRun("node probe.mjs", esm)).toBe(0);
    const cjs = await runCommand(process.execPath, ["probe.cjs"], { cwd: app });
    expect(cjs.status, describeRun("node probe.cjs", cjs)).toBe(0);
    const fromImport = JSON.parse(esm.stdout) as Record<string, unknown>;
    const fromRequire = JSON.parse(cjs.stdout) as Record<string, unknown>;
    expect(fromImport).toEqual(fromRequire);
    expect(fromImport).toMatchObject({ version: "string", viaMsw: "string", skillClass: "function" });
    expect(fromImport.core).toEqual(expect.arrayContaining(["PveClient", "PveError", "parseUpid", "TaskFailedError"]));
    expect(fromImport.testing).toEqual(expect.arrayContaining(["createSimulator", "createMswHandlers"]));
  }, 60_000);

  test("a tsc type-check (skipLibCheck off) of all three entries passes from ESM (.mts) and CommonJS (.cts)", async () => {
    writeFileSync(join(app, "tsconfig.json"), consumerTsconfig(join(root, "node_modules", "@types")));
    // msw's types as an ESM program sees them (the declarations name msw with resolution-mode "import"):
    // a CommonJS program under node16 resolution would get msw's CommonJS classes for setupServer
    writeFileSync(join(app, "src", "consumer.mts"), typedMswConsumer);
    writeFileSync(join(app, "src", "consumer.cts"), typedConsumer);
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const r = await runCommand(process.execPath, [tsc, "-p", "tsconfig.json", "--pretty", "false", "--listFiles"], { cwd: app });
    expect(r.status, describeRun("tsc", r)).toBe(0);
    // the declarations came from the installed package, .d.ts for import and .d.cts for require
    for (const e of ENTRIES) {
      expect(r.stdout).toContain(join(app, "node_modules", "pvekit", "dist", `${e}.d.ts`));
      expect(r.stdout).toContain(join(app, "node_modules", "pvekit", "dist", `${e}.d.cts`));
    }
  }, 120_000);

  test("the pvekit bin runs", async () => {
    const r = await runCommand(join(app, "node_modules", ".bin", "pvekit"), ["--help"], { cwd: app });
    expect(r.status, describeRun("pvekit --help", r)).toBe(0);
    expect(r.stdout).toMatch(/Usage: pvekit/);
  }, 60_000);
});

describe("installed without msw (pvekit/testing's optional peer)", () => {
  let app: string;

  beforeAll(async () => {
    app = join(work, "app-without-msw");
    mkdirSync(join(app, "src"), { recursive: true });
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer-without-msw", private: true, version: "1.0.0" }));
    // offline: only the tarball and its dependencies, which this project's own install put in npm's cache
    const r = await runCommand("npm", ["install", "--prefix", app, "--offline", "--no-audit", "--no-fund", tarball], { cwd: app });
    expect(r.status, describeRun("npm install", r)).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/pvekit@[^\n]*(prepare|install)/);
    // npm does not install an optional peer; @fastify/busboy (the simulator's upload parser) is a dependency
    expect(existsSync(join(app, "node_modules", "msw"))).toBe(false);
    expect(existsSync(join(app, "node_modules", "@fastify", "busboy", "package.json"))).toBe(true);
  }, 180_000);

  test("all three entries load; the simulator serves reads and uploads over HTTPS; only sim.handlers asks for msw", async () => {
    writeFileSync(join(app, "no-msw.mjs"), withoutMswProbe);
    const r = await runCommand(process.execPath, ["no-msw.mjs"], { cwd: app });
    expect(r.status, describeRun("node no-msw.mjs", r)).toBe(0);
    const out = JSON.parse(r.stdout) as { loaded: string[]; version: string; upload: string; handlersError: string };
    expect(out.loaded).toEqual(["function", "function", "function", "number", "number", "number"]);
    expect(out.version).toBe("string");
    expect(out.upload).toBe("imgcopy");
    expect(out.handlersError).toMatch(/msw, an optional peer dependency: npm install --save-dev msw/);
  }, 60_000);

  test("a tsc type-check (skipLibCheck off) of all three entries passes from ESM (.mts) and CommonJS (.cts)", async () => {
    writeFileSync(join(app, "tsconfig.json"), consumerTsconfig(join(root, "node_modules", "@types")));
    writeFileSync(join(app, "src", "consumer.mts"), typedConsumer);
    writeFileSync(join(app, "src", "consumer.cts"), typedConsumer);
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const r = await runCommand(process.execPath, [tsc, "-p", "tsconfig.json", "--pretty", "false", "--listFiles"], { cwd: app });
    expect(r.status, describeRun("tsc", r)).toBe(0);
    for (const e of ENTRIES) expect(r.stdout).toContain(join(app, "node_modules", "pvekit", "dist", `${e}.d.ts`));
    expect(r.stdout).not.toMatch(/node_modules\/msw\//);
  }, 120_000);

  test("the pvekit bin runs", async () => {
    const r = await runCommand(join(app, "node_modules", ".bin", "pvekit"), ["--help"], { cwd: app });
    expect(r.status, describeRun("pvekit --help without msw", r)).toBe(0);
    expect(r.stdout).toMatch(/Usage: pvekit/);
  }, 60_000);
});
