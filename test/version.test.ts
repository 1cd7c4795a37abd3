import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { VERSION } from "../src/version";

test("VERSION is package.json's version (what pvekit --version and the MCP server report)", () => {
  expect(VERSION).toBe((JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version);
});
