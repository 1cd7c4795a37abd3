import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createSelfSignedCert } from "../src/testing/self-signed-cert";

/**
 * A tiny PVE look-alike on 127.0.0.1 (plain HTTP, keep-alive) that every client in the benchmark
 * talks to: canned answers, so the numbers measure the clients and not a server's work.
 */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` (`https://` with `{ tls: true }`) */
  origin: string;
  /** with `{ tls: true }`: the self-signed certificate's PEM and SHA-256 fingerprint */
  tls?: { cert: string; fingerprint: string };
  port: number;
  /** answer delay for guest status reads (a real PVE takes milliseconds: it asks QEMU) */
  latencyMs: number;
  /** starts a task that stops (OK) after `durationMs`; returns its UPID */
  startTask(durationMs: number): string;
  /** status polls seen for a task, and when it stopped (performance.now()) */
  task(upid: string): { polls: number; endsAt: number };
  close(): Promise<void>;
}

const TOKEN_HEADER = /^PVEAPIToken=[^!]+@[^!]+![^=]+=.+$/;

/** A VM's `status/current` answer, shaped as PVE sends it (numbers, strings, nested objects). */
function guestStatus(vmid: number): string {
  return JSON.stringify({
    data: {
      vmid,
      name: `vm${vmid}`,
      status: "running",
      qmpstatus: "running",
      cpus: 2,
      cpu: 0.0123,
      mem: 1073741824,
      maxmem: 2147483648,
      disk: 0,
      maxdisk: 34359738368,
      uptime: 86400,
      pid: 4242,
      netin: 123456,
      netout: 654321,
      diskread: 1000,
      diskwrite: 2000,
      agent: 1,
      ha: { managed: 0 },
      "running-machine": "pc-i440fx-9.2+pve1",
      "running-qemu": "9.2.0",
      proxmox_support: { "pbs-dirty-bitmap": true, "query-bitmap-info": true },
    },
  });
}

function send(res: ServerResponse, status: number, body: string, reason?: string): void {
  res.writeHead(status, reason ?? (status === 200 ? "OK" : "Error"), {
    "content-type": "application/json;charset=UTF-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** Starts the server on an ephemeral loopback port; `tls`: HTTPS with a fresh self-signed certificate (as PVE's pveproxy). */
export async function startLoopbackServer(opts: { tls?: boolean } = {}): Promise<LoopbackServer> {
  const tasks = new Map<string, { polls: number; endsAt: number; startedAt: number }>();
  let pid = 0x1000;
  const state = { latencyMs: 0 };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (!TOKEN_HEADER.test(req.headers.authorization ?? "")) return send(res, 401, '{"data":null}', "authentication failure");
    const path = (req.url ?? "/").split("?")[0] as string;
    const status = /^\/api2\/json\/nodes\/[^/]+\/qemu\/(\d+)\/status\/current$/.exec(path);
    if (status && req.method === "GET") {
      const body = guestStatus(Number(status[1]));
      if (state.latencyMs > 0) return void setTimeout(() => send(res, 200, body), state.latencyMs);
      return send(res, 200, body);
    }
    const task = /^\/api2\/json\/nodes\/([^/]+)\/tasks\/([^/]+)\/(status|log)$/.exec(path);
    if (task && req.method === "GET") {
      const upid = decodeURIComponent(task[2] as string);
      const t = tasks.get(upid);
      if (!t) return send(res, 500, '{"data":null}', `no such task '${upid}'`);
      if (task[3] === "log") return send(res, 200, JSON.stringify({ data: [{ n: 1, t: "TASK OK" }], total: 1 }));
      t.polls++;
      const running = performance.now() < t.endsAt;
      const [, node, , , start, type, id, user] = upid.split(":");
      const data = {
        upid,
        node,
        pid: 0,
        pstart: 0,
        starttime: parseInt(start as string, 16),
        type,
        id,
        user,
        status: running ? "running" : "stopped",
        ...(running ? {} : { exitstatus: "OK" }),
      };
      return send(res, 200, JSON.stringify({ data }));
    }
    send(res, 501, '{"data":null}', `Method '${req.method} ${path}' not implemented`);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    // drain any body, then answer
    req.resume();
    req.on("end", () => handle(req, res));
  };
  const cert = opts.tls ? createSelfSignedCert() : undefined;
  const server = cert
    ? createTlsServer({ keepAlive: true, keepAliveTimeout: 30_000, cert: cert.cert, key: cert.key }, listener)
    : createServer({ keepAlive: true, keepAliveTimeout: 30_000 }, listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `${cert ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    ...(cert ? { tls: { cert: cert.cert, fingerprint: cert.fingerprint } } : {}),
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(ms: number) {
      state.latencyMs = ms;
    },
    startTask(durationMs) {
      const hex = (n: number): string => n.toString(16).toUpperCase().padStart(8, "0");
      const upid = `UPID:pve1:${hex(++pid)}:${hex(pid * 7)}:${hex(Math.floor(Date.now() / 1000))}:qmstart:100:root@pam:`;
      const startedAt = performance.now();
      tasks.set(upid, { polls: 0, startedAt, endsAt: startedAt + durationMs });
      return upid;
    },
    task(upid) {
      const t = tasks.get(upid);
      if (!t) throw new Error(`unknown task ${upid}`);
      return { polls: t.polls, endsAt: t.endsAt };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
