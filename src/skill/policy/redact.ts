/** Parameter and config names whose values are secrets (`cipassword`, `secret`, `vncticket`, `otp`…), by name ending. */
const SECRET_NAME =
  /(password|passwd|secret|ticket|csrfpreventiontoken|^otp|^totp|tfa-challenge|encryption-key|keyring|^token|-token|private-key|api-key)$/i;
/** Names that match the pattern but hold no secret (a boolean flag). */
const NOT_SECRET = new Set(["generate-password"]);

/** The placeholder PVE itself uses for hidden values. */
export const REDACTED = "**********";

/** True when a parameter or config key holds a secret (`cipassword`, `password`, `secret`…). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.has(name.toLowerCase());
}

/** A copy of `params` with secret values replaced by `**********`, recursively. */
export function redactParams<T>(params: T): T {
  return redactValue(params) as T;
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = isSecretName(k) && v !== undefined && v !== null && v !== "" ? REDACTED : redactValue(v);
    return out;
  }
  return value;
}
