import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { HttpHandler } from "msw";
import { loadMsw } from "./load-msw";
import { UPLOAD_PATH, isMultipart, readMultipartUpload } from "./multipart-upload";
import { type SimResponse, errorResponse } from "./sim-response";
import type { Simulator } from "./simulator";

/** The simulator's answer to a fetch Request; uploads are streamed from the multipart body as on HTTPS. */
async function respond(sim: Simulator, request: Request, url: URL, headers: Record<string, string>): Promise<SimResponse> {
  const base = { method: request.method, path: url.pathname, query: url.search.slice(1), headers };
  if (request.method === "POST" && UPLOAD_PATH.test(url.pathname)) {
    const refused = sim.authorizeUpload(url.pathname, headers);
    if (refused) return refused;
    const ct = headers["content-type"];
    if (!isMultipart(ct) || !request.body) return errorResponse(500, `upload 'Content-Type '${ct ?? ""}' not implemented`);
    try {
      const { fields, upload } = await readMultipartUpload(Readable.fromWeb(request.body as unknown as NodeReadableStream), ct as string);
      return sim.handle({ ...base, body: { ...fields, ...(upload ? { filename: upload.filename } : {}) }, ...(upload ? { upload } : {}) });
    } catch (err) {
      return errorResponse(500, err instanceof Error ? err.message : String(err));
    }
  }
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
  return sim.handle({ ...base, body });
}

/**
 * msw request handlers answering from `sim`. `baseUrl` limits them to one origin
 * (e.g. "https://pve.test:8006"); by default they answer `/api2/json/...` on any host.
 */
export function createMswHandlers(sim: Simulator, baseUrl?: string): HttpHandler[] {
  const { HttpResponse, delay, http } = loadMsw();
  const origin = baseUrl ? new URL(baseUrl).origin : "*";
  const resolver = async ({ request }: { request: Request }): Promise<Response> => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    const r = await respond(sim, request, url, headers);
    if (r.reset) return HttpResponse.error();
    if (r.delayMs) await delay(r.delayMs);
    return new HttpResponse(r.body, { status: r.status, statusText: r.statusText, headers: r.headers });
  };
  return [
    http.all(`${origin}/api2/json`, resolver),
    http.all(`${origin}/api2/json/*`, resolver),
    http.get(`${origin}/pve-docs/api-viewer/apidoc.js`, resolver),
  ];
}
