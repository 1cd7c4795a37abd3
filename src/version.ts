/** pvekit's version (the package.json version; test/version.test.ts keeps them equal). */
export const VERSION = "0.1.0";
