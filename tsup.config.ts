import { defineConfig } from "tsup";

// One build for the three public entries and the CLI: ESM (.js) + CJS (.cjs), each with declarations
// (.d.ts for import, .d.cts for require, so TypeScript sees the right module kind either way).
// msw is only reached through `pvekit/testing`; the CLI bundles the simulator core, which does not import it.
const entry = {
  index: "src/index.ts",
  "skill/index": "src/skill/index.ts",
  "testing/index": "src/testing/index.ts",
  cli: "src/skill/cli.ts",
};

export default defineConfig({
  entry,
  format: ["esm", "cjs"],
  dts: { entry },
  target: "node20",
  platform: "node",
  splitting: true,
  sourcemap: false,
  clean: true,
  treeshake: true,
  // dependencies and peers stay imports (tsup would infer them; listed so the intent is visible)
  external: ["msw", "@modelcontextprotocol/sdk", "undici", "yaml", "commander", "zod", "@fastify/busboy"],
});
