import { describe, expect, it } from "vitest";
import { StepExecutionError, WorkflowError, type StepEvent } from "../src/index.js";
import { batchCalls, testEngine } from "./fixtures.js";

const engine = testEngine();

function wf(steps: unknown[], outputs: unknown[], inputs: unknown[] = []): Record<string, unknown> {
  return { version: "1.0", inputs, steps, outputs };
}
const out = (name: string, selector: string): Record<string, string> => ({ type: "JsonField", name, selector });

describe("runtime inputs", () => {
  const def = wf(
    [{ type: "Echo", name: "e", value: "$inputs.items" }, { type: "Echo", name: "p", value: "$inputs.param" }],
    [out("item", "$steps.e.output"), out("param", "$steps.p.output")],
    [{ type: "WorkflowBatchInput", name: "items" }, { type: "WorkflowParameter", name: "param", default_value: 7 }],
  );

  it("runs once per batch element and broadcasts parameters", async () => {
    const { outputs } = await engine.run(def, { items: ["a", "b", "c"], param: 1 });
    expect(outputs).toEqual([{ item: "a", param: 1 }, { item: "b", param: 1 }, { item: "c", param: 1 }]);
  });

  it("gives a missing parameter its default and ignores undeclared inputs", async () => {
    const { outputs } = await engine.run(def, { items: ["a"], unrelated: 42 });
    expect(outputs).toEqual([{ item: "a", param: 7 }]);
  });

  it("treats a single value as a batch of one", async () => {
    const { outputs } = await engine.run(def, { items: "solo" });
    expect(outputs).toEqual([{ item: "solo", param: 7 }]);
  });

  it("broadcasts batches of length 1 and rejects other length differences", async () => {
    const two = wf(
      [{ type: "Echo", name: "a", value: "$inputs.a" }, { type: "Echo", name: "b", value: "$inputs.b" }],
      [out("a", "$steps.a.output"), out("b", "$steps.b.output")],
      [{ type: "WorkflowBatchInput", name: "a" }, { type: "WorkflowBatchInput", name: "b" }],
    );
    expect((await engine.run(two, { a: [1, 2], b: [9] })).outputs).toEqual([{ a: 1, b: 9 }, { a: 2, b: 9 }]);
    const error = await engine.run(two, { a: [1, 2], b: [1, 2, 3] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).code).toBe("batch_length_mismatch");
    expect((error as WorkflowError).details).toMatchObject({ pointer: "/inputs/a", lengths: { a: 2, b: 3 } });
  });

  it("requires batch inputs", async () => {
    const error = (await engine.run(def, { param: 1 }).catch((e: unknown) => e)) as WorkflowError;
    expect(error.code).toBe("missing_input");
    expect(error.status).toBe(400);
    expect(error.details["pointer"]).toBe("/inputs/items");
  });

  it("returns one result for a run without batches", async () => {
    const scalar = wf([{ type: "Echo", name: "p", value: "$inputs.param" }], [out("param", "$steps.p.output")], [{ type: "WorkflowParameter", name: "param" }]);
    expect((await engine.run(scalar, { param: "x" })).outputs).toEqual([{ param: "x" }]);
    // Omitted without default_value, the parameter is null, which a required field refuses.
    const error = (await engine.run(scalar, {}).catch((e: unknown) => e)) as WorkflowError;
    expect([error.code, error.details["pointer"]]).toEqual(["missing_input", "/inputs/param"]);
  });

  it("zips inputs of dimensionality 2 and checks that they nest alike", async () => {
    const deep = wf(
      [{ type: "Echo", name: "e", value: "$inputs.a" }, { type: "Echo", name: "f", value: "$inputs.b" }],
      [out("a", "$steps.e.output"), out("b", "$steps.f.output")],
      [{ type: "WorkflowBatchInput", name: "a", dimensionality: 2 }, { type: "WorkflowBatchInput", name: "b", dimensionality: 2 }],
    );
    expect((await engine.run(deep, { a: [[1, 2], []], b: [[3, 4], []] })).outputs).toEqual([{ a: [1, 2], b: [3, 4] }, { a: [], b: [] }]);
    const error = (await engine.run(deep, { a: [[1, 2]], b: [[3]] }).catch((e: unknown) => e)) as WorkflowError;
    expect(error.code).toBe("batch_length_mismatch");
    expect(error.details["pointer"]).toBe("/inputs/a/0");
  });
});

