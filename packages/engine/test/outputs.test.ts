/**
 * How outputs are built, case by case as the grammar's reference engine builds them (its
 * output_constructor and the integration tests that exercise it): null elements of batch inputs,
 * steps skipped by flow control at the output's level and below it, wildcards, batches a step
 * makes from single values, collapsed batches, excluded fields and coordinate systems.
 */
import { describe, expect, it } from "vitest";
import { BlockRegistry, defineBlock, Detections, WorkflowEngine, type Block, type StepEvent } from "../src/index.js";
import { testBlocks } from "./fixtures.js";

/** Detections of one box on a crop at (200, 100) of an 800x600 image, or on the image itself. */
const detect = defineBlock<{ crop: boolean }>({
  manifest: {
    type: "test/detect@v1",
    name: "Detect",
    description: "One box, on a crop or on the root image.",
    family: "models",
    fields: { crop: { kinds: ["boolean"], required: true } },
    outputs: [{ name: "predictions", kinds: ["object_detection_prediction"] }],
  },
  run: ({ crop }) => ({
    predictions: new Detections({
      image: crop ? { width: 100, height: 100 } : { width: 800, height: 600 },
      xyxy: [10, 10, 30, 50],
      confidence: [0.5],
      classId: [3],
      className: ["dog"],
      detectionId: ["d"],
      parentId: [crop ? "crop-1" : "image"],
      data: crop
        ? { parent_origin: [{ offset_x: 200, offset_y: 100, width: 800, height: 600 }], root_parent_id: ["image"], root_parent_origin: [{ offset_x: 200, offset_y: 100, width: 800, height: 600 }] }
        : {},
    }),
  }),
});

/** Gathers an element's children, accepting empty values: those not produced stay in place as null. */
const gatherAll = defineBlock<{ data: unknown[] }>({
  manifest: {
    type: "test/gather_all@v1",
    name: "Gather all",
    description: "Gathers children, empty ones included.",
    family: "fusion",
    acceptsEmpty: true,
    fields: { data: { kinds: ["*"], required: true, dimensionOffset: 1 } },
    outputs: [{ name: "output", kinds: ["list_of_values"] }],
  },
  run: ({ data }) => ({ output: data }),
});

const engine = new WorkflowEngine({ registry: new BlockRegistry([...testBlocks, detect, gatherAll] as Block[]) });

function wf(inputs: unknown[], steps: unknown[], outputs: unknown[]): Record<string, unknown> {
  return { version: "1.0", inputs, steps, outputs };
}
const out = (name: string, selector: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: "JsonField", name, selector, ...extra });
const batch = (name: string, dimensionality = 1): Record<string, unknown> => ({ type: "WorkflowBatchInput", name, dimensionality });
const gate = (name: string, value: string, next: string[]): Record<string, unknown> => ({ type: "test/gate@v1", name, value, equals: "go", next });

describe("a null element of a batch input", () => {
  it("is an empty element at dimensionality 2: steps skip it, its outputs are null", async () => {
    const events: StepEvent[] = [];
    const def = wf([batch("crops", 2)], [{ type: "Echo", name: "e", value: "$inputs.crops" }], [out("echoed", "$steps.e.output"), out("given", "$inputs.crops")]);
    const { outputs } = await engine.run(def, { crops: [["a", null], [null, "b", "c"]] }, { onEvent: (e) => events.push(e) });
    expect(outputs).toEqual([
      { echoed: ["a", null], given: ["a", null] },
      { echoed: [null, "b", "c"], given: [null, "b", "c"] },
    ]);
    expect(events.find((e) => e.type === "step_finished")).toMatchObject({ step: "e", elements: 3, skipped: 2 });
  });

  it("is an empty element at dimensionality 1 too, and a block that accepts empty values gets null", async () => {
    const def = wf([batch("x")], [{ type: "Echo", name: "e", value: "$inputs.x" }, { type: "test/first@v1", name: "f", data: ["$inputs.x"] }], [out("e", "$steps.e.output"), out("f", "$steps.f.output")]);
    const { outputs } = await engine.run(def, { x: [1, null] });
    expect(outputs).toEqual([{ e: 1, f: 1 }, { e: null, f: "default" }]);
  });

  it("is refused above the elements' level: a dimensionality-2 input needs a list per element", async () => {
    const def = wf([batch("crops", 2)], [{ type: "Echo", name: "e", value: "$inputs.crops" }], [out("e", "$steps.e.output")]);
    await expect(engine.run(def, { crops: [["a"], null] })).rejects.toMatchObject({ code: "invalid_input", details: { pointer: "/inputs/crops/1" } });
  });
});

