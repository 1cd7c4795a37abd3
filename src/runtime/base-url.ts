import { PveError } from "./errors";

/** PVE's API port. */
export const DEFAULT_PORT = 8006;
const API_PREFIX = "/api2/json";

/**
 * Turns what users write into the API base URL: a URL (`https://pve1:8006`, with or without
 * `/api2/json`), a host (`pve1.example`), `host:port`, or an IPv6 address (`[::1]:8006`, `::1`).
 * Default scheme https, default port 8006. The result always ends in `/api2/json`.
 */
export function parseBaseUrl(input: string, port?: number): URL {
  const text = input.trim();
  if (!text) throw new PveError("baseUrl is empty: pass a URL, a host or host:port", "PVE_ERR_CONFIG");
  let withScheme = text;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    // a bare IPv6 address has several colons and no brackets
    const bareV6 = !text.startsWith("[") && (text.match(/:/g)?.length ?? 0) > 1;
    withScheme = `https://${bareV6 ? `[${text}]` : text}`;
  }
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (cause) {
    throw new PveError(`baseUrl "${text}" is not a URL, host or host:port`, "PVE_ERR_CONFIG", { cause });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new PveError(`baseUrl "${text}" must use https (or http for a local test server)`, "PVE_ERR_CONFIG");
  }
  if (url.username || url.password) {
    throw new PveError("baseUrl must not contain credentials: use the auth option", "PVE_ERR_CONFIG");
  }
  if (port !== undefined) url.port = String(port);
  else if (!url.port && url.protocol === "https:" && !/:443(?:[/]|$)/.test(withScheme)) url.port = String(DEFAULT_PORT);
  let path = url.pathname.replace(/\/+$/, "");
  if (!path.endsWith(API_PREFIX)) path = `${path}${API_PREFIX}`;
  url.pathname = path;
  url.search = "";
  url.hash = "";
  return url;
}
