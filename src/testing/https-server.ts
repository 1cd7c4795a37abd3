import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { createSelfSignedCert } from "./self-signed-cert";
import type { SimRequest } from "./simulator";
import { UPLOAD_PATH, isMultipart, readMultipartUpload } from "./multipart-upload";
import { type SimResponse, errorResponse } from "./sim-response";

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

/** Largest request body PVE accepts outside uploads (pve-http-server AnyEvent.pm $limit_max_post). */
const MAX_POST = 512 * 1024;

/** An answer the face gives before the simulator sees the request (PVE's HTTP layer answers these itself). */
class EarlyAnswer extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_POST) {
        reject(new EarlyAnswer(501, "for data too large"));
        req.resume();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function headerMap(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join("; ") : v;
  return headers;
}

function toSimRequest(req: IncomingMessage, body: string): SimRequest {
  const url = new URL(req.url ?? "/", "https://localhost");
  return { method: req.method ?? "GET", path: url.pathname, query: url.search.slice(1), body, headers: headerMap(req) };
}

/**
 * PVE's HTTP layer before the API (pve-http-server AnyEvent.pm unshift_read_header): a body only on
 * POST/PUT, at most 512 KiB, form or JSON encoded.
 */
function checkBody(req: IncomingMessage): void {
  const length = Number(req.headers["content-length"] ?? 0);
  if (!length) return;
  const method = req.method ?? "GET";
  if (method !== "POST" && method !== "PUT") throw new EarlyAnswer(501, `Unexpected content for method '${method}'`);
  if (length > MAX_POST) throw new EarlyAnswer(501, "for data too large");
  const ct = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (ct && ct !== "application/x-www-form-urlencoded" && ct !== "application/json") {
    throw new EarlyAnswer(506, `upload 'Content-Type '${req.headers["content-type"]}' not implemented`);
  }
}

/** A storage upload: authorized before the body is read, then streamed (multipart) without keeping the file. */
async function uploadRequest(req: IncomingMessage, hooks: ListenHooks): Promise<SimRequest | SimResponse> {
  const url = new URL(req.url ?? "/", "https://localhost");
  const headers = headerMap(req);
  const refused = hooks.authorizeUpload?.(url.pathname, headers);
  if (refused) return refused;
  const ct = headers["content-type"];
  if (!isMultipart(ct)) throw new EarlyAnswer(500, `upload 'Content-Type '${ct ?? ""}' not implemented`);
  const { fields, upload } = await readMultipartUpload(req, ct as string);
  const body: Record<string, string> = { ...fields };
  if (upload) body.filename = upload.filename;
  return { method: "POST", path: url.pathname, query: url.search.slice(1), body, headers, ...(upload ? { upload } : {}) };
}

/** Checks the faces make before the simulator handles a request. */
export interface ListenHooks {
  /** an upload's authentication and storage privilege, before its body is read */
  authorizeUpload?(path: string, headers: Record<string, string>): SimResponse | undefined;
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
export async function listenHttps(handle: (req: SimRequest) => Promise<SimResponse>, opts: ListenOptions = {}, hooks: ListenHooks = {}): Promise<SimServer> {
  const { cert, key, fingerprint } = createSelfSignedCert();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer({ cert, key }, (req, res) => {
    const isUpload = req.method === "POST" && UPLOAD_PATH.test(new URL(req.url ?? "/", "https://localhost").pathname);
    const incoming: Promise<SimRequest | SimResponse> = isUpload
      ? uploadRequest(req, hooks)
      : Promise.resolve()
          .then(() => checkBody(req))
          .then(() => readBody(req))
          .then((body) => toSimRequest(req, body));
    incoming
      .then((r) => ("status" in r ? r : handle(r)))
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
        const status = err instanceof EarlyAnswer ? err.status : 500;
        const msg = err instanceof Error ? err.message : "internal error";
        send(res, errorResponse(status, msg));
        req.resume(); // the rest of an unread body is discarded
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
