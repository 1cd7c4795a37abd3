import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { createSelfSignedCert } from "./self-signed-cert";
import type { SimRequest } from "./simulator";
import type { SimResponse } from "./sim-response";

export interface ListenOptions {
  /** 0 (default) picks a free port */
  port?: number;
  /** default 127.0.0.1 (loopback only) */
  host?: string;
}

/** A running HTTPS face of a simulator. */
export interface SimServer {
  /** `https://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** SHA-256 fingerprint of the certificate, `AA:BB:…` (pin it with `tls: { fingerprint }`) */
  fingerprint: string;
  /** the certificate (PEM), for clients that verify with a CA file */
  cert: string;
  close(): Promise<void>;
}

/** Largest request body accepted (PVE's limit is 64 KiB; uploads are not simulated). */
const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("request body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function toSimRequest(req: IncomingMessage, body: string): SimRequest {
  const url = new URL(req.url ?? "/", "https://localhost");
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join("; ") : v;
  return { method: req.method ?? "GET", path: url.pathname, query: url.search.slice(1), body, headers };
}

function send(res: ServerResponse, r: SimResponse): void {
  res.writeHead(r.status, r.statusText, {
    ...r.headers,
    server: "pve-api-daemon/3.0",
    "cache-control": "max-age=0",
    pragma: "no-cache",
    "content-length": Buffer.byteLength(r.body),
  });
  res.end(r.body);
}

/**
 * Serves `handle` over HTTPS with a certificate made at start. The connection is dropped
 * for "reset" faults and answers wait for "latency" faults.
 */
export async function listenHttps(handle: (req: SimRequest) => Promise<SimResponse>, opts: ListenOptions = {}): Promise<SimServer> {
  const { cert, key, fingerprint } = createSelfSignedCert();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer({ cert, key }, (req, res) => {
    readBody(req)
      .then((body) => handle(toSimRequest(req, body)))
      .then((r) => {
        if (r.reset) return void req.socket.destroy();
        if (!r.delayMs) return send(res, r);
        const t = setTimeout(() => {
          timers.delete(t);
          if (!res.destroyed) send(res, r);
        }, r.delayMs);
        timers.add(t);
      })
      .catch((err: unknown) => {
        if (res.headersSent) return void res.destroy();
        const msg = err instanceof Error ? err.message : "internal error";
        res.writeHead(500, msg.replace(/[^\t\x20-\x7e]/g, "?"), { "content-type": "application/json;charset=UTF-8" });
        res.end(JSON.stringify({ data: null }));
      });
  });
  server.on("secureConnection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `https://${urlHost}:${port}`,
    port,
    fingerprint,
    cert,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