describe("a step skipped by flow control", () => {
  const def = wf(
    [batch("x")],
    [
      gate("gate", "$inputs.x", ["$steps.e", "$steps.split"]),
      { type: "Echo", name: "e", value: "$inputs.x" },
      { type: "test/split@v1", name: "split", value: "$inputs.x", count: 2 },
      { type: "Echo", name: "child", value: "$steps.split.item" },
    ],
    [out("same_level", "$steps.e.output"), out("all", "$steps.e.*"), out("slices", "$steps.split.item"), out("slices_all", "$steps.split.*"), out("below", "$steps.child.output")],
  );

  it("gives null at its own level, every output null for a wildcard, and [] for what it would have nested", async () => {
    const { outputs } = await engine.run(def, { x: ["go", "stop"] });
    expect(outputs).toEqual([
      { same_level: "go", all: { output: "go" }, slices: ["go:0", "go:1"], slices_all: [{ item: "go:0" }, { item: "go:1" }], below: ["go:0", "go:1"] },
      { same_level: null, all: { output: null }, slices: [], slices_all: [], below: [] },
    ]);
  });

  it("gives every output null for the wildcard of a step that runs once and was skipped", async () => {
    const scalar = wf(
      [{ type: "WorkflowParameter", name: "flag" }],
      [gate("gate", "$inputs.flag", ["$steps.n"]), { type: "test/number@v1", name: "n", value: 3 }],
      [out("n", "$steps.n.output"), out("all", "$steps.n.*")],
    );
    expect((await engine.run(scalar, { flag: "go" })).outputs).toEqual([{ n: 3, all: { output: 3 } }]);
    expect((await engine.run(scalar, { flag: "stop" })).outputs).toEqual([{ n: null, all: { output: null } }]);
  });

  it("leaves skipped children out of what a collapse gathers, unless the block accepts empty values", async () => {
    const gathered = wf(
      [batch("x")],
      [
        { type: "test/split@v1", name: "split", value: "$inputs.x", count: 3 },
        gate("gate", "$steps.split.item", ["$steps.child"]),
        { type: "Echo", name: "child", value: "$steps.split.item" },
        { type: "test/collapse@v1", name: "collapsed", data: "$steps.child.output" },
        { type: "test/gather_all@v1", name: "all", data: "$steps.child.output" },
      ],
      [out("children", "$steps.child.output"), out("collapsed", "$steps.collapsed.output"), out("all", "$steps.all.output")],
    );
    const onlyOne = structuredClone(gathered) as { steps: Record<string, unknown>[] };
    onlyOne.steps[1] = { ...onlyOne.steps[1], equals: "a:1" };
    expect((await engine.run(onlyOne, { x: ["a"] })).outputs).toEqual([{ children: [null, "a:1", null], collapsed: ["a:1"], all: [null, "a:1", null] }]);
  });

  it("two levels down: an element with nothing under it is [[]], an inner list ends at its last element with data", async () => {
    // x -> split (2 children) -> gate per child -> split again (2 grandchildren): dimensionality 3.
    const deep = wf(
      [batch("x"), { type: "WorkflowParameter", name: "count", default_value: 2 }],
      [
        { type: "test/split@v1", name: "outer", value: "$inputs.x", count: "$inputs.count" },
        gate("gate", "$steps.outer.item", ["$steps.inner"]),
        { type: "test/split@v1", name: "inner", value: "$steps.outer.item", count: 2 },
      ],
      [out("grandchildren", "$steps.inner.item")],
    );
    // Every child's name is "<x>:<i>", never "go": the gate stops all of them.
    expect((await engine.run(deep, { x: ["a", "b"] })).outputs).toEqual([{ grandchildren: [[]] }, { grandchildren: [[]] }]);
    expect((await engine.run(deep, { x: ["a"], count: 0 })).outputs).toEqual([{ grandchildren: [[]] }]);

    // Let only child 0 of each element through (its name is "go" once the outer split names it so).
    const firstOnly = structuredClone(deep) as { steps: Record<string, unknown>[] };
    firstOnly.steps[1] = { ...firstOnly.steps[1], value: "$steps.outer.item", equals: "go:0" };
    expect((await engine.run(firstOnly, { x: ["go"] })).outputs).toEqual([{ grandchildren: [["go:0:0", "go:0:1"]] }]);
    // Only child 1: the skipped child 0 before it reads as [].
    firstOnly.steps[1] = { ...firstOnly.steps[1], equals: "go:1" };
    expect((await engine.run(firstOnly, { x: ["go"] })).outputs).toEqual([{ grandchildren: [[], ["go:1:0", "go:1:1"]] }]);
  });
});

