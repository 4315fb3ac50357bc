/**
 * Stitch OCR Detections v1/v2: the layouts of Roboflow's unit tests
 * (tests/workflows/unit_tests/core_steps/transformations/test_stitch_ocr_detections_v*.py) give the
 * texts they expect; then the block in a workflow, where "auto" is decided by the first image.
 */
import { describe, expect, it } from "vitest";
import { BlockRegistry, Detections, WorkflowEngine, type Block } from "@cvflow/engine";
import { otsuThreshold, stitchByCollimation, stitchByOtsu, stitchByTolerance } from "../src/transformations/stitch-ocr.js";
import { stitchOcrDetectionsV1Block, stitchOcrDetectionsV2Block } from "../src/transformations/stitch_ocr_detections.js";

function ocr(rows: readonly (readonly [number, number, number, number, string])[]): Detections {
  return new Detections({
    image: { width: 200, height: 100 },
    xyxy: rows.flatMap((r) => r.slice(0, 4) as number[]),
    confidence: rows.map(() => 1),
    classId: rows.map(() => 0),
    className: rows.map((r) => r[4]),
  });
}

const HELLO = ocr([[10, 0, 20, 10, "H"], [30, 0, 40, 10, "E"], [50, 0, 60, 10, "L"], [70, 0, 80, 10, "L"], [90, 0, 100, 10, "O"]]);
const HI_BYE = ocr([[10, 0, 20, 10, "H"], [30, 0, 40, 10, "I"], [10, 20, 20, 30, "B"], [30, 20, 40, 30, "Y"], [50, 20, 60, 30, "E"]]);

describe("tolerance", () => {
  it("reads lines in order, in each reading direction", () => {
    expect(stitchByTolerance(HELLO, "left_to_right", 10, "")).toBe("HELLO");
    expect(stitchByTolerance(HI_BYE, "left_to_right", 10, "")).toBe("HI\nBYE");
    const arabic = ocr([[90, 0, 100, 10, "م"], [70, 0, 80, 10, "ر"], [50, 0, 60, 10, "ح"], [30, 0, 40, 10, "ب"], [10, 0, 20, 10, "ا"]]);
    expect(stitchByTolerance(arabic, "right_to_left", 10, "")).toBe("مرحبا");
    const vertical = ocr([[20, 10, 30, 20, "上"], [20, 30, 30, 40, "下"], [0, 10, 10, 20, "左"], [0, 30, 10, 40, "右"]]);
    expect(stitchByTolerance(vertical, "vertical_top_to_bottom", 10, "")).toBe("左右 上下");
    expect(stitchByTolerance(vertical, "vertical_bottom_to_top", 10, "")).toBe("下上 右左");
    expect(stitchByTolerance(ocr([[50, 0, 60, 10, "O"], [10, 0, 20, 10, "H"], [70, 0, 80, 10, "W"], [30, 0, 40, 10, "L"]]), "left_to_right", 10, "")).toBe("HLOW");
  });

  it("groups lines by the tolerance, and puts the delimiter around the line separator too", () => {
    const offsets = ocr([[10, 0, 20, 10, "A"], [30, 2, 40, 12, "B"], [10, 20, 20, 30, "C"], [30, 22, 40, 32, "D"]]);
    expect(stitchByTolerance(offsets, "left_to_right", 1, "")).toBe("A\nB\nC\nD");
    expect(stitchByTolerance(offsets, "left_to_right", 5, "")).toBe("AB\nCD");
    expect(stitchByTolerance(HI_BYE, "left_to_right", 10, "-")).toBe("H-I-\n-B-Y-E");
    // Line keys are numpy-rounded (half to even): tops at 5 and 15 with tolerance 10 fall on 0 and 20.
    expect(stitchByTolerance(ocr([[0, 15, 5, 20, "b"], [0, 5, 5, 10, "a"]]), "left_to_right", 10, "")).toBe("a\nb");
  });
});

describe("otsu", () => {
  it("splits words at the gaps Otsu's threshold finds, only when they are bimodal", () => {
    expect(stitchByOtsu(ocr([[0, 0, 10, 20, "H"], [12, 0, 22, 20, "E"], [24, 0, 34, 20, "L"], [36, 0, 46, 20, "L"], [48, 0, 58, 20, "O"]]), "left_to_right", "", 1)).toBe("HELLO");
    expect(stitchByOtsu(ocr([[0, 0, 10, 20, "H"], [12, 0, 22, 20, "I"], [80, 0, 90, 20, "B"], [92, 0, 102, 20, "Y"], [104, 0, 114, 20, "E"]]), "left_to_right", "", 1)).toBe("HI BYE");
    expect(stitchByOtsu(ocr([[0, 0, 10, 20, "A"], [12, 0, 22, 20, "B"], [0, 40, 10, 60, "C"], [12, 40, 22, 60, "D"]]), "left_to_right", "", 1)).toBe("AB\nCD");
    // A multiplier far above 1 moves the threshold past the word gap.
    const words = ocr([[0, 0, 10, 20, "H"], [12, 0, 22, 20, "I"], [80, 0, 90, 20, "B"], [92, 0, 102, 20, "Y"], [104, 0, 114, 20, "E"]]);
    expect(stitchByOtsu(words, "left_to_right", "", 100)).toBe("HIBYE");
  });

  it("threshold: between the groups for bimodal gaps, none for one group or one gap", () => {
    const bimodal = otsuThreshold([0.05, 0.1, 0.08, 0.12, 1.5, 1.4, 1.6]);
    expect(bimodal.bimodal).toBe(true);
    expect(bimodal.threshold).toBeGreaterThan(0.1);
    expect(bimodal.threshold).toBeLessThan(1.5);
    expect(otsuThreshold([0.05, 0.1, 0.08, 0.12, 0.07, 0.11]).bimodal).toBe(false);
    expect(otsuThreshold([0.1])).toEqual({ threshold: 0, bimodal: false });
  });
});

