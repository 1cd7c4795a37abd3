import { describe, expect, it } from "vitest";
import { parseBaseUrl } from "../../src/runtime/base-url";
import { PveError } from "../../src/runtime/errors";

describe("parseBaseUrl", () => {
  it.each([
    ["pve1.example", "https://pve1.example:8006/api2/json"],
    ["pve1.example:8443", "https://pve1.example:8443/api2/json"],
    ["https://pve1.example:8006", "https://pve1.example:8006/api2/json"],
    ["https://pve1.example:8006/", "https://pve1.example:8006/api2/json"],
    ["https://pve1.example:8006/api2/json", "https://pve1.example:8006/api2/json"],
    ["https://pve1.example", "https://pve1.example:8006/api2/json"],
    ["https://proxy.example:443/pve", "https://proxy.example/pve/api2/json"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080/api2/json"],
    ["10.0.0.5", "https://10.0.0.5:8006/api2/json"],
    ["[fd00::5]:8006", "https://[fd00::5]:8006/api2/json"],
    ["fd00::5", "https://[fd00::5]:8006/api2/json"],
  ])("%s → %s", (input, want) => {
    expect(parseBaseUrl(input).href).toBe(want);
  });

  it("lets an explicit port win", () => {
    expect(parseBaseUrl("pve1:8006", 9000).href).toBe("https://pve1:9000/api2/json");
  });

  it.each(["", "ftp://pve1", "https://user:pw@pve1", "http://[bad"])("refuses %j", (input) => {
    expect(() => parseBaseUrl(input)).toThrow(PveError);
  });
});
