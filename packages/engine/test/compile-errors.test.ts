import { describe, expect, it } from "vitest";
import { WorkflowCompileError, type WorkflowIssue } from "../src/index.js";
import { testEngine } from "./fixtures.js";

const engine = testEngine();

function issuesOf(definition: unknown): WorkflowIssue[] {
  try {
    engine.compile(definition);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowCompileError);
    const e = error as WorkflowCompileError;
    expect(e.code).toBe("invalid_workflow");
    expect(e.status).toBe(400);
    expect(e.toJSON().details["errors"]).toEqual(e.issues);
    return e.issues;
  }
  throw new Error("expected the definition not to compile");
}

const base = (steps: unknown[], outputs: unknown[] = [], inputs: unknown[] = [{ type: "WorkflowBatchInput", name: "x" }]) => ({ version: "1.0", inputs, steps, outputs });
const out = (selector: string, name = "o") => ({ type: "JsonField", name, selector });

describe("compile errors: each its own code and pointer", () => {
  it("custom Python blocks: one issue at dynamic_blocks_definitions before the steps that use them", () => {
    const definition = {
      ...base([{ type: "MaxConfidence", name: "m", predictions: "$inputs.x" }], [out("$steps.m.max_confidence")]),
      dynamic_blocks_definitions: [{ type: "DynamicBlockDefinition", manifest: { type: "ManifestDescription", block_type: "MaxConfidence" }, code: { type: "PythonCode", run_function_code: "def run(self): ..." } }],
    };
    const issues = issuesOf(definition);
    expect(issues[0]).toEqual({
      code: "custom_python_blocks_unsupported",
      message: "Custom Python blocks (dynamic_blocks_definitions) are not supported here: only the built-in blocks run; replace them with built-in blocks",
      pointer: "/dynamic_blocks_definitions",
    });
    expect(issues.slice(1).map((i) => [i.code, i.pointer])).toEqual([["unknown_block_type", "/steps/0/type"]]);
    // An empty list declares nothing, and compiles as Roboflow compiles it.
    expect(() => engine.compile({ ...base([{ type: "Echo", name: "a", value: "$inputs.x" }], [out("$steps.a.output")]), dynamic_blocks_definitions: [] })).not.toThrow();
  });

  it("cycle", () => {
    const issues = issuesOf(base([
      { type: "Echo", name: "a", value: "$steps.b.output" },
      { type: "Echo", name: "b", value: "$steps.a.output" },
    ]));
    expect(issues).toEqual([{ code: "cycle", message: "Steps depend on each other in a cycle: a -> b -> a", pointer: "/steps/0", step: "a" }]);
  });

  it("a step that feeds itself is a cycle", () => {
    expect(issuesOf(base([{ type: "Echo", name: "a", value: "$steps.a.output" }])).map((i) => [i.code, i.message])).toEqual([
      ["cycle", "Steps depend on each other in a cycle: a -> a"],
    ]);
  });

  it("duplicate name", () => {
    const issues = issuesOf(base([{ type: "Echo", name: "a", value: 1 }, { type: "Echo", name: "a", value: 2 }]));
    expect(issues).toMatchObject([{ code: "duplicate_name", pointer: "/steps/1/name", step: "a" }]);
  });

  it("unknown block type, with a suggestion", () => {
    const issues = issuesOf(base([{ type: "Ecko", name: "a", value: 1 }]));
    expect(issues).toEqual([{
      code: "unknown_block_type",
      message: 'Step "a" uses block type "Ecko", which does not exist here; did you mean "Echo"?',
      pointer: "/steps/0/type",
      step: "a",
      property: "type",
    }]);
  });

  it("selector to a missing input", () => {
    expect(issuesOf(base([{ type: "Echo", name: "a", value: "$inputs.nope" }]))).toMatchObject([
      { code: "undefined_input", pointer: "/steps/0/value", step: "a", property: "value" },
    ]);
  });

  it("selector to a missing step", () => {
    expect(issuesOf(base([{ type: "Echo", name: "a", value: "$steps.ghost.output" }]))).toMatchObject([
      { code: "undefined_step", pointer: "/steps/0/value", step: "a", property: "value" },
    ]);
  });

  it("selector to a missing property", () => {
    const issues = issuesOf(base([{ type: "Echo", name: "a", value: 1 }, { type: "Echo", name: "b", value: "$steps.a.nothing" }]));
    expect(issues).toEqual([{
      code: "undefined_output",
      message: 'Step "b": "value" refers to "nothing" of step "a", which has no such output (it has: output)',
      pointer: "/steps/1/value",
      step: "b",
      property: "value",
    }]);
  });

  it("kind mismatch", () => {
    const issues = issuesOf(base(
      [{ type: "test/split@v1", name: "s", value: "$inputs.x" }, { type: "test/number@v1", name: "n", value: "$steps.s.item" }],
    ));
    expect(issues).toEqual([{
      code: "kind_mismatch",
      message: 'Step "n": "value" accepts integer, float, but $steps.s.item is string',
      pointer: "/steps/1/value",
      step: "n",
      property: "value",
    }]);
  });

  it("dimensionality mismatch", () => {
    const issues = issuesOf(base([
      { type: "test/split@v1", name: "s", value: "$inputs.x" },
      { type: "test/batch_sum@v1", name: "z", values: "$steps.s.item", bias: "$inputs.x" },
    ]));
    expect(issues).toMatchObject([{ code: "dimensionality_mismatch", pointer: "/steps/1/bias", step: "z", property: "bias" }]);
    const zipped = issuesOf(base([
      { type: "test/split@v1", name: "s", value: "$inputs.x" },
      { type: "test/first@v1", name: "f", data: ["$steps.s.item", "$inputs.x"] },
    ]));
    expect(zipped).toMatchObject([{ code: "dimensionality_mismatch", pointer: "/steps/1/data", step: "f" }]);
    expect(zipped[0]!.message).toContain('"data" ($steps.s.item) is 2');
    expect(zipped[0]!.message).toContain('"data" ($inputs.x) is 1');
  });

  it("lineage mismatch: crops of two different steps are not paired", () => {
    const issues = issuesOf(base([
      { type: "test/split@v1", name: "s1", value: "$inputs.x" },
      { type: "test/split@v1", name: "s2", value: "$inputs.x" },
      { type: "test/first@v1", name: "f", data: ["$steps.s1.item", "$steps.s2.item"] },
    ]));
    expect(issues).toMatchObject([{ code: "lineage_mismatch", pointer: "/steps/2/data", step: "f" }]);
  });

  it("bad version", () => {
    expect(issuesOf({ ...base([]), version: "2.0" })).toEqual([{
      code: "unsupported_version",
      message: 'Workflow version "2.0" is not supported; this engine runs versions 1.0 to 1.x',
      pointer: "/version",
    }]);
    expect(issuesOf({ inputs: [], steps: [], outputs: [] })).toMatchObject([{ code: "unsupported_version", pointer: "/version" }]);
  });

  it("literal that breaks the field's schema", () => {
    expect(issuesOf(base([{ type: "test/split@v1", name: "s", value: "$inputs.x", count: -1 }]))).toEqual([{
      code: "invalid_field",
      message: 'Step "s": "count": must be >= 0, got -1',
      pointer: "/steps/0/count",
      step: "s",
      property: "count",
    }]);
  });

  it("a literal where a field reads a nested batch", () => {
    expect(issuesOf(base([{ type: "test/collapse@v1", name: "c", data: [1, 2] }]))).toMatchObject([{ code: "invalid_field", pointer: "/steps/0/data", property: "data" }]);
  });

  it("missing required field, malformed selector, selector in a literal-only place", () => {
    expect(issuesOf(base([{ type: "Echo", name: "a" }]))).toMatchObject([{ code: "missing_field", pointer: "/steps/0/value", property: "value" }]);
    expect(issuesOf(base([{ type: "Echo", name: "a", value: "$steps.a.b.c" }]))).toMatchObject([{ code: "invalid_selector", pointer: "/steps/0/value" }]);
    expect(issuesOf(base([{ type: "test/gate@v1", name: "g", value: 1, next: ["$inputs.x"] }]))).toMatchObject([{ code: "invalid_field", pointer: "/steps/0/next/0" }]);
  });

  it("outputs: missing step, wildcard misuse, bad coordinates system", () => {
    const issues = issuesOf(base([{ type: "Echo", name: "a", value: 1 }], [
      out("$steps.none.output", "o1"),
      out("$steps.a", "o2"),
      { type: "JsonField", name: "o3", selector: "$steps.a.output", coordinates_system: "world" },
    ]));
    expect(issues.map((i) => [i.code, i.pointer])).toEqual([
      ["invalid_output", "/outputs/2/coordinates_system"],
      ["undefined_step", "/outputs/0/selector"],
      ["invalid_selector", "/outputs/1/selector"],
    ]);
  });

  it("a wrapped specification points inside the wrapper", () => {
    expect(issuesOf({ specification: base([{ type: "Echo", name: "a", value: "$inputs.nope" }]) })).toMatchObject([
      { code: "undefined_input", pointer: "/specification/steps/0/value" },
    ]);
  });

  it("a definition with three independent mistakes reports all three", () => {
    const issues = issuesOf(base(
      [
        { type: "NoSuchBlock", name: "a" },
        { type: "Echo", name: "b", value: "$inputs.missing" },
        { type: "test/split@v1", name: "c", value: "$inputs.x", count: "many" },
      ],
      [out("$steps.b.output")],
    ));
    expect(issues.map((i) => [i.code, i.pointer])).toEqual([
      ["unknown_block_type", "/steps/0/type"],
      ["undefined_input", "/steps/1/value"],
      ["invalid_field", "/steps/2/count"],
    ]);
  });

  it("not an object at all", () => {
    expect(issuesOf("steps")).toMatchObject([{ code: "invalid_definition", pointer: "" }]);
    expect(issuesOf({ version: "1.0", steps: {}, outputs: [] })).toMatchObject([{ code: "invalid_definition", pointer: "/steps" }]);
  });
});

