import { describe, expect, it } from "vitest";
import { initialDraft, inputControls, parseParameter, type InputControl } from "../src/run/input-controls.js";

// What describe_interface answers for a definition with these inputs (typing hints and kinds schemas as the service gives them).
const kinds = {
  inputs: { image: ["image"], confidence: ["*"], strategy: ["*"], free: ["*"], f: ["float_zero_to_one"], i: ["integer"], b: ["boolean"], z: ["zone"], s: ["string"], preds: ["object_detection_prediction"], mixed: ["string", "integer"] },
  typingHints: { "*": "any", image: "object", float_zero_to_one: "number", integer: "integer", boolean: "boolean", zone: "array", string: "string", object_detection_prediction: "object" },
  kindsSchemas: { float_zero_to_one: { type: "number", minimum: 0, maximum: 1 }, integer: { type: "integer" } },
};
const definition = {
  inputs: [
    { type: "WorkflowParameter", name: "confidence", default_value: 0.4 },
    { type: "WorkflowImage", name: "image" },
    { type: "WorkflowParameter", name: "strategy", default_value: "nms" },
    { type: "WorkflowParameter", name: "free" },
    { type: "WorkflowBatchInput", name: "preds", kind: ["object_detection_prediction"] },
  ],
};
const parameter = (controls: InputControl[], name: string) => controls.find((control) => control.name === name) as Exclude<InputControl, { control: "image" }>;

describe("inputs → run form controls", () => {
  it("an image input is an image pick; a parameter's kinds name its control, or else its default's type", () => {
    const controls = inputControls(kinds, definition);
    expect(controls.map((c) => `${c.name}:${c.control}`)).toEqual([
      // the definition's order first, then the rest as the interface lists them
      "confidence:number", "image:image", "strategy:string", "free:any", "preds:json",
      "f:number", "i:integer", "b:boolean", "z:json", "s:string", "mixed:any",
    ]);
    expect(parameter(controls, "confidence")).toMatchObject({ defaultValue: 0.4 });
    expect(parameter(controls, "f")).toMatchObject({ minimum: 0, maximum: 1 });
    expect(parameter(controls, "free")).not.toHaveProperty("defaultValue");
  });

  it("without a definition (no defaults known) the kinds alone decide", () => {
    expect(inputControls(kinds).map((c) => `${c.name}:${c.control}`).slice(0, 4)).toEqual(["image:image", "confidence:any", "strategy:any", "free:any"]);
  });
});

describe("a parameter's text → the value sent", () => {
  const controls = inputControls(kinds, definition);
  it("shows the default first", () => {
    expect(["confidence", "strategy", "free", "b"].map((name) => initialDraft(parameter(controls, name)))).toEqual(["0.4", "nms", "", false]);
  });

  it("reads numbers, whole numbers within their bounds, JSON, booleans; free text as the CLI reads --param", () => {
    const parse = (name: string, draft: string | boolean) => parseParameter(parameter(controls, name), draft);
    expect(parse("confidence", "0.6")).toEqual({ value: 0.6 });
    expect(parse("confidence", "")).toEqual({ omit: true });
    expect(parse("confidence", "lots")).toEqual({ error: "not a number" });
    expect(parse("f", "1.5")).toEqual({ error: "above the maximum, 1" });
    expect(parse("i", "2.5")).toEqual({ error: "not a whole number" });
    expect(parse("b", true)).toEqual({ value: true });
    expect(parse("z", "[[0, 0], [1, 1]]")).toEqual({ value: [[0, 0], [1, 1]] });
    expect(parse("z", "[[0")).toEqual({ error: "not valid JSON" });
    expect(parse("s", " padded ")).toEqual({ value: " padded " });
    expect(parse("free", "0.5")).toEqual({ value: 0.5 });
    expect(parse("free", '["a"]')).toEqual({ value: ["a"] });
    expect(parse("free", "car")).toEqual({ value: "car" });
  });
});