describe("how many results", () => {
  it("one for a run whose outputs are all single values, though its input is a batch (a collapsed batch)", async () => {
    const def = wf([batch("x")], [{ type: "test/collapse@v1", name: "c", data: "$inputs.x" }], [out("collapsed", "$steps.c.output")]);
    expect((await engine.run(def, { x: [1, 2] })).outputs).toEqual([{ collapsed: [1, 2] }]);
    // A null element is empty: left out of what is gathered, as the reference engine removes empty elements.
    expect((await engine.run(def, { x: [1, null, 3] })).outputs).toEqual([{ collapsed: [1, 3] }]);
  });

  it("one per element of the input batch when an output is indexed by it, excluded or not", async () => {
    const def = wf(
      [batch("x")],
      [{ type: "Echo", name: "e", value: "$inputs.x" }, { type: "test/collapse@v1", name: "c", data: "$steps.e.output" }],
      [out("e", "$steps.e.output"), out("collapsed", "$steps.c.output")],
    );
    expect((await engine.run(def, { x: [1, 2] })).outputs).toEqual([{ e: 1, collapsed: [1, 2] }, { e: 2, collapsed: [1, 2] }]);
    expect((await engine.run(def, { x: [1, 2] }, { excludedFields: ["e"] })).outputs).toEqual([{ collapsed: [1, 2] }, { collapsed: [1, 2] }]);
  });

  it("a batch a step makes from single values is given whole to every result", async () => {
    const def = wf(
      [batch("x"), { type: "WorkflowParameter", name: "seed", default_value: "s" }],
      [
        { type: "Echo", name: "e", value: "$inputs.x" },
        { type: "test/split@v1", name: "made", value: "$inputs.seed", count: 2 },
        { type: "test/collapse@v1", name: "c", data: "$steps.made.item" },
      ],
      [out("e", "$steps.e.output"), out("made", "$steps.made.item"), out("collapsed", "$steps.c.output")],
    );
    expect(engine.compile(def).outputs.map((o) => [o.name, o.level, o.lineage.join(">")])).toEqual([["e", 1, "$inputs"], ["made", 1, "made"], ["collapsed", 0, ""]]);
    expect((await engine.run(def, { x: [1, 2] })).outputs).toEqual([
      { e: 1, made: ["s:0", "s:1"], collapsed: ["s:0", "s:1"] },
      { e: 2, made: ["s:0", "s:1"], collapsed: ["s:0", "s:1"] },
    ]);
    const alone = { ...def, outputs: [out("made", "$steps.made.item")] };
    expect((await engine.run(alone, { x: [1, 2, 3] })).outputs).toEqual([{ made: ["s:0", "s:1"] }]);
  });
});

describe("coordinate systems of detections", () => {
  const def = wf(
    [batch("x"), { type: "WorkflowParameter", name: "crop", default_value: true }],
    [gate("gate", "$inputs.x", ["$steps.d"]), { type: "test/detect@v1", name: "d", crop: "$inputs.crop" }],
    [out("parent", "$steps.d.predictions"), out("own", "$steps.d.predictions", { coordinates_system: "own" }), out("all", "$steps.d.*")],
  );

  it("parent: in the root image, belonging to it; own: in the crop, with the crop's lineage; null where skipped", async () => {
    const { outputs } = await engine.run(def, { x: ["go", "stop"] });
    const [ran, skipped] = outputs as [Record<string, { image: unknown; predictions: Record<string, unknown>[] }>, Record<string, unknown>];
    expect(ran["parent"]!.image).toEqual({ width: 800, height: 600 });
    expect(ran["parent"]!.predictions).toEqual([{ x: 220, y: 130, width: 20, height: 40, confidence: 0.5, class_id: 3, class: "dog", detection_id: "d", parent_id: "image" }]);
    expect(ran["own"]!.image).toEqual({ width: 100, height: 100 });
    expect(ran["own"]!.predictions).toEqual([{
      x: 20, y: 30, width: 20, height: 40, confidence: 0.5, class_id: 3, class: "dog", detection_id: "d", parent_id: "crop-1",
      parent_origin: { offset_x: 200, offset_y: 100, width: 800, height: 600 }, root_parent_id: "image", root_parent_origin: { offset_x: 200, offset_y: 100, width: 800, height: 600 },
    }]);
    // A wildcard output converts the detections inside it (parent is the default).
    expect((ran["all"] as unknown as { predictions: unknown }).predictions).toEqual(ran["parent"]);
    expect(skipped).toEqual({ parent: null, own: null, all: { predictions: null } });
  });

  it("detections made on the root image read the same in both", async () => {
    const { outputs } = await engine.run(def, { x: ["go"], crop: false });
    expect(outputs[0]!["parent"]).toEqual(outputs[0]!["own"]);
    expect((outputs[0]!["own"] as { predictions: unknown[] }).predictions[0]).toMatchObject({ x: 20, y: 30, parent_id: "image" });
  });
});

describe("an empty top-level batch", () => {
  it("is refused, as the reference engine refuses it (inner batches may be empty)", async () => {
    const def = wf([batch("x")], [{ type: "Echo", name: "e", value: "$inputs.x" }], [out("e", "$steps.e.output")]);
    await expect(engine.run(def, { x: [] })).rejects.toMatchObject({ code: "invalid_input", status: 400, details: { pointer: "/inputs/x" } });
  });
});
