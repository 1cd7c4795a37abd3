import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCert {
  key: string;
  cert: string;
  /** SHA-256 fingerprint in PVE's AA:BB:… form */
  fingerprint: string;
  /** the CA that signed it, when not self-signed */
  ca?: string;
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

/** A self-signed certificate for 127.0.0.1, made with openssl in a temporary directory. */
export function selfSignedCert(san = "IP:127.0.0.1"): TestCert {
  const dir = mkdtempSync(join(tmpdir(), "pvekit-cert-"));
  try {
    openssl(dir, ["req", "-x509", ...EC, "-days", "1", "-subj", "/CN=localhost", "-addext", `subjectAltName=${san}`, "-keyout", "key.pem", "-out", "cert.pem"]);
    const cert = readFileSync(join(dir, "cert.pem"), "utf8");
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert, fingerprint: new X509Certificate(cert).fingerprint256 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A certificate for 127.0.0.1 signed by a fresh test CA (returned as `ca`). */
export function caSignedCert(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), "pvekit-ca-"));
  try {
    openssl(dir, ["req", "-x509", ...EC, "-days", "1", "-subj", "/CN=pvekit test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign", "-keyout", "ca.key", "-out", "ca.pem"]);
    openssl(dir, ["req", ...EC, "-subj", "/CN=127.0.0.1", "-keyout", "leaf.key", "-out", "leaf.csr"]);
    writeFileSync(join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
    openssl(dir, ["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-out", "leaf.pem", "-extfile", "ext.cnf"]);
    const cert = readFileSync(join(dir, "leaf.pem"), "utf8");
    return {
      key: readFileSync(join(dir, "leaf.key"), "utf8"),
      cert,
      fingerprint: new X509Certificate(cert).fingerprint256,
      ca: readFileSync(join(dir, "ca.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

export interface TestServer {
  url: string;
  /** requests that reached the HTTP layer */
  requests: { method: string; url: string; headers: IncomingMessage["headers"]; body: Buffer }[];
  /** TCP connections accepted */
  connections(): number;
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1, port 0, answering with `handler`. */
export async function startServer(cert: TestCert, handler: Handler): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  let connections = 0;
  const server: Server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, body, res);
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers PVE-style JSON. */
export function json(res: ServerResponse, status: number, body: unknown, reason?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, reason ?? "OK", { "Content-Type": "application/json;charset=UTF-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
