import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inputsHash, readStamp } from "../scripts/inputs-hash.mjs";
import { SchemaError } from "../src/schema/errors";
import { generate, summary } from "./generate";
import { defaultFormatsPath, provisionSchema, REPO_ROOT } from "./provision";

/** The setup step run by `npm ci` / `npm install` (via scripts/setup.mjs): schema, then codegen. */
async function main(): Promise<void> {
  const p = await provisionSchema();
  console.log(`pvekit setup: schema/apidoc.json from ${p.from === "shared" ? "../shared/pve-apidoc" : p.from === "env" ? "$PVEKIT_SCHEMA" : "the existing file"} (${p.source})`);
  const formats = defaultFormatsPath();
  const out = join(REPO_ROOT, "src", "generated");
  // Skip regeneration only when the inputs (schema/, the generator, src/schema) are unchanged AND
  // src/generated is still what this step wrote: `npm run codegen -- --schema <other>` in between
  // changes the output, and the next setup must put back what schema/apidoc.json says.
  const stamp = join(out, ".inputs-sha256");
  const inputs = () => inputsHash(REPO_ROOT, ["schema", "codegen", "src/schema"]);
  const output = () => inputsHash(REPO_ROOT, ["src/generated"], { exclude: [stamp] });
  const want = `${inputs()} ${output()}`;
  if (readStamp(stamp) === want && !process.argv.includes("--force")) {
    console.log("pvekit setup: src/generated is up to date");
    return;
  }
  const result = await generate({ schema: p.path, out, ...(formats ? { formats } : {}) });
  await writeFile(stamp, `${inputs()} ${output()}\n`);
  console.log(summary(result, "src/generated"));
}

main().catch((err: unknown) => {
  console.error(err instanceof SchemaError ? `pvekit setup: ${err.message}` : err);
  process.exit(1);
});
