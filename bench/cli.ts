import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "tsup";
import { median } from "./stats";

// The CLI as an agent runs it: one fresh `pvekit` process per step, wall time from spawn to exit,
// side by side with a bare `node -e 0` (and curl making the same request, when installed).

const root = join(import.meta.dirname, "..");
const bin = join(root, "bin", "pvekit.mjs");

export interface CliResult {
  /** median wall ms by command name */
  wallMs: Record<string, number>;
  runs: number;
  /** the read command's output (to check it answered) */
  guests: number;
}

interface Sim {
  listen(o: { port: number }): Promise<{ url: string; fingerprint: string; close(): Promise<void> }>;
  credentials: { token: { tokenId: string; secret: string } };
}

/** Runs a command to its end without blocking this process (the simulator answering the CLI lives here). */
function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => (status === 0 ? resolve({ ms: performance.now() - t0, stdout }) : reject(new Error(`${cmd} ${args.join(" ")} exited ${status}: ${stderr}`))));
  });
}

/** The built simulator on HTTPS and the environment a CLI process needs to reach it (own HOME: no config file). */
export async function startCliSim(): Promise<{ env: NodeJS.ProcessEnv; url: string; auth: string; close(): Promise<void> }> {
  const testing = (await import(pathToFileURL(join(root, "dist", "testing", "index.js")).href)) as { createSimulator(): Sim };
  const sim = testing.createSimulator();
  const server = await sim.listen({ port: 0 });
  const home = mkdtempSync(join(tmpdir(), "pvekit-bench-cli-"));
  const { tokenId, secret } = sim.credentials.token;
  return {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, ".config"),
      PROXMOX_HOST: server.url,
      PROXMOX_FINGERPRINT: server.fingerprint,
      PROXMOX_TOKEN_ID: tokenId,
      PROXMOX_TOKEN_SECRET: secret,
      PVEKIT_AUDIT_LOG: join(home, "audit.log"),
    },
    url: server.url,
    auth: `Authorization: PVEAPIToken=${tokenId}=${secret}`,
    close: async () => {
      await server.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * `node -e 0`, `pvekit --version`, `pvekit --help` and `pvekit guests --json` (HTTPS to the built
 * simulator, certificate pinned, API token), and curl making the same request: one warm-up each (disk
 * cache), then `runs` interleaved rounds; medians.
 */
export async function measureCli(sim: { env: NodeJS.ProcessEnv; url: string; auth: string }, runs = 15): Promise<CliResult> {
  const floorDir = join(import.meta.dirname, ".tmp", "cli-floor");
  await build({ entry: { floor: join(import.meta.dirname, "cli-floor.ts") }, outDir: floorDir, format: "esm", platform: "node", target: "node20", bundle: true, noExternal: [/.*/], splitting: false, silent: true, config: false, banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });
  const commands: [string, string, string[]][] = [
    ["node -e 0", process.execPath, ["-e", "0"]],
    ["floor", process.execPath, [join(floorDir, "floor.js"), "--json"]],
    ["pvekit --version", process.execPath, [bin, "--version"]],
    ["pvekit --help", process.execPath, [bin, "--help"]],
    ["pvekit guests --json", process.execPath, [bin, "guests", "--json"]],
  ];
  if (spawnSync("curl", ["--version"]).status === 0) commands.push(["curl", "curl", ["-sfk", "-H", sim.auth, `${sim.url}/api2/json/cluster/resources?type=vm`]]);
  const samples = new Map<string, number[]>(commands.map(([n]) => [n, []]));
  let guests = 0;
  for (const [, cmd, args] of commands) await timed(cmd, args, sim.env);
  for (let i = 0; i < runs; i++) {
    for (const [name, cmd, args] of commands) {
      const r = await timed(cmd, args, sim.env);
      samples.get(name)?.push(r.ms);
      if (name === "pvekit guests --json") guests = (JSON.parse(r.stdout) as unknown[]).length;
    }
  }
  return { wallMs: Object.fromEntries([...samples].map(([n, s]) => [n, median(s)])), runs, guests };
}
