import * as prettier from "prettier";

const OPTIONS: prettier.Options = { printWidth: 120, parser: "typescript" };

/** Format every TS file with prettier so generated code is readable and stable. */
export async function formatFiles(files: Record<string, string>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    out[name] = name.endsWith(".ts") ? await prettier.format(text, OPTIONS) : text;
  }
  return out;
}
