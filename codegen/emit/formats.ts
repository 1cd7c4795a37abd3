import type { FormatModel, Model } from "../model";
import { lazyJsonConst, toMeta } from "./meta";
import { membersOf, type TypeContext } from "./type-expr";
import { indexNames } from "./types";

/** Keys a caller sets: alias entries (`e1000` → macaddr, `freeze-fs` → …) are spellings, not fields. */
function fieldKeys(f: FormatModel): FormatModel["keys"] {
  return Object.fromEntries(Object.entries(f.keys).filter(([, k]) => k.alias === undefined));
}

/** `formats.ts`: a type per property-string format, its metadata, and typed `parse`/`stringify`. */
export function emitFormatsText(model: Model): string {
  const formats = new Map(model.formats.map((f) => [f.id, f]));
  const ctx: TypeContext = { mode: "in", formats };
  const decls: string[] = [];
  for (const f of model.formats) {
    const { members, indexed } = membersOf(fieldKeys(f), ctx);
    const doc = `/** Property string \`${f.id}\`${f.named ? " (named format)" : ` (first seen at ${f.origin.replace(/\*\//g, "*\\/")})`}. */`;
    decls.push(
      indexed.length
        ? `${doc}\nexport type ${f.typeName} = { ${members} } & ${indexed.join(" & ")};`
        : `${doc}\nexport interface ${f.typeName} {\n${members}\n}`,
    );
  }
  const typeMap = model.formats.map((f) => `${JSON.stringify(f.id)}: ${f.typeName};`).join("\n");
  const meta = Object.fromEntries(
    model.formats.map((f) => [f.id, { keys: Object.fromEntries(Object.entries(f.keys).map(([k, v]) => [k, toMeta(v, true)])) }]),
  );
  return `import type { PropertyFormatMeta } from "./meta-types";
import { lazyRecord } from "./lazy-record";
import { makeCodecs } from "./property-string";
import type { ${["Bool", "IndexedOptions", ...indexNames(model)].join(", ")} } from "./types-common";

${decls.join("\n\n")}

/** Format id → its object type. */
export interface PropertyFormatTypes {
${typeMap}
}

/** Format id → key metadata, used by the runtime's encoder and validator. */
export const propertyFormats = ${lazyJsonConst(meta)} as { readonly [K in keyof PropertyFormatTypes]: PropertyFormatMeta };

/**
 * Typed parse/stringify per format: \`propertyStrings["pve-qm-ide"].parse("local-lvm:vm-100-disk-0,size=32G")\`.
 * Parsing honours the default key, aliases and \`virtio=<mac>\`-style key aliases.
 */
export const propertyStrings = lazyRecord(() => makeCodecs<PropertyFormatTypes>(propertyFormats)) as ReturnType<typeof makeCodecs<PropertyFormatTypes>>;
`;
}