describe("compile: accepted forms", () => {
  const ok = (extra: Record<string, unknown>) => ({ inputs: [], steps: [{ type: "Echo", name: "a", value: 1 }], outputs: [out("$steps.a.output")], ...extra });

  it.each(["1.0", "1.0.0", "1.3.0", "1.7"])("version %s", (version) => {
    expect(engine.compile(ok({ version })).version).toBe(version);
  });

  it("wrapped as {specification}", () => {
    expect(engine.compile({ specification: ok({ version: "1.0" }) }).steps.map((s) => s.name)).toEqual(["a"]);
  });

  it("legacy input type names and a block alias", () => {
    const plan = engine.compile({
      version: "1.0",
      inputs: [{ type: "InferenceImage", name: "image" }, { type: "InferenceParameter", name: "p", default_value: 3 }, { type: "WorkflowVideoMetadata", name: "video" }],
      steps: [{ type: "test/echo@v1", name: "a", value: "$inputs.p" }],
      outputs: [out("$steps.a.output")],
    });
    expect(plan.inputs.map((i) => [i.name, i.type, i.dimensionality, i.defaultValue])).toEqual([["image", "image", 1, null], ["p", "parameter", 0, 3], ["video", "video_metadata", 1, null]]);
  });

  it("warns about fields the block does not know, without failing", () => {
    const plan = engine.compile(ok({ version: "1.0", steps: [{ type: "Echo", name: "a", value: 1, colour: "red" }] }));
    expect(plan.warnings).toMatchObject([{ code: "unknown_field", pointer: "/steps/0/colour", step: "a", property: "colour" }]);
  });

  it("caches plans by the canonical definition: same content in another key order hits", () => {
    const a = engine.compile(ok({ version: "1.0" }));
    const reordered = JSON.parse(JSON.stringify({ outputs: [out("$steps.a.output")], steps: [{ value: 1, name: "a", type: "Echo" }], inputs: [], version: "1.0" }));
    expect(engine.compile(reordered)).toBe(a);
    expect(engine.compile(ok({ version: "1.0.0" }))).not.toBe(a);
  });
});

