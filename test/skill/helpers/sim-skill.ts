import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PveClient } from "../../../src/runtime/client";
import { skillClientFor } from "../../../src/skill/connect";
import { MemoryAuditLog } from "../../../src/skill/policy/audit-log";
import { ConfirmTokens } from "../../../src/skill/policy/confirm-tokens";
import { MemoryUsedTokenStore } from "../../../src/skill/policy/used-token-store";
import { PveSkill } from "../../../src/skill/pve-skill";
import { resolveSkillSettings, type SkillSettingsOverrides } from "../../../src/skill/settings";
import { Simulator, type SimulatorOptions } from "../../../src/testing/simulator";

/** A simulator served over HTTPS on 127.0.0.1, and a skill connected to it (instant tasks, in-memory audit and tokens). */
export interface SimSkill {
  sim: Simulator;
  url: string;
  fingerprint: string;
  pve: PveClient;
  audit: MemoryAuditLog;
  /** Every POST/PUT/DELETE the skills sent (`"POST /nodes/{node}/qemu"` with the path as given); tests clear it. */
  writes: string[];
  /** A skill in `mode` with these settings; shares the client, audit log and tokens. */
  skill(overrides?: SkillSettingsOverrides, opts?: { now?: () => Date }): PveSkill;
  /** Environment for running the CLI against this simulator. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  stateDir: string;
  close(): Promise<void>;
}

export async function startSimSkill(options: SimulatorOptions = {}, clientOptions: { virtualClock?: boolean } = {}): Promise<SimSkill> {
  const sim = new Simulator({ clock: { mode: "instant" }, ...options });
  const server = await sim.listen({ port: 0 });
  const pve = new PveClient({
    baseUrl: server.url,
    auth: { tokenId: sim.credentials.token.tokenId, secret: sim.credentials.token.secret },
    tls: { fingerprint: server.fingerprint },
    // task waits sleep by advancing the simulator's time instead of real time
    ...(clientOptions.virtualClock ? { clock: sim.clientClock } : {}),
  });
  const audit = new MemoryAuditLog();
  const writes: string[] = [];
  const base = skillClientFor(pve);
  const client: typeof base = {
    ...base,
    request: (verb, path, params) => {
      if (verb !== "GET") writes.push(`${verb} ${path}`);
      return base.request(verb, path, params);
    },
  };
  const key = Buffer.alloc(32, 7);
  const store = new MemoryUsedTokenStore();
  const stateDir = mkdtempSync(join(tmpdir(), "pvekit-skill-test-"));
  return {
    sim,
    url: server.url,
    fingerprint: server.fingerprint,
    pve,
    audit,
    writes,
    stateDir,
    skill(overrides = {}, opts = {}) {
      const settings = resolveSkillSettings({ stateDir, auditLog: false, ...overrides }, {});
      const now = opts.now ?? (() => new Date());
      return new PveSkill({
        client,
        settings,
        audit,
        tokens: new ConfirmTokens({ key, store, ttlMs: settings.confirmTtlMs, now: () => now().getTime() }),
        connection: { baseUrl: pve.baseUrl, auth: "token", identity: sim.credentials.token.tokenId, tls: "fingerprint" },
        now,
      });
    },
    env(extra = {}) {
      return {
        PATH: process.env.PATH,
        HOME: stateDir,
        PROXMOX_HOST: server.url,
        PROXMOX_FINGERPRINT: server.fingerprint,
        PROXMOX_TOKEN_ID: sim.credentials.token.tokenId,
        PROXMOX_TOKEN_SECRET: sim.credentials.token.secret,
        PVEKIT_STATE_DIR: stateDir,
        NO_COLOR: "1",
        ...extra,
      };
    },
    async close() {
      await pve.close();
      await server.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