describe("dimensionality", () => {
  const def = wf(
    [
      { type: "test/split@v1", name: "split", value: "$inputs.items", count: "$inputs.count" },
      { type: "Echo", name: "child", value: "$steps.split.item" },
      { type: "test/collapse@v1", name: "gathered", data: "$steps.child.output" },
    ],
    [out("children", "$steps.child.output"), out("gathered", "$steps.gathered.output")],
    [{ type: "WorkflowBatchInput", name: "items" }, { type: "WorkflowParameter", name: "count" }],
  );

  it("nests outputs of steps that add a dimension, and collapses them back", async () => {
    const { outputs } = await engine.run(def, { items: ["a", "b"], count: 2 });
    expect(outputs).toEqual([
      { children: ["a:0", "a:1"], gathered: ["a:0", "a:1"] },
      { children: ["b:0", "b:1"], gathered: ["b:0", "b:1"] },
    ]);
  });

  it("gives [] for an element with no children", async () => {
    const { outputs } = await engine.run(def, { items: ["a"], count: 0 });
    expect(outputs).toEqual([{ children: [], gathered: [] }]);
  });

  it("plans levels and lineage", () => {
    const plan = engine.compile(def);
    const levels = Object.fromEntries(plan.steps.map((s) => [s.name, [s.level, s.output.level, s.output.lineage.join(">")]]));
    expect(levels).toEqual({ split: [1, 2, "$inputs>split"], child: [2, 2, "$inputs>split"], gathered: [1, 1, "$inputs"] });
  });
});

describe("flow control", () => {
  const def = wf(
    [
      { type: "test/gate@v1", name: "gate", value: "$inputs.items", equals: "go", next: ["$steps.a", "$steps.b"] },
      { type: "Echo", name: "a", value: "$inputs.items" },
      { type: "Echo", name: "b", value: "$inputs.label" },
      { type: "Echo", name: "after_a", value: "$steps.a.output" },
      { type: "test/first@v1", name: "first", data: ["$steps.a.output", "$inputs.label"] },
      { type: "test/split@v1", name: "split", value: "$steps.a.output", count: 1 },
    ],
    [out("a", "$steps.a.output"), out("b", "$steps.b.output"), out("after_a", "$steps.after_a.output"), out("first", "$steps.first.output"), out("split", "$steps.split.item")],
    [{ type: "WorkflowBatchInput", name: "items" }, { type: "WorkflowParameter", name: "label", default_value: "L" }],
  );

  it("skips gated elements: null in outputs ([] for what a skipped step would have nested), propagated downstream, accepted as null where the block allows", async () => {
    const { outputs } = await engine.run(def, { items: ["go", "stop", "go"] });
    expect(outputs).toEqual([
      { a: "go", b: "L", after_a: "go", first: "go", split: ["go:0"] },
      { a: null, b: null, after_a: null, first: "L", split: [] },
      { a: "go", b: "L", after_a: "go", first: "go", split: ["go:0"] },
    ]);
  });

  it("runs a step fed only by parameters once per element when its gate decides per element", () => {
    const b = engine.compile(def).stepsByName.get("b")!;
    expect([b.level, b.shapeFrom]).toEqual([1, { t: "decision", step: "gate" }]);
  });

  it("gates a whole run from a parameter", async () => {
    const scalar = wf(
      [{ type: "test/gate@v1", name: "gate", value: "$inputs.flag", equals: 1, next: ["$steps.a"] }, { type: "Echo", name: "a", value: "$inputs.items" }],
      [out("a", "$steps.a.output")],
      [{ type: "WorkflowParameter", name: "flag" }, { type: "WorkflowBatchInput", name: "items" }],
    );
    expect((await engine.run(scalar, { flag: 1, items: [1, 2] })).outputs).toEqual([{ a: 1 }, { a: 2 }]);
    expect((await engine.run(scalar, { flag: 0, items: [1, 2] })).outputs).toEqual([{ a: null }, { a: null }]);
  });
});

