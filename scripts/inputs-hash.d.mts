/** sha256 over the paths and contents of every file below the given roots, in a stable order. */
export function inputsHash(root: string, paths: string[], options?: { exclude?: string[] }): string;
/** The stamp file's content, or "" when it does not exist. */
export function readStamp(path: string): string;
