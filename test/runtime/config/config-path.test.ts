import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { configFilePath, defaultConfigPath } from "../../../src/runtime/config/config-path";
import { readYamlDocument } from "../../../src/runtime/config/yaml-config";
import { PveError } from "../../../src/runtime/errors";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pvekit-cfgpath-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the default config path", () => {
  test("$XDG_CONFIG_HOME/pvekit/config.yaml, else ~/.config/pvekit/config.yaml", () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: "/x/cfg", HOME: "/home/u" })).toBe("/x/cfg/pvekit/config.yaml");
    expect(defaultConfigPath({ HOME: "/home/u" })).toBe("/home/u/.config/pvekit/config.yaml");
  });

  test("searched only when it exists; --config and $PVEKIT_CONFIG come first", () => {
    const env = { XDG_CONFIG_HOME: dir };
    expect(configFilePath(undefined, env)).toBeUndefined();
    mkdirSync(join(dir, "pvekit"));
    writeFileSync(join(dir, "pvekit", "config.yaml"), "mode: operator\n");
    expect(configFilePath(undefined, env)).toBe(join(dir, "pvekit", "config.yaml"));
    expect(configFilePath(undefined, { ...env, PVEKIT_CONFIG: "/e.yaml" })).toBe("/e.yaml");
    expect(configFilePath("/flag.yaml", { ...env, PVEKIT_CONFIG: "/e.yaml" })).toBe("/flag.yaml");
  });
});

describe("YAML errors name the file and the line", () => {
  test("a syntax error", () => {
    const path = join(dir, "bad.yaml");
    writeFileSync(path, "host: pve1\nmode: operator\n  allowed_vmids: [100\n");
    const err = (() => {
      try {
        readYamlDocument(path);
      } catch (e) {
        return e as PveError;
      }
    })();
    expect(err).toBeInstanceOf(PveError);
    expect(err?.code).toBe("PVE_ERR_CONFIG");
    expect(err?.message).toMatch(new RegExp(`^Config file ${path}, line 2: Nested mappings are not allowed in compact mappings \\(YAML\\)$`));
  });

  test("a document that is not a mapping", () => {
    const path = join(dir, "list.yaml");
    writeFileSync(path, "- host\n- pve1\n");
    expect(() => readYamlDocument(path)).toThrow(`Config file ${path}, line 1: expected a mapping of keys (key: value), not a list`);
  });

  test("an empty file is an empty mapping", () => {
    const path = join(dir, "empty.yaml");
    writeFileSync(path, "# nothing yet\n");
    expect(readYamlDocument(path)).toEqual({});
  });
});
