import { defineConfig } from "tsup";

// One build for the three public entries and the CLI: ESM + CJS with declarations.
// msw is only reached through `pvekit/testing`; the CLI bundles the simulator core, which does not import it.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    cli: "src/skill/cli.ts",
  },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", "testing/index": "src/testing/index.ts" } },
  target: "node20",
  platform: "node",
  splitting: true,
  sourcemap: false,
  clean: true,
  treeshake: true,
  external: ["msw", "@modelcontextprotocol/sdk", "undici", "yaml", "commander", "zod"],
});
