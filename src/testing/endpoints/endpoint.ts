import type { SimContext } from "../sim-context";

/** A route the simulator implements: its key (`"VERB /path"`, as in the schema) and behaviour. */
export interface Endpoint {
  key: string;
  /** returns the `data` of the answer; throws `PveHttpError` (or Error: 500) to fail like PVE */
  handle(ctx: SimContext): unknown;
}

/** Shorthand for defining endpoints. */
export const on = (key: string, handle: (ctx: SimContext) => unknown): Endpoint => ({ key, handle });

/** Both guest types share most behaviour; handlers are registered once per type. */
export const GUEST_TYPES = ["qemu", "lxc"] as const;

/** PVE's word for a guest of this type in messages. */
export const noun = (type: "qemu" | "lxc"): string => (type === "qemu" ? "VM" : "CT");
