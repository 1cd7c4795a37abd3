import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { SchemaError } from "../src/schema/errors";
import { generate, summary } from "./generate";
import { defaultFormatsPath } from "./provision";

const USAGE = `usage: npm run codegen -- --schema <file|url> [--out <dir>] [--formats <file>] [--pve-version <v>] [--dump-model <file>]`;

/** `npm run codegen`: regenerate src/generated from a schema file or URL. */
async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        schema: { type: "string" },
        out: { type: "string", default: "src/generated" },
        formats: { type: "string" },
        "pve-version": { type: "string" },
        "dump-model": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const schema = values.schema ?? (existsSync("schema/apidoc.json") ? "schema/apidoc.json" : undefined);
  if (!schema) {
    console.error(`no schema given and schema/apidoc.json does not exist (run npm run setup)\n${USAGE}`);
    return 2;
  }
  const formats = values.formats ?? defaultFormatsPath();
  try {
    const result = await generate({
      schema,
      out: values.out,
      ...(formats ? { formats } : {}),
      ...(values["pve-version"] ? { pveVersion: values["pve-version"] } : {}),
    });
    if (values["dump-model"]) await writeFile(values["dump-model"], `${JSON.stringify(result.model, null, 1)}\n`);
    console.log(summary(result, values.out));
    return 0;
  } catch (err) {
    if (err instanceof SchemaError) {
      console.error(`codegen: ${err.message}\n  (the previous ${values.out} is unchanged)`);
      return 1;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
