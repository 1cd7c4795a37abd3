import { inspect } from "node:util";
import type { RouteMeta, Verb } from "../generated/meta-types";
import type { ApiRoot } from "../generated/tree";
import type { CallOptions } from "../generated/types-common";
import type { EndpointsByVerb, PathOf, PathTree, Returns } from "../generated/types";

import { routes } from "../generated/routes";
import { propertyFormats } from "../generated/formats";
import { createApiNode } from "./api-tree";
import type { Auth } from "./auth/auth";
import { noAuth } from "./auth/auth";
import { TicketAuth, type PasswordAuthOptions } from "./auth/ticket-auth";
import { TokenAuth, type TokenAuthOptions } from "./auth/token-auth";
import { parseBaseUrl } from "./base-url";
import { systemClock, type Clock } from "./clock";
import { clientFromEnv, type FromEnvOptions } from "./config/from-env";
import { decodeReturn } from "./decode-return";
import { bindingsInfo, checkBindingsVersion, type BindingsInfo } from "./bindings-version";
import { buildPath, encodeParams } from "./encode-params";
import { PveAuthError, PveError, PveValidationError } from "./errors";
import { fetchSender, type FetchLike } from "./fetch-sender";
import { resolveLogger, type Logger } from "./logger";
import { SecretSet } from "./redact";
import type { RetryOptions } from "./retry";
import { buildTrie, matchPath, type TrieNode } from "./route-trie";
import { TaskClient } from "./tasks";
import type { TlsOptions } from "./tls";
import { checkTimeout, DEFAULT_MAX_RESPONSE_BYTES, Transport, type ApiEnvelope } from "./transport";
import type { ApiTransport } from "./api-transport";
import { createLocalTransport, localAuth, type LocalClientOptions } from "./local/local-client";
import { undiciSender } from "./undici-sender";
import { uploadFile, type UploadOptions } from "./upload";
import type { ConcreteArgs, ConcretePath, TemplateArgs, TemplateFor } from "./request-types";
import { validateParams } from "./validate";

/** Options of {@link PveClient}. */
export interface PveClientOptions {
  /** `https://pve1.example:8006`, `pve1.example` or `pve1.example:8006` (default port 8006) */
  baseUrl: string | URL;
  /** overrides the port in `baseUrl` */
  port?: number;
  /** API token (`{ tokenId, secret }`) or user and password (`{ username, password, realm?, otp? }`) */
  auth?: TokenAuthOptions | PasswordAuthOptions;
  /** certificate checks: verified by default; `{ ca }`, `{ fingerprint }` or `{ insecure: true }` */
  tls?: TlsOptions;
  /**
   * deadline for each request in ms (default 30000): connecting, sending, the headers and the whole
   * body must be done within it; 0, negative or non-finite values are refused
   */
  timeoutMs?: number;
  /** largest response body accepted, in bytes (default 64 MiB, `DEFAULT_MAX_RESPONSE_BYTES`; `Infinity`: no limit) */
  maxResponseBytes?: number;
  /** retries for GET requests (default `{ retries: 2 }`); `false` turns them off */
  retry?: RetryOptions | false;
  /** check parameters against the schema before sending (default true) */
  validate?: boolean;
  /** receives debug lines (verb, path, status, duration) and warnings; `DEBUG=pvekit` logs to stderr */
  logger?: Logger;
  /** send through this `fetch` instead of undici's pool (msw, tests); `tls` does not apply then */
  fetch?: FetchLike;
  /** time source for renewals, retries and task polling (tests inject a virtual clock) */
  clock?: Clock;
  /**
   * send credentials over a plain `http://` base URL (a local test server); without it a client with
   * `auth` refuses an http URL, so a token or password never travels unencrypted by accident
   */
  allowHttp?: boolean;
}

/** `request()`'s trailing arguments: params are required when the method has path or required parameters. */
export type RequestArgs<V extends Verb, P extends PathOf<V>> = TemplateArgs<EndpointsByVerb, V, P>;

/** `PveClient.local()` passes its options to the constructor under this key. */
const kLocal = Symbol("pvekit.local");
type LocalInit = PveClientOptions & { [kLocal]?: LocalClientOptions };

let trie: TrieNode | undefined;
/** The route tree, built once per process on first use. */
function routeTrie(): TrieNode {
  return (trie ??= buildTrie(routes));
}

/**
 * A Proxmox VE API client.
 *
 * @example
 * const pve = new PveClient({ baseUrl: "pve1.example", auth: { tokenId: "ci@pve!ci", secret } });
 * const vms = await pve.api.nodes.$("pve1").qemu.$get();
 * const upid = await pve.api.nodes.$("pve1").qemu.$(100).status.start.$post();
 * await pve.tasks.wait(upid);
 */
