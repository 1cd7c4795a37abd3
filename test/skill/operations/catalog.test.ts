import { describe, expect, test } from "vitest";
import { setActionFor } from "../../../src/skill/fleet/set-actions";
import { OPERATION_CATALOG, about, operationInfo } from "../../../src/skill/operations/catalog";
import { operations } from "../../../src/skill/operations";
import { powerTier, type PowerAction } from "../../../src/skill/operations/power";
import { loadOperation } from "../../../src/skill/operations/registry";

describe("operation catalog", () => {
  test("lists every operation once, in the order of the loaded list", () => {
    expect(OPERATION_CATALOG.map((i) => i.name)).toEqual(operations.map((op) => op.name));
    expect(new Set(OPERATION_CATALOG.map((i) => i.name)).size).toBe(OPERATION_CATALOG.length);
  });

  test("the registry loads the same definition the list holds, with the catalog's fields", async () => {
    for (const info of OPERATION_CATALOG) {
      const op = await loadOperation(info.name);
      expect(op, info.name).toBe(operations.find((o) => o.name === info.name));
      expect({ name: op!.name, kind: op!.kind, tier: op!.tier, title: op!.title, description: op!.description, args: op!.args }).toEqual({
        name: info.name,
        kind: info.kind,
        tier: info.tier,
        title: info.title,
        description: info.description,
        args: info.args,
      });
    }
  });

  test("`sets` marks exactly the mutations the fleet layer can run over several guests", () => {
    for (const op of operations) expect(operationInfo(op.name)?.sets === true, op.name).toBe(op.kind === "mutation" && setActionFor(op.name) !== undefined);
  });

  test("a power action's tier is the endpoint rule's (the row `api` uses)", () => {
    for (const a of ["start", "shutdown", "reboot", "suspend", "resume", "stop", "reset"] as PowerAction[])
      expect(operationInfo(a)?.tier, a).toBe(powerTier(a));
  });

  test("unknown names: no entry, nothing loaded, and `about` refuses", async () => {
    expect(operationInfo("frobnicate")).toBeUndefined();
    expect(await loadOperation("frobnicate")).toBeUndefined();
    expect(await loadOperation("toString")).toBeUndefined();
    expect(() => about("frobnicate")).toThrow(/No catalog entry/);
  });
});
