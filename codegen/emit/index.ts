import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Project } from "ts-morph";
import type { Model } from "../model";
import { emitDocsText } from "./docs";
import { emitFormatsText } from "./formats";
import { HEADER } from "./header";
import { emitPatterns, emitRoutes } from "./meta";
import { emitPermissionsText } from "./permissions";
import { emitTreeText } from "./tree";
import { commonTypesText, typesStatements } from "./types";

const TEMPLATES = ["lazy-record.ts", "meta-types.ts", "property-string.ts"];

/** Every generated file, by path relative to the output directory (unformatted). */
export function emitAll(model: Model): Record<string, string> {
  const project = new Project({ useInMemoryFileSystem: true });
  const types = project.createSourceFile("types.ts", "");
  types.addStatements(typesStatements(model));
  const files: Record<string, string> = {
    "types.ts": HEADER + types.getFullText(),
    "types-common.ts": HEADER + commonTypesText(model),
    "tree.ts": HEADER + emitTreeText(model),
    "formats.ts": HEADER + emitFormatsText(model),
    "patterns.ts": emitPatterns(model),
    "docs.ts": emitDocsText(model),
    "permissions.ts": emitPermissionsText(model),
    "schema-info.ts": HEADER + schemaInfoText(model),
    "index.ts": HEADER + indexText(),
    "README.md": readmeText(model),
    ...emitRoutes(model),
  };
  for (const t of TEMPLATES) {
    files[t] = HEADER + readFileSync(fileURLToPath(new URL(`../templates/${t}`, import.meta.url)), "utf8");
  }
  return files;
}

function schemaInfoText(model: Model): string {
  const info = {
    pveVersion: model.pveVersion ?? null,
    schemaSha256: model.schemaSha256,
    methods: model.methods.length,
    formats: model.formats.length,
    indexRanges: model.indexRanges,
  };
  return `/** What these bindings were generated from. */\nexport const schemaInfo = ${JSON.stringify(info)} as const;\n`;
}

function indexText(): string {
  return [
    "types-common",
    "types",
    "tree",
    "formats",
    "routes",
    "patterns",
    "meta-types",
    "property-string",
    "schema-info",
  ]
    .map((m) => `export * from "./${m}";`)
    .join("\n");
}

function readmeText(model: Model): string {
  return `# Generated — do not edit

Everything in this directory is written by \`npm run codegen\` from the Proxmox VE API schema
(PVE ${model.pveVersion ?? "version unknown"}, sha256 ${model.schemaSha256.slice(0, 16)}…) and is git-ignored.
Edit \`codegen/\` instead. The contract of these files is in \`codegen/README.md\`.
`;
}
