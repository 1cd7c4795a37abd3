/** How a client authenticates each request. */
export interface Auth {
  /** `local`: pvesh on the node itself (local mode), which runs as root@pam */
  readonly kind: "token" | "ticket" | "none" | "local";
  /** the user (or token id) requests run as, for messages; never a secret */
  readonly user: string | undefined;
  /** headers for one request; a ticket login or renewal happens here when due */
  headers(method: string, signal?: AbortSignal): Promise<Record<string, string>>;
  /** after a 401: re-authenticate once; true when the request should be sent again */
  refresh(signal?: AbortSignal): Promise<boolean>;
}

/** Sends `POST /access/ticket` without authentication and returns its `data`. */
export type LoginFn = (params: Record<string, string>, signal?: AbortSignal) => Promise<Record<string, unknown>>;

/** No credentials (e.g. only `/version` on an open test server, or a ticket login in progress). */
export const noAuth: Auth = {
  kind: "none",
  user: undefined,
  headers: async () => ({}),
  refresh: async () => false,
};
