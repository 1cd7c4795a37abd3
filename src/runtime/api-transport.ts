import type { ApiEnvelope, SendOptions } from "./transport";

/**
 * What carries an encoded API request to PVE and returns its answer: HTTPS (`Transport`) or `pvesh`
 * on the node itself (`PveshTransport`, local mode). Both raise the same error classes.
 */
export interface ApiTransport {
  /** `https://host:8006/api2/json`, or `pvesh://localhost/api2/json` in local mode */
  readonly baseUrl: URL;
  /** Sends one request; `path` is concrete and URL-encoded, `pairs` the encoded parameters. */
  send(method: string, path: string, pairs: readonly [string, string][], opts?: SendOptions): Promise<ApiEnvelope>;
}
