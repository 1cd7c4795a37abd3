import type { Verb } from "../../generated/meta-types";
import { redactAuthText } from "../../runtime/redact";

/**
 * Parameter, property-string key and config names whose values are secrets (`cipassword`, `secret`,
 * `vncticket`, `otp`, an OpenID `client-key`, an ACME `eab-hmac-key`, `target-endpoint`'s `apitoken`, the
 * `key` of a PowerDNS plugin or a custom certificate…), by name ending.
 */
const SECRET_NAME =
  /(password|passwd|secret|ticket|csrfpreventiontoken|^otp|^totp|tfa-challenge|encryption-key|keyring|^token|-token|apitoken|private-key|api-key|client-key|hmac-key|^key)$/i;
/** Names that match the pattern but hold no secret (a boolean flag). */
const NOT_SECRET = new Set(["generate-password"]);

/** The placeholder PVE itself uses for hidden values. */
export const REDACTED = "**********";

/** True when a parameter or config key holds a secret (`cipassword`, `password`, `secret`…). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.has(name.toLowerCase());
}

/**
 * Answer fields that are secrets although their names do not say so, per route: the secret of a new or
 * regenerated API token (pve-access-control API2/User.pm generate_token, update_token_info `regenerate`)
 * and new TFA recovery codes (API2/TFA.pm add_tfa_entry). Whoever needs them creates them on the node
 * (`pveum user token add`), not through an agent.
 */
export const SECRET_ANSWER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "POST /access/users/{userid}/token/{tokenid}": ["value"],
  "PUT /access/users/{userid}/token/{tokenid}": ["value"],
  "POST /access/tfa/{userid}": ["recovery"],
};

/** A copy of `params` with secret values replaced by `**********`, recursively (property-string keys and auth text in strings too). */
export function redactParams<T>(params: T): T {
  return redactValue(params) as T;
}

/** `redactParams` for the answer of `verb template`, with the route's secret answer fields hidden too. */
export function redactAnswer<T>(verb: Verb, template: string, data: T): T {
  const fields = SECRET_ANSWER_FIELDS[`${verb} ${template}`];
  const shown = redactParams(data);
  if (!fields || !shown || typeof shown !== "object" || Array.isArray(shown)) return shown;
  const out: Record<string, unknown> = { ...(shown as Record<string, unknown>) };
  for (const f of fields) if (out[f] !== undefined && out[f] !== null) out[f] = REDACTED;
  return out as T;
}

// `key=value` inside a property string (`host=…,apitoken=PVEAPIToken=…`) or free text
const KEY_VALUE = /(^|[,;\s])([A-Za-z][A-Za-z0-9_.-]*)=([^,;\s]*)/g;

function redactText(text: string): string {
  const hidden = text.replace(KEY_VALUE, (all, before: string, key: string, value: string) =>
    value !== "" && isSecretName(key) ? `${before}${key}=${REDACTED}` : all,
  );
  return redactAuthText(hidden);
}

function redactValue(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = isSecretName(k) && v !== undefined && v !== null && v !== "" ? REDACTED : redactValue(v);
    return out;
  }
  return value;
}
