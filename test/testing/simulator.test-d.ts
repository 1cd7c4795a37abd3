import { describe, expectTypeOf, it } from "vitest";
import { createSimulator, generateCluster, type ClusterState, type SimCoverage, type SimulatorOptions } from "../../src/testing";

describe("simulator types", () => {
  it("takes cluster sizes and a fixed task duration; reports coverage", () => {
    const sim = createSimulator({ nodes: 16, guests: 2000, seed: 3, taskDurationMs: 500, clock: { mode: "scaled", scale: 20 } });
    expectTypeOf(sim.coverage()).toEqualTypeOf<SimCoverage>();
    expectTypeOf(sim.coverage().modelled).toEqualTypeOf<string[]>();
    expectTypeOf(generateCluster(0, { nodes: 2, guests: 10 })).toEqualTypeOf<ClusterState>();
    expectTypeOf<SimulatorOptions["nodes"]>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error sizes are numbers
    createSimulator({ nodes: "16" });
    // @ts-expect-error a generated cluster needs both sizes
    generateCluster(0, { nodes: 2 });
  });
});
