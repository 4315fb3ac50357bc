import { describe, expect, it } from "vitest";
import { propertyDefinitionBlock } from "../src/formatters/property_definition.js";
import { ctx, detections, expectWorkflowError } from "./fixtures.js";

const run = (data: unknown, operations: unknown[]) =>
  propertyDefinitionBlock.run({ data, operations } as Parameters<typeof propertyDefinitionBlock.run>[0], ctx);

describe("Property Definition block", () => {
  it("declares Roboflow's ids, fields and output", () => {
    const { manifest } = propertyDefinitionBlock;
    expect([manifest.type, ...(manifest.aliases ?? [])]).toEqual(["roboflow_core/property_definition@v1", "PropertyDefinition", "PropertyExtraction"]);
    expect(Object.keys(manifest.fields)).toEqual(["data", "operations"]);
    expect(manifest.outputs).toEqual([{ name: "output", kinds: ["*"] }]);
  });

  it("extracts from a classification", () => {
    const data = { predictions: [{ class: "cat", class_id: 0, confidence: 0.6 }], top: "cat", confidence: 0.6 };
    const operations = [
      { type: "ClassificationPropertyExtract", property_name: "top_class" },
      { type: "LookupTable", lookup_table: { cat: "cat-mutated" } },
    ];
    expect(run(data, operations)).toEqual({ output: "cat-mutated" });
  });

  it("extracts from detections", () => {
    const d = detections([
      [10, 20, 30, 40, 0.6, 0, "car"],
      [30, 40, 50, 60, 0.4, 1, "dog"],
    ]);
    expect(run(d, [{ type: "DetectionsPropertyExtract", property_name: "center" }])).toEqual({ output: [[20, 30], [40, 50]] });
    expect(run(d, [{ type: "SequenceLength" }])).toEqual({ output: 2 });
    expect(run(d, [])).toEqual({ output: d });
  });

  it("reports failures at /operations", () => {
    expectWorkflowError(() => run("text", [{ type: "SequenceLength" }, { type: "StringToUpperCase" }]), "invalid_operation_input", "/operations/1");
  });
});
