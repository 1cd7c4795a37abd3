/** Parameter names whose values are secrets (passwords, keys, tokens, tickets, one-time codes). */
const SECRET_NAME = /pass|secret|ticket|token|otp|tfa|key|private|csrf|cookie|authorization/i;

/** Whether a parameter or header name carries a secret and must never be shown. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export const REDACTED = "***";

/**
 * A set of live secrets (token secret, password, ticket, CSRF token) that text is scrubbed
 * against before it reaches an error message or a log line, even text that came from the server.
 */
export class SecretSet {
  readonly #values = new Set<string>();

  add(value: string | undefined): void {
    // very short values would blank out ordinary words; real secrets are long
    if (value && value.length >= 6) this.#values.add(value);
  }

  delete(value: string | undefined): void {
    if (value) this.#values.delete(value);
  }

  /** Replaces every known secret (and its URL-encoded form) in `text` with `***`. */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.#values) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(REDACTED);
    }
    return out;
  }

  /** Never shows the values, whatever inspects it. */
  toJSON(): string {
    return `[SecretSet ${this.#values.size}]`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toJSON();
  }
}

/** Redacts `PVEAPIToken=…=secret`, `PVEAuthCookie=…` and `CSRFPreventionToken: …` patterns in free text. */
export function redactAuthText(text: string): string {
  return text
    .replace(/(PVEAPIToken[= ][^=\s]+=)[^\s,;"']+/g, `$1${REDACTED}`)
    .replace(/(PVEAuthCookie=)[^\s;,"']+/g, `$1${REDACTED}`)
    .replace(/(CSRFPreventionToken["']?\s*[:=]\s*["']?)[^\s;,"']+/gi, `$1${REDACTED}`)
    .replace(/(PVE:[^:\s]+:[0-9A-F]{8}::)[A-Za-z0-9+/=]+/g, `$1${REDACTED}`);
}

/**
 * Puts `value` on `obj` as a non-enumerable, read-only property `key`, and gives `obj` an inspect and
 * toJSON form without it: code that reads `obj[key]` (PveClient) still works, while `console.log`,
 * `util.inspect` (also with showHidden), `JSON.stringify`, spreading and `Object.values` never show it.
 */
export function withHiddenSecret<T extends object, K extends string>(obj: T, key: K, value: string): T & Record<K, string> {
  const shown = (): Record<string, unknown> => ({ ...obj, [key]: REDACTED });
  Object.defineProperty(obj, key, { value, enumerable: false, writable: false, configurable: false });
  Object.defineProperty(obj, "toJSON", { value: shown, enumerable: false });
  Object.defineProperty(obj, Symbol.for("nodejs.util.inspect.custom"), {
    value: (_depth: number, options: { stylize?: unknown }, inspect: (v: unknown, o: unknown) => string) => inspect(shown(), options),
    enumerable: false,
  });
  return obj as T & Record<K, string>;
}
