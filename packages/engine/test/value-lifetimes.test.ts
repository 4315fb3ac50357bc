/** What a run holds while it goes on, and what it loads before a block runs. */
import { describe, expect, it } from "vitest";
import { BlockRegistry, defineBlock, executePlan, LOAD, WorkflowEngine, type Loadable } from "../src/index.js";
import { OutputLifetimes } from "../src/value-lifetimes.js";
import { echo } from "./fixtures.js";

function chain(n: number, output = n - 1): object {
  return {
    version: "1.0",
    inputs: [{ type: "WorkflowParameter", name: "x" }],
    steps: Array.from({ length: n }, (_, i) => ({ type: "Echo", name: `s${i}`, value: i === 0 ? "$inputs.x" : `$steps.s${i - 1}.output` })),
    outputs: [{ type: "JsonField", name: "out", selector: `$steps.s${output}.output` }],
  };
}

describe("a step's outputs", () => {
  const engine = new WorkflowEngine({ registry: new BlockRegistry([echo]) });

  it("are dropped once the steps that read them have finished: a chain holds two at most, the output's at the end", async () => {
    const plan = engine.compile(chain(10));
    const lifetimes = new OutputLifetimes(plan);
    const held = new Set<string>();
    let most = 0;
    for (const step of plan.steps) {
      held.add(step.name);
      most = Math.max(most, held.size);
      for (const name of lifetimes.finished(step)) held.delete(name);
    }
    expect(most).toBe(2);
    expect([...held]).toEqual(["s9"]);
    const state = await executePlan(plan, new Map([["x", 1]]), undefined);
    expect([...state.outputs.keys()]).toEqual(["s9"]);
  });

  it("are kept while an output selects them, and a step nothing reads is dropped when it finishes", async () => {
    const plan = engine.compile(chain(3, 0));
    const state = await executePlan(plan, new Map([["x", 1]]), undefined);
    expect([...state.outputs.keys()]).toEqual(["s0"]);
    expect((await engine.run(chain(3, 0), { x: 5 })).outputs).toEqual([{ out: 5 }]);
  });
});

/** Counts its loads; one in progress is shared, as WorkflowImage shares its decoding. */
class Lazy implements Loadable {
  loads = 0;
  loaded = false;
  private loading: Promise<void> | undefined;
  [LOAD](): Promise<void> | undefined {
    if (this.loaded) return undefined;
    return (this.loading ??= Promise.resolve().then(() => {
      this.loads++;
      this.loaded = true;
    }));
  }
}

describe("values that load on first need", () => {
  const seen: Record<string, boolean> = {};
  const reader = (name: string, deferLoad: boolean) =>
    defineBlock<{ value: Lazy }>({
      manifest: {
        type: `test/${name}@v1`,
        name,
        description: "Records whether its value was loaded when it ran.",
        family: "formatters",
        fields: { value: { kinds: ["*"], required: true, deferLoad } },
        outputs: [{ name: "output", kinds: ["*"] }],
      },
      run: ({ value }, ctx) => ((seen[ctx.step] = value.loaded), { output: null }),
    });
  const engine = new WorkflowEngine({ registry: new BlockRegistry([reader("Reads", false), reader("ReadsItself", true)]) });
  const run = (steps: [string, string][], x: Lazy) =>
    engine.run(
      {
        version: "1.0",
        inputs: [{ type: "WorkflowParameter", name: "x" }],
        steps: steps.map(([type, name]) => ({ type: `test/${type}@v1`, name, value: "$inputs.x" })),
        outputs: [],
      },
      { x },
    );

  it("are loaded, once, before a block reads them", async () => {
    const x = new Lazy();
    await run([["Reads", "a"], ["Reads", "b"]], x);
    expect(seen).toMatchObject({ a: true, b: true });
    expect(x.loads).toBe(1);
  });

  it("are left to a deferLoad field's block, unless another reader needs them loaded anyway", async () => {
    const alone = new Lazy();
    await run([["ReadsItself", "c"]], alone);
    expect(seen["c"]).toBe(false);
    expect(alone.loads).toBe(0);
    const shared = new Lazy();
    await run([["ReadsItself", "d"], ["Reads", "e"]], shared);
    expect(seen).toMatchObject({ d: true, e: true });
    expect(shared.loads).toBe(1);
  });
});
