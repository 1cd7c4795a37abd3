import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SchemaError } from "../../src/schema/errors";
import { hashTree, loadSchema, parseApidocText, versionFromName } from "../../src/schema/load";
import { treeWith } from "../codegen/helpers";

const tree = treeWith("/version", "GET", {});
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pvekit-load-"));
});

describe("parseApidocText", () => {
  it("accepts a plain JSON tree", () => {
    expect(parseApidocText(JSON.stringify(tree))[0]!.path).toBe("/version");
  });

  it("accepts PVE's apidoc.js with code after the array and brackets inside strings", () => {
    const withTricky = treeWith("/version", "GET", { description: 'has ] and "[" inside' });
    const js = `const apiSchema = ${JSON.stringify(withTricky, null, "\t")};\n\nExt.onReady(function() { var x = [1]; });\n`;
    const parsed = parseApidocText(js, "apidoc.js");
    expect(parsed[0]!.children?.length ?? 0).toBe(0);
    expect(parsed).toEqual(withTricky);
  });

  it.each([
    ["not JSON", "{ nope", /is not valid JSON/],
    ["neither JSON nor apidoc.js", "hello world", /neither JSON nor PVE's apidoc.js/],
    ["an object, not a tree", '{"data": 1}', /expected an array of \{path, info, children\} nodes, got object/],
    ["nodes without path", '[{"text": "x"}]', /root\[0\] has no "path"/],
    ["a tree with no methods", '[{"path": "/x", "children": []}]', /defines no API methods/],
    ["a truncated apidoc.js", "const apiSchema = [{\"path\": \"/x\"", /not closed/],
  ])("rejects %s with a clear SchemaError", (_name, text, message) => {
    expect(() => parseApidocText(text, "input")).toThrowError(SchemaError);
    expect(() => parseApidocText(text, "input")).toThrowError(message);
  });
});

describe("loadSchema", () => {
  it("names a missing file", async () => {
    await expect(loadSchema(join(dir, "missing.json"))).rejects.toThrowError(/cannot read schema file .*missing\.json: ENOENT/);
  });

  it("reads the version from the file name or a sidecar", async () => {
    const named = join(dir, "pve-8.4-final.json");
    await writeFile(named, JSON.stringify(tree));
    expect((await loadSchema(named)).pveVersion).toBe("8.4");
    const plain = join(dir, "apidoc.json");
    await writeFile(plain, JSON.stringify(tree));
    expect((await loadSchema(plain)).pveVersion).toBeUndefined();
    await writeFile(join(dir, "apidoc.meta.json"), JSON.stringify({ pveVersion: "9.2.11" }));
    expect((await loadSchema(plain)).pveVersion).toBe("9.2.11");
    expect(versionFromName("pve-9.2.11.json")).toBe("9.2.11");
  });

  it("hashes the tree, not its formatting", async () => {
    const a = join(dir, "a.json");
    const b = join(dir, "b.js");
    await writeFile(a, JSON.stringify(tree));
    await writeFile(b, `const apiSchema = ${JSON.stringify(tree, null, 2)};`);
    expect((await loadSchema(a)).sha256).toBe((await loadSchema(b)).sha256);
    expect(hashTree(tree)).not.toBe(hashTree(treeWith("/version", "POST", {})));
  });

  describe("from a URL", () => {
    const server = createServer((req, res) => {
      if (req.url === "/pve-docs/api-viewer/apidoc.js") res.end(`const apiSchema = ${JSON.stringify(tree)};`);
      else res.writeHead(404, "Not Found").end();
    });
    let base = "";
    beforeAll(async () => {
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("downloads apidoc.js", async () => {
      const loaded = await loadSchema(`${base}/pve-docs/api-viewer/apidoc.js`);
      expect(loaded.tree).toEqual(tree);
    });

    it("names the HTTP status of a failed download", async () => {
      await expect(loadSchema(`${base}/nope`)).rejects.toThrowError(/cannot fetch schema from .*\/nope: HTTP 404 Not Found/);
    });

    it("names an unreachable URL", async () => {
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      await expect(loadSchema(`http://127.0.0.1:${port}/apidoc.js`)).rejects.toThrowError(
        /cannot fetch schema from http:\/\/127\.0\.0\.1:\d+\/apidoc\.js: ECONNREFUSED/,
      );
    });
  });
});
