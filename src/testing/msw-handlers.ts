import { HttpResponse, type HttpHandler, delay, http } from "msw";
import type { Simulator } from "./simulator";

/**
 * msw request handlers answering from `sim`. `baseUrl` limits them to one origin
 * (e.g. "https://pve.test:8006"); by default they answer `/api2/json/...` on any host.
 */
export function createMswHandlers(sim: Simulator, baseUrl?: string): HttpHandler[] {
  const origin = baseUrl ? new URL(baseUrl).origin : "*";
  const resolver = async ({ request }: { request: Request }): Promise<Response> => {
    const url = new URL(request.url);
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    const r = await sim.handle({ method: request.method, path: url.pathname, query: url.search.slice(1), body, headers });
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
