/**
 * The six pure-compute cases of the reference suite (test/conformance/roboflow), run
 * unchanged, with exactly what their original tests assert — negative cases included.
 */
import { describe, expect, it } from "vitest";
import { coreBlocks } from "@cvflow/blocks";
import { BlockRegistry, WorkflowCompileError, WorkflowEngine, type WireDetections } from "@cvflow/engine";
import { loadCase } from "./conformance.js";
import { csvRecords } from "./csv.js";

const engine = new WorkflowEngine({ registry: new BlockRegistry(coreBlocks) });
const detectionIds = (d: unknown) => new Set((d as WireDetections).predictions.map((p) => p.detection_id));

describe("reference suite: pure compute", () => {
  describe("switch_case_routing", () => {
    const { definition } = loadCase("switch_case_routing");

    it.each([
      ["a", { on_a: "EXECUTED A!", on_b: null, on_default: null }],
      ["b", { on_a: null, on_b: "EXECUTED B!", on_default: null }],
      ["c", { on_a: null, on_b: null, on_default: "EXECUTED DEFAULT!" }],
    ])("routes %s", async (routing_value, expected) => {
      expect((await engine.run(definition, { routing_value })).outputs).toEqual([expected]);
    });

    it("with no default steps, an unmatched value runs nothing", async () => {
      const variant = structuredClone(definition) as { steps: Record<string, unknown>[]; outputs: Record<string, unknown>[] };
      variant.steps[0]!["default_next_steps"] = [];
      variant.steps = variant.steps.filter((s) => s["name"] !== "on_default");
      variant.outputs = variant.outputs.filter((o) => o["name"] !== "on_default");
      expect((await engine.run(variant, { routing_value: "unmatched" })).outputs).toEqual([{ on_a: null, on_b: null }]);
    });

    it("refuses two cases that target the same step", () => {
      const variant = structuredClone(definition) as { steps: Record<string, Record<string, unknown>>[] };
      variant.steps[0]!["cases"]!["alias_of_a"] = "$steps.on_a";
      let error: unknown;
      try {
        engine.compile(variant);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(WorkflowCompileError);
      const issues = (error as WorkflowCompileError).issues;
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ code: "invalid_step", pointer: "/steps/0/cases", step: "switch" });
      expect(issues[0]!.message).toContain("targeted at most once");
    });
  });

  it("string_template_chain", async () => {
    const { definition } = loadCase("string_template_chain");
    const { outputs } = await engine.run(definition, {
      prompt_template: "This facing contains one of: {sku_list}. Answer with the product name or {fallback_answer}.",
      expected_skus: ["SKU-1", "SKU-2", "SKU-3"],
    });
    expect(outputs).toEqual([{
      prompt: "This facing contains one of: SKU-1, SKU-2, SKU-3. Answer with the product name or NONE.",
      wrapped_prompt: "PROMPT START. This facing contains one of: SKU-1, SKU-2, SKU-3. Answer with the product name or NONE. PROMPT END.",
    }]);
  });

  it("csv_formatter_scalars", async () => {
    const { definition } = loadCase("csv_formatter_scalars");
    const before = Date.now();
    const { outputs } = await engine.run(definition, { a: "some", b: "other", c: 4 });
    expect(outputs).toHaveLength(1);
    expect(Object.keys(outputs[0]!)).toEqual(["csv"]);
    const csv = outputs[0]!["csv"];
    expect(typeof csv).toBe("string");
    const rows = csvRecords(csv as string);
    expect(rows).toHaveLength(1);
    expect(new Set(Object.keys(rows[0]!))).toEqual(new Set(["a", "b", "c", "timestamp"]));
    expect(rows[0]!["a"]).toBe("SOME");
    expect(rows[0]!["b"]).toBe("other");
    expect(Number(rows[0]!["c"])).toBe(4);
    const stamp = Date.parse(rows[0]!["timestamp"]!);
    expect(stamp).toBeGreaterThanOrEqual(before - 1000);
    expect(stamp).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("detections_difference_json_inputs", async () => {
    const { definition } = loadCase("detections_difference_json_inputs");
    const box = (x: number, y: number, cls: string, classId: number, id: string) => ({ x, y, width: 100, height: 100, confidence: 0.9, class: cls, class_id: classId, detection_id: id });
    const image = { width: 640, height: 480 };
    const { outputs } = await engine.run(definition, {
      reference_predictions: { image, predictions: [box(50, 50, "bottle", 0, "r0"), box(250, 50, "can", 1, "r1"), box(50, 250, "bag", 2, "r2")] },
      candidate_predictions: { image, predictions: [box(255, 50, "can", 1, "c0")] },
    });
    expect(outputs).toHaveLength(1);
    expect(Object.keys(outputs[0]!)).toEqual(["result"]);
    const result = outputs[0]!["result"] as Record<string, unknown>;
    expect(result["removed_count"]).toBe(2);
    expect(result["new_count"]).toBe(0);
    expect(result["verified"]).toBe(true);
    expect(detectionIds(result["removed_detections"])).toEqual(new Set(["r0", "r2"]));
    expect(detectionIds(result["persisted_detections"])).toEqual(new Set(["c0"]));
    expect((result["new_detections"] as WireDetections).predictions).toHaveLength(0);
  });

  describe("per_class_confidence_filter_batch_input", () => {
    const { definition } = loadCase("per_class_confidence_filter_batch_input");
    const detections = (classes: string[], confidences: number[]) => ({
      image: { width: 100, height: 100 },
      predictions: classes.map((cls, i) => ({ x: 5, y: 5, width: 10, height: 10, confidence: confidences[i], class: cls, class_id: i, detection_id: `d${i}` })),
    });
    const filtered = (outputs: Record<string, unknown>[]) => {
      const p = (outputs[0]!["filtered"] as WireDetections).predictions;
      return [p.map((x) => x.class), p.map((x) => x.confidence)];
    };

    it("keeps classes above their own thresholds", async () => {
      const { outputs } = await engine.run(definition, {
        predictions: [detections(["person", "person", "car", "dog"], [0.99, 0.7, 0.6, 0.4])],
        class_thresholds: { person: 0.98, car: 0.5 },
        default_threshold: 0.5,
      });
      expect(filtered(outputs)).toEqual([["person", "car"], [0.99, 0.6]]);
    });

    it("uses default_threshold for classes without one", async () => {
      const { outputs } = await engine.run(definition, {
        predictions: [detections(["cat", "cat"], [0.2, 0.8])],
        class_thresholds: { person: 0.98 },
        default_threshold: 0.5,
      });
      expect(filtered(outputs)).toEqual([["cat"], [0.8]]);
    });
  });

  describe("continue_if_non_simd_multiple_next_steps", () => {
    const { definition } = loadCase("continue_if_non_simd_multiple_next_steps");

    it("runs both next steps when the condition holds", async () => {
      expect((await engine.run(definition, { some: 1 })).outputs).toEqual([{ first_expression: "EXECUTED FIRST!", second_expression: "EXECUTED SECOND!" }]);
    });

    it("runs neither when it does not", async () => {
      expect((await engine.run(definition, { some: 0 })).outputs).toEqual([{ first_expression: null, second_expression: null }]);
    });
  });
});
