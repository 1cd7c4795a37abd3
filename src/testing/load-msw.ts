import { createRequire } from "node:module";
import type * as Msw from "msw";

/**
 * msw, loaded the first time the simulator's msw face is used (`sim.handlers`, `createMswHandlers`):
 * msw is an optional peer, so `pvekit/testing` loads and `sim.listen()` works without it. Loaded
 * synchronously (`handlers` is a property); msw recognises handlers by their `kind`, not by class,
 * so these work with the `setupServer` a test imports whichever way.
 */
export function loadMsw(): typeof Msw {
  try {
    return createRequire(import.meta.url)("msw") as typeof Msw;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && /'msw'|"msw"/.test((err as Error).message)) {
      throw new Error("pvekit/testing: the msw handlers need msw, an optional peer dependency: npm install --save-dev msw (sim.listen() needs nothing)", {
        cause: err,
      });
    }
    throw err;
  }
}