describe("outputs", () => {
  const def = wf(
    [{ type: "Echo", name: "e", value: "$inputs.x" }, { type: "test/number@v1", name: "n", value: 3 }],
    [out("all", "$steps.e.*"), out("n", "$steps.n.output"), out("raw", "$inputs.x")],
    [{ type: "WorkflowBatchInput", name: "x" }],
  );

  it("gives every output of a step for a wildcard, and drops excluded fields", async () => {
    expect((await engine.run(def, { x: [1] })).outputs).toEqual([{ all: { output: 1 }, n: 3, raw: 1 }]);
    expect((await engine.run(def, { x: [1, 2] }, { excludedFields: ["all", "raw"] })).outputs).toEqual([{ n: 3 }, { n: 3 }]);
  });
});

describe("batch blocks", () => {
  it("runs once for the whole batch and lifts scalars into a batch of one", async () => {
    const def = wf([{ type: "test/batch_sum@v1", name: "s", values: "$inputs.v", bias: "$inputs.bias" }], [out("s", "$steps.s.output")], [{ type: "WorkflowBatchInput", name: "v" }, { type: "WorkflowParameter", name: "bias", default_value: 0.5 }]);
    batchCalls.length = 0;
    expect((await engine.run(def, { v: [1, 2, 3] })).outputs).toEqual([{ s: 7.5 }, { s: 8.5 }, { s: 9.5 }]);
    expect(batchCalls).toEqual([3]);
    const scalar = wf([{ type: "test/batch_sum@v1", name: "s", values: "$inputs.v" }], [out("s", "$steps.s.output")], [{ type: "WorkflowParameter", name: "v" }]);
    expect((await engine.run(scalar, { v: 4 })).outputs).toEqual([{ s: 8 }]);
  });
});

