import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Agent, request } from "undici";

// The three clients under test, each reduced to "read one guest's status" against the same server.
// pvekit is loaded from the built dist/ (what users run); module specifiers are held in variables so
// the project's own type-check does not pull in the 1.6 MB of published declarations.

export type PvekitModule = typeof import("../src/index");

/** The token every client sends (proxmox-api insists on a lowercase UUID secret). */
export const TOKEN = { tokenId: "bench@pve!bench", secret: "00000000-0000-4000-8000-000000000000" };

const root = join(import.meta.dirname, "..");

/** The built pvekit (`dist/index.js`); fails with the fix when the build is missing. */
export async function loadPvekit(): Promise<PvekitModule> {
  const file = join(root, "dist", "index.js");
  if (!existsSync(file)) throw new Error("dist/index.js is missing: run `npm run setup` (or `npm run build`) first");
  const spec = pathToFileURL(file).href;
  return (await import(spec)) as PvekitModule;
}

/** Reads `/nodes/pve1/qemu/{vmid}/status/current`; resolves to the guest's status string. */
export interface StatusClient {
  name: string;
  status(vmid: number): Promise<unknown>;
  close(): Promise<void>;
}

/** The server's certificate, for the TLS variants: pvekit pins its fingerprint, undici trusts it as a CA. */
export interface ServerTls {
  cert: string;
  fingerprint: string;
}

/** pvekit through its typed path tree (validation and return decoding on, as by default). */
export async function pvekitClient(origin: string, tls?: ServerTls): Promise<StatusClient & { pve: InstanceType<PvekitModule["PveClient"]> }> {
  const { PveClient } = await loadPvekit();
  const pve = tls
    ? new PveClient({ baseUrl: origin, auth: TOKEN, retry: false, tls: { fingerprint: tls.fingerprint } })
    : new PveClient({ baseUrl: origin, auth: TOKEN, retry: false, allowHttp: true });
  const node = pve.api.nodes.$("pve1");
  return {
    name: "pvekit",
    pve,
    status: async (vmid) => (await node.qemu.$(vmid).status.current.$get()).status,
    close: () => pve.close(),
  };
}

/**
 * Raw `undici.request` with a keep-alive agent: the floor any undici-based client stands on.
 * With `timeoutMs`, each request also gets an AbortController and timer, as a client with a
 * per-request deadline (pvekit's default 30 s timeout) needs.
 */
export function undiciClient(origin: string, timeoutMs?: number, tls?: ServerTls): StatusClient {
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, ...(tls ? { connect: { ca: tls.cert } } : {}) });
  const headers = { authorization: `PVEAPIToken=${TOKEN.tokenId}=${TOKEN.secret}` };
  const get = async (vmid: number, signal?: AbortSignal): Promise<unknown> => {
    const res = await request(`${origin}/api2/json/nodes/pve1/qemu/${vmid}/status/current`, { dispatcher, headers, signal });
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
    return ((await res.body.json()) as { data: { status: string } }).data.status;
  };
  if (timeoutMs === undefined) return { name: "undici.request", status: (vmid) => get(vmid), close: () => dispatcher.close() };
  return {
    name: "undici.request+timeout",
    status: async (vmid) => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        return await get(vmid, controller.signal);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => dispatcher.close(),
  };
}

/** The part of proxmox-api (npm) the benchmark uses. */
interface ProxmoxApiTree {
  nodes: { $(node: string): { qemu: { $(vmid: number): { status: { current: { $get(): Promise<{ status: string }> } } } } } };
}
type ProxmoxApiFactory = (opts: { host: string; port: number; schema: "http"; tokenID: string; tokenSecret: string }) => ProxmoxApiTree;

/** proxmox-api's path proxy (undici 6 fetch underneath) against the same server. */
export async function proxmoxApiClient(port: number): Promise<StatusClient> {
  const spec = "proxmox-api";
  const mod = (await import(spec)) as { default: ProxmoxApiFactory | { default: ProxmoxApiFactory } };
  const factory = typeof mod.default === "function" ? mod.default : mod.default.default;
  const api = factory({ host: "127.0.0.1", port, schema: "http", tokenID: TOKEN.tokenId, tokenSecret: TOKEN.secret });
  const node = api.nodes.$("pve1");
  return {
    name: "proxmox-api",
    status: async (vmid) => (await node.qemu.$(vmid).status.current.$get()).status,
    close: async () => {},
  };
}
