/**
 * The command line of one API call through `pvesh` on a PVE node.
 *
 * pve-manager's PVE/CLI/pvesh.pm maps the sub-commands onto HTTP verbs (`$method_map`: create → POST,
 * set → PUT, get → GET, delete → DELETE) and its own proxy_handler forwards a call to another node as
 * `pvesh <cmd> <path> --output-format json --key value …`, one `--key value` pair per array element.
 * We build the same shape. Values are the wire strings the HTTPS transport would send (booleans 1/0,
 * property strings as strings, `-list` values comma-joined, array parameters as repeated options):
 * PVE::JSONSchema::get_options reads booleans as optional-value options (`:s`) and everything else as
 * mandatory-value options (`=s`, `=s@` for arrays and `-list` formats), so `--key value` is unambiguous
 * even when a value starts with `-`.
 */

import { PveValidationError } from "../errors";

/** pvesh's sub-command per HTTP verb (pvesh.pm `$method_map`). */
export const PVESH_COMMAND: Readonly<Record<string, string>> = {
  GET: "get",
  POST: "create",
  PUT: "set",
  DELETE: "delete",
};

/**
 * Arguments for `pvesh` (no shell is involved: each element is one argv entry).
 * `path` is the concrete API path as the HTTPS transport builds it (placeholders URL-encoded);
 * pvesh matches raw path segments, so it is decoded, as PVE's HTTP server does before routing.
 */
export function pveshArgs(method: string, path: string, pairs: readonly (readonly [string, string])[]): string[] {
  const command = PVESH_COMMAND[method];
  if (!command) throw new Error(`pvesh has no command for ${method}`);
  const bad = pairs.filter(([key]) => !OPTION_NAME.test(key));
  if (bad.length) {
    throw new PveValidationError(
      bad.map(([param]) => ({ param, code: "unknown", message: "not a parameter name pvesh can take as an option" })),
      { method, path },
    );
  }
  const args = [command, decodePath(path)];
  for (const [key, value] of pairs) args.push(`--${key}`, value);
  args.push("--output-format", "json");
  return args;
}

/** A schema property name (`vmid`, `net0`, `prune-backups`): anything else could read as another option (`a=b`). */
const OPTION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
