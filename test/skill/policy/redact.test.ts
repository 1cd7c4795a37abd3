import { describe, expect, test } from "vitest";
import { isSecretName, redactAnswer, redactParams, REDACTED, SECRET_ANSWER_FIELDS } from "../../../src/skill/policy/redact";
import type { Verb } from "../../../src/generated/meta-types";

describe("SECRET_ANSWER_FIELDS", () => {
  const answers: Record<string, Record<string, unknown>> = {
    "POST /access/users/{userid}/token/{tokenid}": { "full-tokenid": "a@pve!t", info: { privsep: 1 }, value: "s-e-c-r-e-t" },
    "PUT /access/users/{userid}/token/{tokenid}": { info: { privsep: 1 }, value: "s-e-c-r-e-t" },
    "POST /access/tfa/{userid}": { id: "recovery", recovery: ["code-1", "code-2"] },
  };
  test("every row has a case", () => expect(Object.keys(answers).sort()).toEqual(Object.keys(SECRET_ANSWER_FIELDS).sort()));
  test.each(Object.entries(answers))("%s", (route, answer) => {
    const [verb, template] = route.split(" ") as [Verb, string];
    const shown = redactAnswer(verb, template, answer);
    for (const field of SECRET_ANSWER_FIELDS[route]!) expect(shown[field]).toBe(REDACTED);
    expect(JSON.stringify(shown)).not.toMatch(/s-e-c-r-e-t|code-1/);
  });
  test("other routes keep a field called value", () => {
    expect(redactAnswer("GET", "/cluster/options", { value: 1 })).toEqual({ value: 1 });
  });
});

test("secret keys inside property strings and auth text in any string value", () => {
  expect(redactParams({ "target-endpoint": "host=10.0.0.9,apitoken=PVEAPIToken=a@pve!t=s3cr3t-v4lue,port=8006" })).toEqual({
    "target-endpoint": `host=10.0.0.9,apitoken=${REDACTED},port=8006`,
  });
  expect(redactParams({ description: "use PVEAPIToken=a@pve!t=s3cr3t-v4lue" }).description).not.toContain("s3cr3t");
  expect(redactParams({ net0: "virtio=BC:24:11:00:01:00,bridge=vmbr0" })).toEqual({ net0: "virtio=BC:24:11:00:01:00,bridge=vmbr0" });
  for (const name of ["client-key", "eab-hmac-key", "key", "apitoken", "cipassword"]) expect(isSecretName(name), name).toBe(true);
  for (const name of ["keyboard", "sshkeys", "generate-password", "tokenid", "pre-enrolled-keys"]) expect(isSecretName(name), name).toBe(false);
});
