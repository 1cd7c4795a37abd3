import { randomBytes } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { PveValidationError } from "./errors";
import type { ApiEnvelope, SendOptions } from "./transport";

/** What `pve.upload()` sends. */
export interface UploadOptions {
  node: string;
  storage: string;
  /** `iso`, `vztmpl` (container template) or `import` */
  content: "iso" | "vztmpl" | "import";
  /** a file path, or a stream with its size (PVE needs the length up front) */
  file: string | { stream: Readable | AsyncIterable<Uint8Array>; size: number };
  /** the name on the storage (default: the file's base name) */
  filename?: string;
  /** expected checksum; PVE verifies it and fails the task on a mismatch */
  checksum?: string;
  checksumAlgorithm?: "md5" | "sha1" | "sha224" | "sha256" | "sha384" | "sha512";
  signal?: AbortSignal;
  /** default one hour: uploads are long */
  timeoutMs?: number;
}

type StreamBody = NonNullable<SendOptions["stream"]>;
type UploadSend = (path: string, stream: StreamBody, opts: { signal?: AbortSignal; timeoutMs?: number }) => Promise<ApiEnvelope>;

/**
 * Streams a file as `multipart/form-data`, fields first and the file part last (PVE reads the
 * fields before the data), with an exact Content-Length. Works with tokens and tickets alike.
 * Returns the UPID of the task that moves the upload into place.
 */
export async function uploadFile(opts: UploadOptions, send: UploadSend): Promise<string> {
  const problems = [];
  if (!opts.node) problems.push({ param: "node", code: "required" as const, message: "property is missing and it is not optional" });
  if (!opts.storage) problems.push({ param: "storage", code: "required" as const, message: "property is missing and it is not optional" });
  if (!["iso", "vztmpl", "import"].includes(opts.content)) {
    problems.push({ param: "content", code: "enum" as const, message: "value must be one of iso, vztmpl, import" });
  }
  const name = opts.filename ?? (typeof opts.file === "string" ? basename(opts.file) : undefined);
  if (!name) problems.push({ param: "filename", code: "required" as const, message: "a stream upload needs a filename" });
  if (opts.checksum && !opts.checksumAlgorithm) {
    problems.push({ param: "checksum-algorithm", code: "requires" as const, message: "missing property - 'checksum' requires this property" });
  }
  if (problems.length) throw new PveValidationError(problems, { method: "POST", path: "/nodes/{node}/storage/{storage}/upload" });

  const source = typeof opts.file === "string" ? { stream: createReadStream(opts.file), size: statSync(opts.file).size } : opts.file;
  const boundary = `----pvekit${randomBytes(12).toString("hex")}`;
  const fields: [string, string][] = [["content", opts.content]];
  if (opts.checksum) fields.push(["checksum", opts.checksum], ["checksum-algorithm", opts.checksumAlgorithm as string]);
  let head = "";
  for (const [key, value] of fields) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`;
  }
  const safeName = (name as string).replace(/["\r\n\\]/g, "_");
  head += `--${boundary}\r\nContent-Disposition: form-data; name="filename"; filename="${safeName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const headBytes = Buffer.from(head);
  const tailBytes = Buffer.from(tail);

  async function* body(): AsyncGenerator<Uint8Array> {
    yield headBytes;
    for await (const chunk of source.stream) yield typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    yield tailBytes;
  }

  const path = `/nodes/${encodeURIComponent(opts.node)}/storage/${encodeURIComponent(opts.storage)}/upload`;
  const env = await send(
    path,
    { body: body(), contentType: `multipart/form-data; boundary=${boundary}`, length: headBytes.length + source.size + tailBytes.length },
    { signal: opts.signal, timeoutMs: opts.timeoutMs ?? 3_600_000 },
  );
  return String(env.data);
}