describe("scheduling, deadline and cancellation", () => {
  it("starts a step as soon as its own inputs are ready, not in waves", async () => {
    const def = wf(
      [
        { type: "test/sleep@v1", name: "slow", ms: 80, value: 1 },
        { type: "test/sleep@v1", name: "fast", ms: 5, value: 2 },
        { type: "Echo", name: "after_fast", value: "$steps.fast.output" },
        { type: "Echo", name: "after_slow", value: "$steps.slow.output" },
      ],
      [out("a", "$steps.after_fast.output"), out("b", "$steps.after_slow.output")],
    );
    const events: StepEvent[] = [];
    const { outputs } = await engine.run(def, {}, { onEvent: (e) => events.push(e) });
    expect(outputs).toEqual([{ a: 2, b: 1 }]);
    const finished = events.filter((e) => e.type === "step_finished").map((e) => e.step);
    expect(finished.indexOf("after_fast")).toBeLessThan(finished.indexOf("slow"));
    expect(events.filter((e) => e.type === "step_started")).toHaveLength(4);
  });

  it("fails with deadline_exceeded naming the steps that finished, without waiting for the block", async () => {
    const def = wf(
      [{ type: "Echo", name: "quick", value: 1 }, { type: "test/sleep@v1", name: "slow", ms: 5_000, value: "$steps.quick.output" }],
      [out("x", "$steps.slow.output")],
    );
    const started = performance.now();
    const error = (await engine.run(def, {}, { deadlineMs: 100 }).catch((e: unknown) => e)) as WorkflowError;
    // The relation, not a margin: the run ended before the block's 5 s could have.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe("deadline_exceeded");
    expect(error.status).toBe(504);
    expect(error.details).toEqual({ finished_steps: ["quick"], running_steps: ["slow"] });
  });

  it("stops when the caller's signal is aborted", async () => {
    const def = wf([{ type: "test/sleep@v1", name: "slow", ms: 5_000, value: 1 }], [out("x", "$steps.slow.output")]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = (await engine.run(def, {}, { signal: controller.signal }).catch((e: unknown) => e)) as WorkflowError;
    expect(error.code).toBe("run_cancelled");
  });

  it("reports a failing block as a step error with the step and element", async () => {
    const def = wf([{ type: "test/fail@v1", name: "broken", value: "$inputs.x" }], [out("x", "$steps.broken.output")], [{ type: "WorkflowBatchInput", name: "x" }]);
    const events: StepEvent[] = [];
    const error = (await engine.run(def, { x: [1] }, { onEvent: (e) => events.push(e) }).catch((e: unknown) => e)) as WorkflowError;
    expect(error.code).toBe("step_execution_error");
    expect(error.status).toBe(500);
    expect(error.message).toBe('Step "broken" failed: boom');
    expect(error.details).toEqual({ step: "broken", index: [0] });
    expect(events.map((e) => e.type)).toEqual(["step_started", "step_failed"]);
  });

  it("passes a library's error message on without the directories of the paths it names", () => {
    const cause = Object.assign(new Error("ENOENT: no such file or directory, open '/tmp/run-1/models/ppocr_keys_v1.txt'"), { code: "ENOENT" });
    expect(new StepExecutionError("ocr", cause).message).toBe(`Step "ocr" failed: ENOENT: no such file or directory, open '…/ppocr_keys_v1.txt'`);
    expect(new StepExecutionError("s", new Error("at /var/task/a/b.js and (/home/u/x/y)")).message).toBe('Step "s" failed: at …/b.js and (…/y)');
    // Addresses and short or relative paths are left as they are; so is a WorkflowError's own message.
    const kept = "GET https://example.com/a/b/c.png failed; see docs/api.md and /health";
    expect(new StepExecutionError("s", new Error(kept)).message).toBe(`Step "s" failed: ${kept}`);
    expect(new StepExecutionError("s", new WorkflowError("x", "read /a/b/c", 400)).message).toBe('Step "s" failed: read /a/b/c');
  });

  it("records per-step timings as Chrome trace events when profiling", async () => {
    const def = wf([{ type: "test/sleep@v1", name: "slow", ms: 30, value: 1 }, { type: "Echo", name: "e", value: "$steps.slow.output" }], [out("x", "$steps.e.output")]);
    const { profilerTrace } = await engine.run(def, {}, { enableProfiling: true });
    expect(profilerTrace?.map((t) => [t.name, t.ph, t.cat])).toEqual([["slow", "X", "workflow_step"], ["e", "X", "workflow_step"]]);
    expect(profilerTrace![0]!.dur).toBeGreaterThanOrEqual(25_000);
    expect(profilerTrace![1]!.ts).toBeGreaterThanOrEqual(profilerTrace![0]!.ts + profilerTrace![0]!.dur);
    expect((await engine.run(def, {})).profilerTrace).toBeUndefined();
  });

  it("keeps at most maxConcurrency elements of an async step in flight", async () => {
    const limited = testEngine({ maxConcurrency: 2 });
    const def = wf([{ type: "test/sleep@v1", name: "s", ms: 40, value: "$inputs.x" }], [out("x", "$steps.s.output")], [{ type: "WorkflowBatchInput", name: "x" }]);
    const started = performance.now();
    const { outputs } = await limited.run(def, { x: [1, 2, 3, 4] });
    expect(outputs.map((o) => o["x"])).toEqual([1, 2, 3, 4]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });
});

describe("runtime kinds", () => {
  it("reads wire JSON into Detections for detection fields, and refuses other values with a 400", async () => {
    const { BlockRegistry, WorkflowEngine, defineBlock, Detections } = await import("../src/index.js");
    const count = defineBlock<{ predictions: InstanceType<typeof Detections> }>({
      manifest: {
        type: "test/count@v1", name: "Count", description: "Counts detections.", family: "formatters",
        fields: { predictions: { kinds: ["object_detection_prediction"], required: true } },
        outputs: [{ name: "count", kinds: ["integer"] }],
      },
      run: ({ predictions }) => ({ count: predictions.length }),
    });
    const engine = new WorkflowEngine({ registry: new BlockRegistry([count]) });
    const def = { version: "1.0", inputs: [{ type: "WorkflowParameter", name: "p" }], steps: [{ type: "test/count@v1", name: "c", predictions: "$inputs.p" }], outputs: [{ type: "JsonField", name: "n", selector: "$steps.c.count" }] };
    const wire = { image: { width: 10, height: 10 }, predictions: [{ x: 1, y: 1, width: 2, height: 2, confidence: 0.5, class: "a", class_id: 0, detection_id: "x" }] };
    expect((await engine.run(def, { p: wire })).outputs).toEqual([{ n: 1 }]);
    const error = (await engine.run(def, { p: "not detections" }).catch((e: unknown) => e)) as WorkflowError;
    expect(error.toJSON()).toEqual({
      code: "invalid_input_kind",
      message: 'Step "c": "predictions" expects object_detection_prediction, got string',
      status: 400,
      details: { step: "c", property: "predictions" },
    });
  });

  it("passes an optional detection field that is not given (absent, or null by default) through unchecked", async () => {
    const { BlockRegistry, WorkflowEngine, defineBlock } = await import("../src/index.js");
    const prompted = defineBlock<{ boxes?: unknown; hint?: unknown }>({
      manifest: {
        type: "test/prompted@v1", name: "Prompted", description: "Says whether it got boxes.", family: "formatters",
        fields: { boxes: { kinds: ["object_detection_prediction"] }, hint: { kinds: ["object_detection_prediction"], default: null } },
        outputs: [{ name: "given", kinds: ["boolean"] }],
      },
      run: ({ boxes, hint }) => ({ given: boxes !== undefined || hint !== null }),
    });
    const engine = new WorkflowEngine({ registry: new BlockRegistry([prompted]) });
    const def = { version: "1.0", inputs: [], steps: [{ type: "test/prompted@v1", name: "p" }], outputs: [{ type: "JsonField", name: "given", selector: "$steps.p.given" }] };
    expect((await engine.run(def, {})).outputs).toEqual([{ given: false }]);
  });
});

describe("plugged kind checks", () => {
  it("checks a kind with a runtime type that another package defines", async () => {
    const { BlockRegistry, WorkflowEngine, defineBlock, NOT_OF_KIND } = await import("../src/index.js");
    class Thing {
      constructor(readonly size: number) {}
    }
    const measure = defineBlock<{ thing: Thing }>({
      manifest: {
        type: "test/measure@v1", name: "Measure", description: "Reads a thing's size.", family: "formatters",
        fields: { thing: { kinds: ["thing"], required: true } },
        outputs: [{ name: "size", kinds: ["integer"] }],
      },
      run: ({ thing }) => ({ size: thing.size }),
    });
    const engine = new WorkflowEngine({
      registry: new BlockRegistry([measure]),
      kindChecks: { thing: (v) => (v instanceof Thing ? v : NOT_OF_KIND) },
      deserializers: { thing: (v) => new Thing(Number(v)) },
    });
    const def = (kind: string) => ({ version: "1.0", inputs: [{ type: "WorkflowParameter", name: "p", kind: [kind] }], steps: [{ type: "test/measure@v1", name: "m", thing: "$inputs.p" }], outputs: [{ type: "JsonField", name: "size", selector: "$steps.m.size" }] });
    expect((await engine.run(def("thing"), { p: 3 })).outputs).toEqual([{ size: 3 }]);
    const error = (await engine.run(def("*"), { p: 3 }).catch((e: unknown) => e)) as WorkflowError;
    expect([error.code, error.status, error.message]).toEqual(["invalid_input_kind", 400, 'Step "m": "thing" expects thing, got number']);
  });
});

describe("a run scope", () => {
  it("wraps each run from reading its inputs to its outputs, so that a store it sets up reaches deserializers, admit and blocks, one per run", async () => {
    const { AsyncLocalStorage } = await import("node:async_hooks");
    const { BlockRegistry, WorkflowEngine, defineBlock } = await import("../src/index.js");
    const store = new AsyncLocalStorage<string[]>();
    const note = (what: string) => store.getStore()!.push(what);
    const noting = defineBlock<{ value: unknown }>({
      manifest: {
        type: "test/note@v1", name: "Note", description: "Notes that it ran.", family: "formatters",
        fields: { value: { kinds: ["*"], required: true } },
        outputs: [{ name: "output", kinds: ["*"] }],
      },
      run: async ({ value }) => {
        await new Promise((resolve) => setImmediate(resolve));
        note(`block ${String(value)}`);
        return { output: value };
      },
    });
    const logs: string[][] = [];
    const engine = new WorkflowEngine({
      registry: new BlockRegistry([noting]),
      deserializers: { thing: (v) => (note(`input ${String(v)}`), v) },
      admit: () => note("admit"),
      runScope: (run) => {
        const log: string[] = [];
        logs.push(log);
        return store.run(log, run);
      },
    });
    const def = { version: "1.0", inputs: [{ type: "WorkflowParameter", name: "p", kind: ["thing"] }], steps: [{ type: "test/note@v1", name: "n", value: "$inputs.p" }], outputs: [{ type: "JsonField", name: "v", selector: "$steps.n.output" }] };
    const results = await Promise.all([engine.run(def, { p: "a" }), engine.run(def, { p: "b" })]);
    expect(results.map((r) => r.outputs)).toEqual([[{ v: "a" }], [{ v: "b" }]]);
    expect(logs).toEqual([["input a", "admit", "block a"], ["input b", "admit", "block b"]]);
  });
});

describe("parameter values against the kinds of the fields they feed", () => {
  const def = wf(
    [{ type: "test/number@v1", name: "n", value: "$inputs.v" }, { type: "test/split@v1", name: "s", value: "$inputs.items", count: "$inputs.count" }],
    [out("n", "$steps.n.output"), out("s", "$steps.s.item")],
    [{ type: "WorkflowParameter", name: "v" }, { type: "WorkflowParameter", name: "count" }, { type: "WorkflowBatchInput", name: "items" }],
  );

  it("refuses a missing parameter that a step requires, before anything runs", async () => {
    const events: StepEvent[] = [];
    const error = (await engine.run(def, { count: 1, items: ["a"] }, { onEvent: (e) => events.push(e) }).catch((e: unknown) => e)) as WorkflowError;
    expect(error.toJSON()).toEqual({
      code: "missing_input",
      message: 'Input "v" is required: it has no default_value, and step "n" needs it for "value" (/steps/0/value)',
      status: 400,
      details: { pointer: "/inputs/v", input: "v", step: "n", property: "value", field_pointer: "/steps/0/value" },
    });
    expect(events).toEqual([]);
  });

  it("refuses a value of the wrong kind", async () => {
    const error = (await engine.run(def, { v: "seven", items: ["a"] }).catch((e: unknown) => e)) as WorkflowError;
    expect([error.code, error.message]).toEqual(["invalid_input", 'Input "v" must be integer or float (step "n" takes it as "value", /steps/0/value), got "seven"']);
  });

  it("checks a parameter against the field's own schema, as a literal is checked", async () => {
    const error = (await engine.run(def, { v: 1, count: -1, items: ["a"] }).catch((e: unknown) => e)) as WorkflowError;
    expect(error.toJSON()).toEqual({
      code: "invalid_input",
      message: 'Input "count" does not fit step "s"\'s field "count" (/steps/1/count): must be >= 0, got -1',
      status: 400,
      details: { pointer: "/inputs/count", input: "count", step: "s", property: "count", field_pointer: "/steps/1/count" },
    });
    const literal = wf([{ type: "test/split@v1", name: "s", value: "$inputs.items", count: -1 }], [out("s", "$steps.s.item")], [{ type: "WorkflowBatchInput", name: "items" }]);
    const compileError = (await engine.run(literal, { items: ["a"] }).catch((e: unknown) => e)) as WorkflowError;
    expect(compileError.details["errors"]).toEqual([{ code: "invalid_field", message: 'Step "s": "count": must be >= 0, got -1', pointer: "/steps/0/count", step: "s", property: "count" }]);
  });

  it("refuses null for a field with a default, whether sent or left without default_value; default_value only when omitted", async () => {
    const withDefault = wf(
      [{ type: "test/split@v1", name: "s", value: "$inputs.items", count: "$inputs.count" }],
      [out("s", "$steps.s.item")],
      [{ type: "WorkflowParameter", name: "count", default_value: 1 }, { type: "WorkflowBatchInput", name: "items" }],
    );
    expect((await engine.run(withDefault, { items: ["a"] })).outputs).toEqual([{ s: ["a:0"] }]);
    const sent = (await engine.run(withDefault, { items: ["a"], count: null }).catch((e: unknown) => e)) as WorkflowError;
    expect(sent.toJSON()).toEqual({
      code: "invalid_input",
      message: 'Input "count" is null, but step "s" does not take null for "count" (/steps/0/count)',
      status: 400,
      details: { pointer: "/inputs/count", input: "count", step: "s", property: "count", field_pointer: "/steps/0/count" },
    });
    const omitted = (await engine.run(def, { v: 1.5, items: ["a"] }).catch((e: unknown) => e)) as WorkflowError;
    expect([omitted.code, omitted.message]).toEqual(["missing_input", 'Input "count" is required: it has no default_value, and step "s" does not take null for "count" (/steps/1/count)']);
  });

  it("passes a null parameter on as an item of a list, as Roboflow does", async () => {
    const def = wf([{ type: "test/first@v1", name: "f", data: ["$inputs.a", "$inputs.b"] }], [out("f", "$steps.f.output")], [{ type: "WorkflowParameter", name: "a" }, { type: "WorkflowParameter", name: "b", default_value: "b" }]);
    expect((await engine.run(def, { a: null })).outputs).toEqual([{ f: "b" }]);
  });

  it("passes a null parameter on to a field whose default is null", async () => {
    const { BlockRegistry, WorkflowEngine, defineBlock } = await import("../src/index.js");
    const optional = defineBlock<{ value: number | null }>({
      manifest: {
        type: "test/optional@v1", name: "Optional", description: "Describes its optional number.", family: "formatters",
        fields: { value: { kinds: ["integer"], schema: { type: "integer" } } },
        outputs: [{ name: "output", kinds: ["string"] }],
      },
      run: ({ value }) => ({ output: String(value) }),
    });
    const local = new WorkflowEngine({ registry: new BlockRegistry([optional]) });
    const def = wf([{ type: "test/optional@v1", name: "o", value: "$inputs.v" }], [out("o", "$steps.o.output")], [{ type: "WorkflowParameter", name: "v", default_value: 3 }]);
    expect((await local.run(def, { v: null })).outputs).toEqual([{ o: "null" }]);
    expect((await local.run(def, {})).outputs).toEqual([{ o: "3" }]);
  });
});
