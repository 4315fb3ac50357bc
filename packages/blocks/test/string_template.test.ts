import { describe, expect, it } from "vitest";
import { stringTemplateBlock } from "../src/formatters/string_template.js";
import { ctx, expectWorkflowError } from "./fixtures.js";

function run(template: unknown, data: Record<string, unknown> = {}, data_operations: Record<string, unknown[]> = {}) {
  return stringTemplateBlock.run({ template, data, data_operations } as Parameters<typeof stringTemplateBlock.run>[0], ctx);
}

describe("String Template block", () => {
  it("declares Roboflow's id, fields and output", () => {
    const { manifest } = stringTemplateBlock;
    expect(manifest.type).toBe("roboflow_core/string_template@v1");
    expect(manifest.aliases).toBeUndefined();
    expect(Object.keys(manifest.fields)).toEqual(["template", "data", "data_operations"]);
    expect(manifest.outputs).toEqual([{ name: "output", kinds: ["string"] }]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["static prompt", {}, "static prompt"],
    ["Found {count} instances of {label}", { count: 3, label: "person" }, "Found 3 instances of person"],
    ["Hello {name}", { name: "world", unused: "value" }, "Hello world"],
    ['Answer in JSON: {{"class": "{label}"}}', { label: "person" }, 'Answer in JSON: {"class": "person"}'],
    ["Confidence: {confidence:.2f}", { confidence: 0.98765 }, "Confidence: 0.99"],
    ["Confidence: {confidence:{width}}", { confidence: 0.98765, width: ".2f" }, "Confidence: 0.99"],
    ["{confidence:.2f} {value:>10}", { confidence: 0.12345, value: "ok" }, "0.12         ok"],
    ["{items} {flag} {none} {items!r}", { items: ["a", "b"], flag: true, none: null }, "['a', 'b'] True None ['a', 'b']"],
  ])("renders %j", (template, data, expected) => {
    expect(run(template, data)).toEqual({ output: expected });
  });

  it("applies data operations first (Roboflow's prompt-builder workflow)", () => {
    const built = run(
      "This facing contains one of: {sku_list}. Answer with the product name or {fallback_answer}.",
      { sku_list: ["SKU-1", "SKU-2", "SKU-3"], fallback_answer: "NONE" },
      { sku_list: [{ type: "SequenceJoin", separator: ", " }] },
    );
    expect(built).toEqual({ output: "This facing contains one of: SKU-1, SKU-2, SKU-3. Answer with the product name or NONE." });
    expect(run("PROMPT START. {prompt} PROMPT END.", { prompt: (built as { output: string }).output })).toEqual({
      output: "PROMPT START. This facing contains one of: SKU-1, SKU-2, SKU-3. Answer with the product name or NONE. PROMPT END.",
    });
  });

  it.each<[unknown, Record<string, unknown>, string]>([
    [42, {}, "expected template to be a string"],
    ["Hello {name}", {}, "{name}"],
    ["Confidence: {confidence:{width}}", { confidence: 0.9 }, "{width}"],
    ["Hello {}", { name: "world" }, "positional"],
    ["Hello {0}", { name: "world" }, "positional"],
    ["{x:{0}}", { x: 1 }, "positional"],
    ["{name.__class__}", { name: "world" }, "attribute or index access"],
    ["{names[0]}", { names: ["world"] }, "attribute or index access"],
    ["{x:{y.__class__}}", { x: 1, y: "world" }, "attribute or index access"],
    ["Hello {name", { name: "world" }, "could not parse template"],
    ["{value:1000000000}", { value: "x" }, "10000"],
    ["{value:{width}}", { value: "x", width: "999999999" }, "10000"],
    ["{value:.999999999f}", { value: 1.5 }, "10000"],
    ["{value}{value}", { value: "a".repeat(600_000) }, "1000000"],
    ["{value:d}", { value: "text" }, "could not render template: Unknown format code 'd' for object of type 'str'"],
  ])("refuses %j with %j", (template, data, fragment) => {
    expectWorkflowError(() => run(template, data), "invalid_template", fragment);
  });

  it("refuses operations for a variable data does not declare", () => {
    expectWorkflowError(() => run("Hello {name}", { name: "world" }, { other: [{ type: "SequenceJoin" }] }), "undeclared_symbol", '"other"');
  });

  it("checks a literal template against the data names before running", () => {
    const validate = stringTemplateBlock.validate!;
    expect(validate({ template: "{a} {b}", data: { a: 1 } })).toEqual([
      { code: "invalid_template", property: "template", message: 'the template refers to {b}, which "data" does not define (it defines: a)' },
    ]);
    expect(validate({ template: "{a", data: { a: 1 } })).toEqual([
      { code: "invalid_template", property: "template", message: "could not parse template: expected '}' before end of string; write {{ and }} for literal braces" },
    ]);
    expect(validate({ template: "$inputs.template", data: {} })).toEqual([]);
    expect(validate({ template: "{a}", data: { a: 1 }, data_operations: { c: [] } })).toEqual([
      { code: "undeclared_symbol", property: "data_operations", message: '"data_operations" transforms "c", which "data" does not define (it defines: a)' },
    ]);
    expect(validate({ template: 7, data: null })).toEqual([]);
  });
});
