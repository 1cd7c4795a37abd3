import type { HttpHandler } from "msw";
import { createMswHandlers } from "./msw-handlers";
import { Simulator, type SimulatorOptions } from "./simulator";

export interface PveSimulatorOptions extends SimulatorOptions {
  /** origin the msw handlers answer for (default: any host) */
  baseUrl?: string;
}

/** The simulator with its msw face (`handlers`); the class users get from `pvekit/testing`. */
export class PveSimulator extends Simulator {
  #handlers: HttpHandler[] | undefined;
  readonly #baseUrl: string | undefined;

  constructor(opts: PveSimulatorOptions = {}) {
    super(opts);
    this.#baseUrl = opts.baseUrl;
  }

  /** msw handlers: `setupServer(...sim.handlers)`. */
  get handlers(): HttpHandler[] {
    this.#handlers ??= createMswHandlers(this, this.#baseUrl);
    return this.#handlers;
  }
}