describe("collimate", () => {
  it("chains aligned boxes into lines, skewed ones too", () => {
    expect(stitchByCollimation(HELLO, "left_to_right", "", 10)).toBe("HELLO");
    expect(stitchByCollimation(ocr([[10, 0, 20, 10, "H"], [30, 0, 40, 10, "I"], [10, 30, 20, 40, "B"], [30, 30, 40, 40, "Y"], [50, 30, 60, 40, "E"]]), "left_to_right", "", 10)).toBe("HI\nBYE");
    expect(stitchByCollimation(ocr([[10, 0, 20, 10, "S"], [30, 3, 40, 13, "K"], [50, 6, 60, 16, "E"], [70, 9, 80, 19, "W"]]), "left_to_right", "", 10)).toBe("SKEW");
    expect(stitchByCollimation(ocr([[90, 0, 100, 10, "أ"], [70, 0, 80, 10, "ب"], [50, 0, 60, 10, "ج"]]), "right_to_left", "", 10)).toBe("أبج");
    expect(stitchByCollimation(ocr([[0, 10, 10, 20, "上"], [0, 30, 10, 40, "下"]]), "vertical_top_to_bottom", "", 10)).toBe("上下");
    expect(stitchByCollimation(HELLO, "left_to_right", "-", 10)).toBe("H-E-L-L-O");
  });
});

describe("stitch_ocr_detections in a workflow", () => {
  const engine = new WorkflowEngine({ registry: new BlockRegistry([stitchOcrDetectionsV1Block, stitchOcrDetectionsV2Block] as Block[]) });
  const definition = (step: Record<string, unknown>) => ({
    version: "1.0",
    inputs: [{ type: "WorkflowBatchInput", name: "ocr", kind: ["object_detection_prediction"] }],
    steps: [{ name: "stitch", predictions: "$inputs.ocr", ...step }],
    outputs: [{ type: "JsonField", name: "text", selector: "$steps.stitch.ocr_text" }],
  });

  it("v1 and v2 with each algorithm; auto follows the first image for the whole batch", async () => {
    const tall = ocr([[0, 0, 10, 30, "x"], [0, 40, 10, 70, "y"]]);
    const wide = ocr([[10, 0, 22, 10, "H"], [30, 0, 42, 10, "I"], [10, 20, 22, 30, "B"], [30, 20, 42, 30, "Y"], [50, 20, 62, 30, "E"]]);
    for (const step of [
      { type: "roboflow_core/stitch_ocr_detections@v1", reading_direction: "auto" },
      { type: "roboflow_core/stitch_ocr_detections@v2", stitching_algorithm: "tolerance", reading_direction: "auto" },
      { type: "roboflow_core/stitch_ocr_detections@v2", stitching_algorithm: "collimate", reading_direction: "auto" },
    ]) {
      const { outputs } = await engine.run(definition(step), { ocr: [wide, tall] });
      // The first image's boxes are wider than tall, so "auto" reads left to right: the tall second one too.
      expect(outputs).toEqual([{ text: "HI\nBYE" }, { text: "x\ny" }]);
    }
    const { outputs } = await engine.run(definition({ type: "roboflow_core/stitch_ocr_detections@v2", stitching_algorithm: "tolerance", reading_direction: "auto" }), { ocr: [HI_BYE, wide] });
    // Square boxes are not wider than tall: Roboflow reads them top to bottom, columns left to right, and so the second image.
    expect(outputs).toEqual([{ text: "HB IY E" }, { text: "HB IY E" }]);
  });

  it("refuses a tolerance of 0 and a missing reading direction at compile", () => {
    expect(() => engine.compile(definition({ type: "roboflow_core/stitch_ocr_detections@v1", reading_direction: "auto", tolerance: 0 }))).toThrow(/greater than zero/);
    expect(() => engine.compile(definition({ type: "roboflow_core/stitch_ocr_detections@v2", stitching_algorithm: "otsu" }))).toThrow(/reading_direction/);
  });
});
