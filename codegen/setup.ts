import { join } from "node:path";
import { SchemaError } from "./errors";
import { generate, summary } from "./generate";
import { defaultFormatsPath, provisionSchema, REPO_ROOT } from "./provision";

/** The setup step run by `npm ci` / `npm install` (via scripts/setup.mjs): schema, then codegen. */
async function main(): Promise<void> {
  const p = await provisionSchema();
  console.log(`pvekit setup: schema/apidoc.json from ${p.from === "shared" ? "../shared/pve-apidoc" : p.from === "env" ? "$PVEKIT_SCHEMA" : "the existing file"} (${p.source})`);
  const formats = defaultFormatsPath();
  const out = join(REPO_ROOT, "src", "generated");
  const result = await generate({ schema: p.path, out, ...(formats ? { formats } : {}) });
  console.log(summary(result, "src/generated"));
}

main().catch((err: unknown) => {
  console.error(err instanceof SchemaError ? `pvekit setup: ${err.message}` : err);
  process.exit(1);
});
