// Files of the throw-away consumer project the tarball is installed into. Kept as strings (not
// .ts files) so the project's own type-check never picks them up.

/**
 * A consumer's tsconfig: Node's own resolution, so `import` resolves to .d.ts and `require` to .d.cts;
 * `skipLibCheck` off, so pvekit's own declarations are checked too (a missing optional peer shows there).
 */
export function consumerTsconfig(typeRoots: string): string {
  return JSON.stringify(
    {
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2022",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ["node"],
        typeRoots: [typeRoots],
      },
      include: ["src"],
    },
    null,
    2,
  );
}

/**
 * The same typed program for `import` (.mts) and `require` (.cts): every entry point, real
 * types (the @ts-expect-error lines fail when a type degrades to `any`).
 */
export const typedConsumer = `
import { PveClient, parseUpid, PveError, type Params, type Returns, type Upid } from "pvekit";
import { PveSkill, resolveSkillSettings, type SkillOutcome } from "pvekit/skill";
import { createSimulator, type SimServer } from "pvekit/testing";

const pve = new PveClient({ baseUrl: "pve1.example", auth: { tokenId: "ci@pve!ci", secret: "s" } });
export const vms: Promise<Returns<"GET", "/nodes/{node}/qemu">> = pve.api.nodes.$("pve1").qemu.$get();
export const started: Promise<Upid> = pve.api.nodes.$("pve1").qemu.$(100).status.start.$post();
export const create: Params<"POST", "/nodes/{node}/qemu"> = { node: "pve1", vmid: 100, net0: { model: "virtio", bridge: "vmbr0" } };
export const node: string = parseUpid("UPID:pve1:00001234:00005678:65000000:qmstart:100:root@pam:").node;
export const isPveError = (e: unknown): e is PveError => e instanceof PveError;
export const settings = resolveSkillSettings({ mode: "operator" });
export const skillClass: typeof PveSkill = PveSkill;
export type Outcome = SkillOutcome;
export const sim = createSimulator();
export const listening: Promise<SimServer> = sim.listen({ port: 0 });
// @ts-expect-error a status read takes no body: wrong verb/path pairs are rejected
export const bad: Params<"POST", "/nodes/{node}/qemu/{vmid}/status/current"> = {};
// @ts-expect-error net32 is past the end of the net0..net31 range
export const tooMany: Params<"POST", "/nodes/{node}/qemu"> = { node: "pve1", vmid: 100, net32: "virtio" };
`;

/** The typed program plus msw's face of the simulator: with msw installed, its handlers are msw's types. */
export const typedMswConsumer = `${typedConsumer}
import type { HttpHandler } from "msw";
import { setupServer } from "msw/node";
export const handlers: HttpHandler[] = sim.handlers;
export const server = setupServer(...sim.handlers);
// @ts-expect-error the handlers are msw's HttpHandler[], not any
export const notAny: number = sim.handlers;
`;

/** What the runtime checks print: the export names of each entry and one real call through the simulator. */
const probeBody = (load: string): string => `
${load}
const names = (m) => Object.keys(m).filter((k) => k !== "default" && k !== "__esModule").sort();
const sim = testing.createSimulator();
const server = await sim.listen({ port: 0 });
const token = sim.credentials.token;
const pve = new core.PveClient({ baseUrl: server.url, tls: { fingerprint: server.fingerprint }, auth: { tokenId: token.tokenId, secret: token.secret } });
const version = await pve.api.version.$get();
await pve.close();
await server.close();
// msw's face: the test's own msw (imported as ESM) runs the handlers pvekit/testing made
const { setupServer } = await import("msw/node");
const mswSim = testing.createSimulator({ baseUrl: "https://pve.test:8006" });
const msw = setupServer(...mswSim.handlers);
msw.listen({ onUnhandledRequest: "error" });
const viaMsw = await new core.PveClient({ baseUrl: "https://pve.test:8006", fetch: globalThis.fetch, auth: { tokenId: mswSim.credentials.token.tokenId, secret: mswSim.credentials.token.secret } }).api.version.$get();
msw.close();
console.log(JSON.stringify({
  core: names(core), skill: names(skill), testing: names(testing),
  version: typeof version.version, viaMsw: typeof viaMsw.version, skillClass: typeof skill.PveSkill,
}));
`;

/** `import` of all three entries (ESM). */
export const esmProbe = probeBody(`
const core = await import("pvekit");
const skill = await import("pvekit/skill");
const testing = await import("pvekit/testing");
`);

/** `require` of all three entries (CommonJS; the body runs in an async IIFE for its awaits). */
export const cjsProbe = `
const core = require("pvekit");
const skill = require("pvekit/skill");
const testing = require("pvekit/testing");
(async () => {${probeBody("")}})().catch((err) => { console.error(err); process.exit(1); });
`;

/**
 * Without msw (an optional peer): all three entries load by import and require; the simulator's
 * HTTPS face serves a read and a multipart upload (@fastify/busboy, a dependency, parses it); only
 * `sim.handlers` asks for msw.
 */
export const withoutMswProbe = `
const core = await import("pvekit");
const skill = await import("pvekit/skill");
const testing = await import("pvekit/testing");
const { createRequire } = await import("node:module");
const { Readable } = await import("node:stream");
const require = createRequire(import.meta.url);
const cjs = [require("pvekit"), require("pvekit/skill"), require("pvekit/testing")];
const sim = testing.createSimulator();
const server = await sim.listen({ port: 0 });
const token = sim.credentials.token;
const pve = new core.PveClient({ baseUrl: server.url, tls: { fingerprint: server.fingerprint }, auth: { tokenId: token.tokenId, secret: token.secret } });
const version = await pve.api.version.$get();
const upid = await pve.upload({ node: "pve1", storage: "local", content: "iso", file: { stream: Readable.from([Buffer.from("abc")]), size: 3 }, filename: "a.iso" });
await pve.close();
await server.close();
let handlersError = "";
try { sim.handlers; } catch (err) { handlersError = String(err && err.message); }
console.log(JSON.stringify({
  loaded: [core.PveClient, skill.PveSkill, testing.createSimulator, ...cjs.map((m) => Object.keys(m).length)].map((x) => typeof x),
  version: typeof version.version,
  upload: String(upid).split(":")[5],
  handlersError,
}));
`;
