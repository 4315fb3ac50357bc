import { describe, expect, it } from "vitest";
import { BlockRegistry, defineBlock, InputRequired, WorkflowEngine, type Block, type HumanInputRequest, type RestoredStep, type StepCheckpoints, type StepEvent, type StepTiming, type WorkflowError } from "../src/index.js";
import { testBlocks } from "./fixtures.js";

/** Counts its runs per step, so that a test sees which steps ran and which were restored. */
const runsPerStep = new Map<string, number>();
const counted = defineBlock<{ value: unknown }>({
  manifest: {
    type: "test/counted@v1",
    name: "Counted",
    description: "Returns its value; counts its runs.",
    family: "formatters",
    fields: { value: { kinds: ["*"], required: true } },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  run: ({ value }, ctx) => {
    runsPerStep.set(ctx.step, (runsPerStep.get(ctx.step) ?? 0) + 1);
    return { output: value };
  },
});

const ask = defineBlock<{ data: unknown }>({
  manifest: {
    type: "test/ask@v1",
    name: "Ask",
    description: "Asks a person about its data; its output is the answer.",
    family: "flow_control",
    fields: { data: { kinds: ["*"] } },
    outputs: [{ name: "answer", kinds: ["*"] }],
  },
  run: async ({ data }, ctx) => {
    const answer = await ctx.services.humanInput!.requestInput({ step: ctx.step, index: ctx.index, prompt: "ok?", schema: { type: "boolean" }, data });
    return { answer };
  },
});

const engine = new WorkflowEngine({ registry: new BlockRegistry([...testBlocks, counted, ask] as Block[]) });

function wf(steps: unknown[], outputs: Record<string, string>, inputs: unknown[] = []): Record<string, unknown> {
  return { version: "1.0", inputs, steps, outputs: Object.entries(outputs).map(([name, selector]) => ({ type: "JsonField", name, selector })) };
}

interface Saved {
  output: unknown;
  timing: StepTiming;
}

/** Checkpoints in a map; `log` records when each save completed, beside the run's events. */
class MapCheckpoints implements StepCheckpoints {
  readonly saved = new Map<string, Saved>();
  readonly asked: string[] = [];
  constructor(
    readonly log: string[] = [],
    private readonly from = new Map<string, Saved>(),
  ) {}
  async restore(step: string): Promise<RestoredStep | undefined> {
    this.asked.push(step);
    return this.from.get(step);
  }
  async save(step: string, output: unknown, timing: StepTiming): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.saved.set(step, { output, timing });
    this.log.push(`saved ${step}`);
  }
}

const chain = wf(
  [
    { type: "test/counted@v1", name: "a", value: "$inputs.x" },
    { type: "test/split@v1", name: "b", value: "$steps.a.output", count: 2 },
    { type: "test/counted@v1", name: "c", value: "$steps.b.item" },
  ],
  { c: "$steps.c.output" },
  [{ type: "WorkflowBatchInput", name: "x" }],
);

function logEvents(log: string[]): (event: StepEvent) => void {
  return (event) => log.push(`${event.type} ${event.step}${event.type === "step_finished" && event.reused ? " reused" : ""}`);
}

