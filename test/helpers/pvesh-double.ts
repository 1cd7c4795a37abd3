import { readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The directory holding the pvesh test double (test/helpers/pvesh-double/pvesh, a node script). */
export const PVESH_DOUBLE_DIR = join(dirname(fileURLToPath(import.meta.url)), "pvesh-double");

/**
 * Environment that puts the pvesh test double first on PATH and points it at a simulator served over
 * HTTPS (`url`, `fingerprint`, a token of that simulator). `argvLog` records every invocation's argv.
 */
export function pveshDoubleEnv(
  server: { url: string; fingerprint: string },
  token: { tokenId: string; secret: string },
  extra: NodeJS.ProcessEnv & { argvLog?: string } = {},
): NodeJS.ProcessEnv {
  const { argvLog, ...rest } = extra;
  return {
    PATH: `${PVESH_DOUBLE_DIR}${delimiter}${process.env.PATH ?? ""}`,
    PVESH_DOUBLE_URL: server.url,
    PVESH_DOUBLE_FINGERPRINT: server.fingerprint,
    PVESH_DOUBLE_TOKEN: `${token.tokenId}=${token.secret}`,
    ...(argvLog ? { PVESH_DOUBLE_ARGV_LOG: argvLog } : {}),
    ...rest,
  };
}

/** The argv of every pvesh invocation recorded in `file`. */
export function readArgvLog(file: string): string[][] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as string[]);
}
