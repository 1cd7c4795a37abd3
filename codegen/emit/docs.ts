import type { Model } from "../model";
import { HEADER } from "./header";

/** One method's prose for people (`pvekit usage`): what the runtime metadata leaves out on purpose. */
interface MethodDocs {
  /** description */
  d: string;
  /** permissions, as text */
  perm?: string;
  /** parameter descriptions (path parameters included) */
  p: Record<string, string>;
}

/**
 * `docs.ts`: method and parameter descriptions keyed `"VERB /path"`, parsed on first use. Kept apart from the
 * runtime metadata (and not exported from the generated index) so only the CLI's `usage` loads it.
 */
export function emitDocsText(model: Model): string {
  const docs: Record<string, MethodDocs> = {};
  for (const m of model.methods) {
    const p: Record<string, string> = {};
    for (const [name, s] of Object.entries(m.params)) if (s.description) p[name] = s.description;
    const perm = m.permissions?.description ?? (m.permissions?.check ? JSON.stringify(m.permissions.check) : m.permissions?.user ? `user: ${m.permissions.user}` : undefined);
    docs[m.key] = { d: m.description, ...(perm ? { perm } : {}), p };
  }
  return `${HEADER}import { lazyRecord } from "./lazy-record";

/** Prose of one method for people: description, permissions, parameter descriptions. */
interface MethodDocs {
  d: string;
  perm?: string;
  p: Readonly<Record<string, string>>;
}

/** Method and parameter descriptions keyed \`"VERB /path"\` (parsed on first access; used by \`pvekit usage\`). */
export const docs = lazyRecord<MethodDocs>(() => JSON.parse(${JSON.stringify(JSON.stringify(docs))}));
`;
}
