/** One answer of the simulator, independent of the face (msw or HTTPS) that delivers it. */
export interface SimResponse {
  status: number;
  /** HTTP reason phrase: PVE puts its message here */
  statusText: string;
  headers: Record<string, string>;
  body: string;
  /** fault injection: wait this long (wall clock) before answering */
  delayMs?: number;
  /** fault injection: drop the connection instead of answering */
  reset?: boolean;
}

const JSON_TYPE = "application/json;charset=UTF-8";

/** Reason phrases may hold only visible ASCII, space and tab; PVE also keeps just the first line. */
export function reasonPhrase(message: string): string {
  const first = message.split("\n").find((l) => l.trim().length > 0) ?? "";
  return first.replace(/[^\t\x20-\x7e]/g, "?").trim();
}

/** 200 `{"data": …}` (plus `total` when the handler set it, as PVE's task list does). */
export function okResponse(data: unknown, extra: Record<string, unknown> = {}): SimResponse {
  return { status: 200, statusText: "OK", headers: { "content-type": JSON_TYPE }, body: JSON.stringify({ data: data ?? null, ...extra }) };
}

/**
 * An error answer: status line carries the message; 400 bodies carry the `errors` map too
 * (PVE::APIServer::Formatter::Standard prepare_response_data: `{data, errors?, message}` for any error status).
 */
export function errorResponse(status: number, message: string, errors?: Record<string, string>): SimResponse {
  const text = message.endsWith("\n") ? message : `${message}\n`;
  const body = errors ? { data: null, errors, message: text } : { data: null, message: text };
  return { status, statusText: reasonPhrase(message), headers: { "content-type": JSON_TYPE }, body: JSON.stringify(body) };
}

/** An error answer without a body (PVE's answer to a failed authentication: status line only). */
export function bodylessResponse(status: number, message: string): SimResponse {
  return { status, statusText: reasonPhrase(message), headers: {}, body: "" };
}
