// The three parts of undici the runtime uses, loaded on their own. `import "undici"` evaluates its
// whole index (fetch, WebSocket, cookies, caches, mock agents, interceptors…): ≈ 105 ms in a fresh
// process here, against ≈ 35 ms for the pool, its HTTP/1.1 client and the connector (see
// bench/RESULTS.md, "cold import"). undici has no `exports` map, so these files are public paths of
// the exactly pinned version; their types are undici's own (src/runtime/undici-parts.d.ts).
import poolModule from "undici/lib/dispatcher/pool.js";
import connectModule from "undici/lib/core/connect.js";
import requestModule from "undici/lib/api/api-request.js";
import type { Dispatcher, Pool as UndiciPool, buildConnector as undiciBuildConnector } from "undici";

/** undici's `Pool` (one origin, keep-alive connections). */
export const Pool: typeof UndiciPool = poolModule;
/** undici's `buildConnector` (TCP/TLS connect with its options). */
export const buildConnector: typeof undiciBuildConnector = connectModule;

/**
 * `dispatcher.request(options, callback)`: undici's index adds it to every dispatcher's prototype;
 * without the index it is called with the pool as `this`.
 */
export function poolRequest(
  pool: UndiciPool,
  options: Dispatcher.RequestOptions,
  callback: (err: Error | null, data: Dispatcher.ResponseData) => void,
): void {
  (requestModule as unknown as (this: UndiciPool, o: Dispatcher.RequestOptions, cb: typeof callback) => void).call(pool, options, callback);
}