describe("field aliases", () => {
  it("binds a field written under an alias, and points errors at what was written", async () => {
    const { BlockRegistry, WorkflowEngine, defineBlock } = await import("../src/index.js");
    const aliased = defineBlock<{ predictions_batches: unknown[] }>({
      manifest: {
        type: "test/aliased@v1", name: "Aliased", description: "A field with an older name.", family: "fusion",
        fields: { predictions_batches: { kinds: ["*"], shape: "list", required: true, aliases: ["predictions"] } },
        outputs: [{ name: "output", kinds: ["*"] }],
      },
      run: ({ predictions_batches }) => ({ output: predictions_batches.length }),
    });
    const engine = new WorkflowEngine({ registry: new BlockRegistry([aliased]) });
    const def = (value: unknown) => ({ version: "1.0", inputs: [{ type: "WorkflowParameter", name: "p" }], steps: [{ type: "test/aliased@v1", name: "a", predictions: value }], outputs: [{ type: "JsonField", name: "n", selector: "$steps.a.output" }] });
    expect(engine.compile(def(["$inputs.p", 1])).warnings).toEqual([]);
    expect((await engine.run(def(["$inputs.p", 1]), { p: 0 })).outputs).toEqual([{ n: 2 }]);
    expect(() => engine.compile(def("$inputs.p"))).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ code: "invalid_field", pointer: "/steps/0/predictions" })] }));
  });
});