export class PveClient {
  /** Task helpers: `status`, `log`, `wait`, `follow`, `stop`. */
  readonly tasks: TaskClient;
  readonly #transport: ApiTransport;
  readonly #auth: Auth;
  readonly #validate: boolean;
  readonly #secrets = new SecretSet();
  readonly #logger: Logger;
  readonly #closeSender: () => Promise<void>;
  #api: ApiRoot | undefined;

  constructor(options: PveClientOptions) {
    const local = (options as LocalInit | undefined)?.[kLocal];
    if (!local && (!options || options.baseUrl === undefined)) {
      throw new PveError("PveClient needs baseUrl (a URL, host or host:port)", "PVE_ERR_CONFIG");
    }
    const clock = (local ?? options).clock ?? systemClock;
    this.#logger = resolveLogger((local ?? options).logger, local?.env);
    this.#validate = (local ?? options).validate ?? true;
    if (local) {
      this.#transport = createLocalTransport(local, clock, this.#logger);
      this.#auth = localAuth;
      this.#closeSender = async () => {};
    } else {
      const baseUrl = options.baseUrl instanceof URL ? parseBaseUrl(options.baseUrl.href, options.port) : parseBaseUrl(options.baseUrl, options.port);
      if (baseUrl.protocol === "http:" && options.auth && !options.allowHttp) {
        throw new PveError(
          `${baseUrl.origin} is plain http://: the credentials would travel unencrypted. Use https://, or pass allowHttp: true (CLI: --allow-http) for a local test server.`,
          "PVE_ERR_CONFIG",
        );
      }
      if (options.fetch && options.tls) this.#logger.warn?.("tls options do not apply when a fetch function is given: that fetch owns the connection");
      const timeoutMs = options.timeoutMs ?? 30_000;
      checkTimeout(timeoutMs);
      const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
      if (!(maxResponseBytes > 0)) throw new PveError(`maxResponseBytes must be a positive number of bytes (got ${String(maxResponseBytes)})`, "PVE_ERR_CONFIG");
      const sender = options.fetch
        ? fetchSender(options.fetch, { maxResponseBytes })
        : undiciSender(baseUrl.origin, options.tls, { connectTimeoutMs: timeoutMs, maxResponseBytes });
      this.#closeSender = () => sender.close();
      this.#auth = this.#makeAuth(options.auth, clock);
      this.#transport = new Transport({
        baseUrl,
        sender,
        auth: this.#auth,
        timeoutMs,
        maxResponseBytes,
        retry: options.retry ?? {},
        clock,
        logger: this.#logger,
        secrets: this.#secrets,
      });
    }
    this.tasks = new TaskClient(
      (path, params, signal) => this.#send("GET", path, params, { signal }),
      (path, params) => this.#send("DELETE", path, params, {}),
      clock,
    );
  }

  /**
   * A client for the PVE node it runs on: every request goes through `pvesh <get|set|create|delete>`
   * as root@pam, with no URL or token (local mode). Validation, errors and task waits are those of the
   * HTTPS client. Throws when pvesh cannot be found.
   *
   * @example
   * const pve = PveClient.local();
   * const upid = await pve.api.nodes.$("pve1").qemu.$(100).status.start.$post();
   * await pve.tasks.wait(upid); // pvesh ran the task in the foreground; this reads its status
   */
  static local(options: LocalClientOptions = {}): PveClient {
    return new PveClient({ baseUrl: "pvesh://localhost", [kLocal]: options } as LocalInit);
  }

  /** The PVE version and schema hash the generated bindings were built from. */
  static get bindings(): BindingsInfo {
    return bindingsInfo();
  }

  /** Compares the server's PVE release with the bindings'; a warning for people, or null when they match. */
  async checkBindings(): Promise<string | null> {
    return checkBindingsVersion(this);
  }

  /** Reads the configuration from options, environment, `~/.proxmox-credentials` and a YAML file, in that order. */
  static fromEnv(options: FromEnvOptions = {}): PveClient {
    return clientFromEnv(options, (opts) => new PveClient(opts));
  }

  /** The API base URL (`https://host:8006/api2/json`; `pvesh://localhost/api2/json` in local mode). */
  get baseUrl(): string {
    return this.#transport.baseUrl.href;
  }

  /** The typed path tree: `pve.api.nodes.$("pve1").qemu.$(100).status.current.$get()`. */
  get api(): ApiRoot {
    return (this.#api ??= createApiNode(routeTrie(), {}, "", (route, values, args, options) =>
      this.#call(route.v, route, route.path, { ...args, ...values }, options).then((env) => env.data),
    ) as ApiRoot);
  }

  /**
   * Calls a method by verb and path, typed from the schema. The path is a template with the path
   * parameters inside `params` — `pve.request("GET", "/nodes/{node}/qemu", { node: "pve1" })` — or a
   * concrete path — `pve.request("GET", "/nodes/pve1/qemu")` — resolved to its template's types. A
   * path the bindings do not have is a compile error; for paths only known at run time use the
   * untyped {@link PveClient.requestRaw}.
   */
  // The concrete-path overload comes first: a failed template overload would be retried with the
  // union of all paths (hundreds of instantiations); this one fails cheaply for a template.
  request<V extends Verb, P extends string>(
    verb: V,
    path: ConcretePath<PathTree, V, P>,
    ...args: ConcreteArgs<EndpointsByVerb, V, TemplateFor<PathTree, V, P>>
  ): Promise<Returns<V, TemplateFor<PathTree, V, P> & PathOf<V>>>;
  request<V extends Verb, P extends PathOf<V>>(verb: V, path: P, ...args: RequestArgs<V, P>): Promise<Returns<V, P>>;
  async request(verb: Verb, path: string, params?: Record<string, unknown>, options?: CallOptions): Promise<unknown> {
    return (await this.#send(verb, path, params ?? {}, options ?? {})).data;
  }

  /**
   * The untyped form of `request`: any verb and path (template or concrete, e.g. built at run time),
   * PVE's whole answer — `data` plus siblings such as `total` or `changes`. Known methods are still
   * validated and decoded; an unknown path is sent as given.
   */
  async requestRaw(verb: Verb, path: string, params?: Record<string, unknown>, options?: CallOptions): Promise<ApiEnvelope> {
    return this.#send(verb, path, params ?? {}, options ?? {});
  }

  /** Uploads an ISO, container template or import file to a storage (`POST /nodes/{node}/storage/{storage}/upload`). */
  async upload(options: UploadOptions): Promise<string> {
    return uploadFile(options, (path, stream, opts) =>
      this.#transport.send("POST", path, [], { ...opts, stream, template: "/nodes/{node}/storage/{storage}/upload", node: options.node }),
    );
  }

  /** Logs in now with the password credentials (otherwise the first request does). */
  async login(signal?: AbortSignal): Promise<void> {
    if (!(this.#auth instanceof TicketAuth)) throw new PveAuthError("login() needs username/password credentials");
    await this.#auth.login(signal);
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.#closeSender();
  }

  async #send(verb: Verb, path: string, params: Record<string, unknown>, options: CallOptions): Promise<ApiEnvelope> {
    const known = (routes as Record<string, RouteMeta>)[`${verb} ${path}`];
    if (known) return this.#call(verb, known, path, params, options);
    const match = path.includes("{") ? undefined : matchPath(routeTrie(), verb, path);
    if (match) return this.#call(verb, match.route, match.route.path, { ...params, ...match.values }, options);
    return this.#call(verb, undefined, path, params, options);
  }

  async #call(
    verb: Verb,
    route: RouteMeta | undefined,
    template: string,
    params: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<ApiEnvelope> {
    if (route && this.#validate) {
      const problems = validateParams(route, params);
      if (problems.length) throw new PveValidationError(problems, { method: route.v, path: template });
    }
    const path = buildPath(template, params);
    const placeholders = route ? route.pp : [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
    const pairs = encodeParams(route ?? { v: verb, path: template, pp: placeholders, params: {}, ret: { t: "any" } }, params, propertyFormats);
    const node = typeof params.node === "string" ? params.node : undefined;
    const env = await this.#transport.send(verb, path, pairs, { ...options, template, node });
    if (route) env.data = this.#decode(route, env.data);
    return env;
  }

  /** Decodes into the declared types; values that do not convert are kept and named in one debug line. */
  #decode(route: RouteMeta, data: unknown): unknown {
    const debug = this.#logger.debug;
    if (!debug) return decodeReturn(route.ret, data);
    const kept = new Set<string>();
    const decoded = decodeReturn(route.ret, data, (property, received, expected) => {
      kept.add(`${property} (${received}, declared ${expected})`);
    });
    if (kept.size) {
      const list = [...kept];
      const more = list.length > 10 ? ` and ${list.length - 10} more` : "";
      debug.call(this.#logger, `decode ${route.v} ${route.path}: kept as received: ${list.slice(0, 10).join(", ")}${more}`);
    }
    return decoded;
  }

  #makeAuth(auth: PveClientOptions["auth"], clock: Clock): Auth {
    if (!auth) return noAuth;
    if ("tokenId" in auth) return new TokenAuth(auth, this.#secrets);
    if ("username" in auth) {
      const login = async (params: Record<string, string>, signal?: AbortSignal) => {
        const pairs = Object.entries(params);
        const env = await this.#transport.send("POST", "/access/ticket", pairs, { signal, anonymous: true, template: "/access/ticket" });
        return (env.data ?? {}) as Record<string, unknown>;
      };
      return new TicketAuth(auth, login, clock, this.#secrets);
    }
    throw new PveAuthError("auth must be { tokenId, secret } or { username, password }");
  }

  toJSON(): object {
    return { baseUrl: this.baseUrl, auth: this.#auth.kind, user: this.#auth.user };
  }

  [inspect.custom](): string {
    return `PveClient { baseUrl: '${this.baseUrl}', auth: '${this.#auth.kind}', user: ${this.#auth.user ? `'${this.#auth.user}'` : "undefined"} }`;
  }
}
