import { emitAll } from "./emit/index";
import { formatFiles } from "./format";
import { builtinFormatDefs, loadFormatDefs } from "./formats-defs";
import { loadSchema } from "../src/schema/load";
import { buildModel, type Model } from "./model";
import { normalize } from "../src/schema/normalize";
import { applyReturnOverrides } from "./overrides";
import { writeOutput } from "./write";

export interface GenerateOptions {
  /** Path or URL of the apidoc tree (JSON or apidoc.js). */
  schema: string;
  /**
   * A named-format definitions file (Proxmox's dump, e.g. ../shared/pve-apidoc/formats-*.json); its entries
   * take precedence over the project's own (codegen/data/named-formats.ts), which are always used.
   */
  formats?: string;
  /** Output directory; when absent nothing is written (the files are returned). */
  out?: string;
  pveVersion?: string;
}

export interface GenerateResult {
  model: Model;
  files: Record<string, string>;
  source: string;
}

/** The whole pipeline: load → normalise → overrides → model → emit → format (→ write). */
export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const loaded = await loadSchema(opts.schema, opts.pveVersion ? { pveVersion: opts.pveVersion } : {});
  const namedFormats = { ...builtinFormatDefs(), ...(opts.formats ? await loadFormatDefs(opts.formats) : {}) };
  const { tree, unmatched } = applyReturnOverrides(normalize(loaded.tree));
  const model = buildModel({
    tree,
    namedFormats,
    schemaSha256: loaded.sha256,
    ...(loaded.pveVersion ? { pveVersion: loaded.pveVersion } : {}),
  });
  for (const row of unmatched) model.warnings.push(`return override ${row} matches nothing in this schema`);
  const files = await formatFiles(emitAll(model));
  if (opts.out) await writeOutput(opts.out, files);
  return { model, files, source: loaded.source };
}

/** One-paragraph summary for people: methods, formats, version. */
export function summary(r: GenerateResult, out?: string): string {
  const m = r.model;
  const tasks = m.methods.filter((x) => x.upid).length;
  const named = m.formats.filter((f) => f.named).length;
  const lines = [
    `pvekit codegen: PVE ${m.pveVersion ?? "(version unknown)"} from ${r.source}`,
    `  methods: ${m.methods.length} (${tasks} return a task UPID)`,
    `  property-string formats: ${m.formats.length} (${named} named, ${m.formats.length - named} inline)`,
    `  indexed options: ${Object.entries(m.indexRanges).map(([k, n]) => `${k}0..${k}${n - 1}`).join(", ") || "none"}`,
    `  patterns: ${m.patterns.length}; schema sha256 ${m.schemaSha256.slice(0, 16)}…`,
  ];
  if (m.undefinedFormats.length) lines.push(`  named formats without a definition (typed as string): ${m.undefinedFormats.join(", ")}`);
  for (const w of m.warnings) lines.push(`  warning: ${w}`);
  if (out) lines.push(`  wrote ${Object.keys(r.files).length} files to ${out}`);
  return lines.join("\n");
}
