import { createHash } from "node:crypto";
import type { Readable } from "node:stream";

/** An uploaded file as the simulator keeps it: not its bytes, only what PVE checks (size, checksum). */
export interface SimUpload {
  /** the name the client gave the file part */
  filename: string;
  size: number;
  /** hex digests, by PVE's `checksum-algorithm` names (the one the form asked for) */
  checksums: Record<string, string>;
}

const ALGORITHMS = new Set(["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]);

/** Whether a request is a storage upload (`POST /api2/json/nodes/{node}/storage/{storage}/upload`). */
export const UPLOAD_PATH = /^\/api2\/json\/nodes\/[^/]+\/storage\/[^/]+\/upload\/?$/;

/** The multipart content type PVE accepts for uploads (PVE::APIServer::AnyEvent: `multipart/form-data` with a boundary). */
export function isMultipart(contentType: string | undefined): boolean {
  return /^multipart\/form-data\s*;.*boundary=/i.test(contentType ?? "");
}

/**
 * Streams a multipart upload the way PVE's file_upload_multipart reads it (pve-http-server
 * src/PVE/APIServer/AnyEvent.pm): form fields first (`content`, `checksum`, `checksum-algorithm`),
 * then the file part, which must be named `filename`. The file is never held in memory: its bytes
 * are counted and hashed as they pass. `@fastify/busboy` does the MIME parsing.
 */
export async function readMultipartUpload(body: Readable, contentType: string): Promise<{ fields: Record<string, string>; upload?: SimUpload }> {
  // loaded with the first upload: a simulator that never sees one never loads the MIME parser
  const { Busboy } = await import("@fastify/busboy");
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let upload: SimUpload | undefined;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      body.unpipe();
      body.resume(); // drain what is left, so the answer can still be written
      reject(err);
    };
    let parser: InstanceType<typeof Busboy>;
    try {
      parser = new Busboy({ headers: { "content-type": contentType }, limits: { files: 1, fields: 16, fieldSize: 64 * 1024 } });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    parser.on("field", (name, value) => {
      fields[name] = value.trim();
    });
    parser.on("file", (name, stream, filename) => {
      if (name !== "filename") {
        stream.resume();
        fail(new Error(`wrong field name '${name}' for file upload, expected 'filename'`));
        return;
      }
      const algorithm = fields["checksum-algorithm"];
      const hash = algorithm && ALGORITHMS.has(algorithm) ? createHash(algorithm) : undefined;
      let size = 0;
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        hash?.update(chunk);
      });
      stream.on("end", () => {
        upload = { filename, size, checksums: hash && algorithm ? { [algorithm]: hash.digest("hex") } : {} };
      });
    });
    parser.on("error", (err) => fail(err instanceof Error ? err : new Error(String(err))));
    parser.on("finish", () => {
      if (failed) return;
      if (!upload) return fail(new Error("upload failed"));
      resolve({ fields, upload });
    });
    body.on("error", (err) => fail(err));
    body.pipe(parser);
  });
}
