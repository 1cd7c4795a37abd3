import { defineConfig } from "tsup";
import type { Plugin } from "esbuild";

// Two builds (scripts/build.mjs runs this, then emits the declarations). The library: the three public
// entries as ESM (.js) + CJS (.cjs), its dependencies left as imports (tsup would infer them; listed so
// the intent is visible). msw is only reached through `pvekit/testing`'s msw handlers.
// The CLI (dist/cli/): ESM with its dependencies bundled in, and code splitting so that each command
// loads only its own modules (src/skill/cli/program.ts) — a fresh `pvekit` process per agent step
// pays for what one command needs, in a few files (see bench/RESULTS.md, "CLI").
const entry = {
  index: "src/index.ts",
  "skill/index": "src/skill/index.ts",
  "testing/index": "src/testing/index.ts",
};
const dependencies = ["msw", "@modelcontextprotocol/sdk", "undici", "yaml", "commander", "zod", "@fastify/busboy"];

/**
 * undici's dispatcher loads its HTTP/2 client (and with it node:http2, ≈ 10 ms in a fresh process)
 * whatever the connection speaks. pvekit never offers h2 (no allowH2; PVE's API is HTTP/1.1), so the
 * CLI bundle gets a stand-in that fails loudly if it were ever reached.
 */
const http1Only: Plugin = {
  name: "pvekit-http1-only",
  setup(build) {
    build.onResolve({ filter: /^\.\/client-h2\.js$/ }, (args) =>
      /undici[\\/]lib[\\/]dispatcher$/.test(args.resolveDir) ? { path: "undici-client-h2", namespace: "pvekit-stub" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "pvekit-stub" }, () => ({
      contents: 'module.exports = function connectH2() { throw new Error("pvekit speaks HTTP/1.1 only; the server negotiated h2"); };',
      loader: "js",
    }));
  },
};

export default defineConfig([
  {
    entry,
    format: ["esm", "cjs"],
    target: "node20",
    platform: "node",
    splitting: true,
    sourcemap: false,
    clean: ["**/*", "!cli/**"],
    treeshake: true,
    external: dependencies,
    // import.meta.url in the CommonJS build (pvekit/testing loads msw with createRequire)
    shims: true,
  },
  {
    entry: { pvekit: "src/skill/cli.ts" },
    outDir: "dist/cli",
    format: ["esm"],
    target: "node20",
    platform: "node",
    splitting: true,
    sourcemap: false,
    clean: true,
    treeshake: true,
    // the MCP SDK (only `pvekit mcp`) and msw (never reached by the CLI) stay imports
    external: ["@modelcontextprotocol/sdk", "msw"],
    noExternal: ["undici", "yaml", "commander", "zod", "@fastify/busboy"],
    esbuildPlugins: [http1Only],
    // bundled CommonJS (undici, commander) calls require() for Node's built-in modules
    banner: { js: 'import { createRequire as __pvekitCreateRequire } from "node:module";\nconst require = __pvekitCreateRequire(import.meta.url);' },
  },
]);