describe("step checkpoints", () => {
  it("saves each step's nested output and timing after it ran, before its step_finished and before its dependents start", async () => {
    const log: string[] = [];
    const checkpoints = new MapCheckpoints(log);
    const before = Date.now();
    const { outputs } = await engine.run(chain, { x: ["p", "q"] }, { checkpoints, onEvent: logEvents(log) });
    expect(outputs).toEqual([{ c: ["p:0", "p:1"] }, { c: ["q:0", "q:1"] }]);
    expect(log).toEqual(["step_started a", "saved a", "step_finished a", "step_started b", "saved b", "step_finished b", "step_started c", "saved c", "step_finished c"]);
    expect(checkpoints.saved.get("a")!.output).toEqual([{ output: "p" }, { output: "q" }]);
    expect(checkpoints.saved.get("c")!.output).toEqual([[{ output: "p:0" }, { output: "p:1" }], [{ output: "q:0" }, { output: "q:1" }]]);
    const timing = checkpoints.saved.get("c")!.timing;
    expect(timing).toMatchObject({ elements: 4, skipped: 0 });
    expect(timing.startedAt).toBeGreaterThanOrEqual(before);
    // Asked for the first step only: the others depend on a step that ran.
    expect(checkpoints.asked).toEqual(["a"]);
  });

  it("restores saved steps without running them, reporting them reused with the timings of the attempt that made them", async () => {
    const first = new MapCheckpoints();
    const expected = await engine.run(chain, { x: ["p", "q"] }, { checkpoints: first });
    // The last step's checkpoint is gone (it failed, say): a and b come back, c runs.
    const from = new Map(first.saved);
    from.delete("c");
    const again = new MapCheckpoints([], from);
    const log: string[] = [];
    const events: StepEvent[] = [];
    runsPerStep.clear();
    const result = await engine.run(chain, { x: ["p", "q"] }, { checkpoints: again, onEvent: (e) => (events.push(e), logEvents(log)(e)) });
    expect(result.outputs).toEqual(expected.outputs);
    expect(Object.fromEntries(runsPerStep)).toEqual({ c: 4 });
    expect(log).toEqual(["step_finished a reused", "step_finished b reused", "step_started c", "step_finished c"]);
    const reusedB = events.find((e) => e.type === "step_finished" && e.step === "b");
    const { durationMs, elements, skipped } = first.saved.get("b")!.timing;
    expect(reusedB).toMatchObject({ durationMs, elements, skipped, reused: true });
    // Restored steps are not saved again; the one that ran is.
    expect([...again.saved.keys()]).toEqual(["c"]);
  });

  it("runs a step again when a step it depends on ran, even if its own checkpoint is there", async () => {
    const first = new MapCheckpoints();
    await engine.run(chain, { x: ["p"] }, { checkpoints: first });
    const from = new Map(first.saved);
    from.delete("a");
    const again = new MapCheckpoints([], from);
    runsPerStep.clear();
    await engine.run(chain, { x: ["p"] }, { checkpoints: again });
    expect(again.asked).toEqual(["a"]);
    expect(Object.fromEntries(runsPerStep)).toEqual({ a: 1, c: 2 });
  });

  it("fails the step, with a step_failed event, when its checkpoint cannot be read or kept", async () => {
    const broken = (which: "restore" | "save"): StepCheckpoints => ({
      restore: async () => {
        if (which === "restore") throw new Error("bucket unreachable");
        return undefined;
      },
      save: async () => {
        if (which === "save") throw new Error("bucket full");
      },
    });
    for (const [which, message] of [["restore", "bucket unreachable"], ["save", "bucket full"]] as const) {
      const events: StepEvent[] = [];
      const error = (await engine.run(chain, { x: ["p"] }, { checkpoints: broken(which), onEvent: (e) => events.push(e) }).catch((e: unknown) => e)) as WorkflowError;
      expect(error.code).toBe("step_execution_error");
      expect(error.message).toBe(`Step "a" failed: ${message}`);
      expect(events.map((e) => `${e.type} ${e.step}`)).toEqual(which === "restore" ? ["step_failed a"] : ["step_started a", "step_failed a"]);
    }
  });
});

describe("human input", () => {
  const review = wf(
    [
      { type: "test/counted@v1", name: "detect", value: "$inputs.x" },
      { type: "test/ask@v1", name: "confirm", data: "$steps.detect.output" },
      { type: "test/counted@v1", name: "after", value: "$steps.confirm.answer" },
      { type: "test/sleep@v1", name: "elsewhere", ms: 30, value: "$inputs.x" },
    ],
    { answer: "$steps.after.output", other: "$steps.elsewhere.output" },
    [{ type: "WorkflowParameter", name: "x" }],
  );

  it("rejects with the InputRequired a block threw, without a step_failed, once the branches that do not wait have finished and been saved", async () => {
    const requests: HumanInputRequest[] = [];
    const humanInput = {
      requestInput: async (request: HumanInputRequest): Promise<unknown> => {
        requests.push(request);
        throw new InputRequired(request);
      },
    };
    const log: string[] = [];
    const checkpoints = new MapCheckpoints(log);
    const error = await engine.run(review, { x: 7 }, { checkpoints, services: { humanInput }, onEvent: logEvents(log) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputRequired);
    expect((error as InputRequired).request).toEqual({ step: "confirm", index: [], prompt: "ok?", schema: { type: "boolean" }, data: 7 });
    expect(requests).toHaveLength(1);
    expect(log.filter((l) => l.startsWith("step_failed"))).toEqual([]);
    expect(log).not.toContain("step_started after");
    // The branch beside the wait ran to its end, the slower one included, and is checkpointed.
    expect(log).toContain("step_finished elsewhere");
    expect([...checkpoints.saved.keys()].sort()).toEqual(["detect", "elsewhere"]);

    // Resumed with the answer: the finished steps come back, the waiting one answers and the rest runs.
    const resumed = new MapCheckpoints([], checkpoints.saved);
    runsPerStep.clear();
    const { outputs } = await engine.run(review, { x: 7 }, { checkpoints: resumed, services: { humanInput: { requestInput: async () => true } } });
    expect(outputs).toEqual([{ answer: true, other: 7 }]);
    expect(Object.fromEntries(runsPerStep)).toEqual({ after: 1 });
  });

  it("takes a run's own humanInput over the engine's", async () => {
    const answering = (answer: string) => ({ requestInput: async () => answer });
    const withService = new WorkflowEngine({ registry: engine.registry, services: { humanInput: answering("engine's") } });
    expect((await withService.run(review, { x: 1 })).outputs[0]!["answer"]).toBe("engine's");
    expect((await withService.run(review, { x: 1 }, { services: { humanInput: answering("run's") } })).outputs[0]!["answer"]).toBe("run's");
  });
});
