/**
 * Overlap Analysis: Roboflow's unit-test cases for boxes; YOLOv8n-seg's masks of bus.jpg against
 * shapely; a mask whose contour touches itself falls back to the box as shapely's validity rule
 * makes Roboflow's. Reference ratios made once with Debian's python3-opencv and python3-shapely
 * 1.8.5 following Roboflow's block: cv2.findContours(mask, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE),
 * the longest contour of >= 3 points as shapely.Polygon if is_valid else shapely box(), then
 * ref.intersection(cand).area / ref.area for pairs whose boxes overlap.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { BlockRegistry, Detections, WorkflowEngine, type Block, type BitMask } from "@cvflow/engine";
import { missing } from "@cvflow/vision/test-assets";
import { overlapAnalysis, overlapAnalysisBlock } from "../src/fusion/overlap_analysis.js";
import { instanceSegmentationModelV3Block } from "../src/models/instance_segmentation.js";
import { detections } from "./fixtures.js";
import { photo, runModelBlock } from "./model-fixtures.js";

describe("overlap_analysis on boxes", () => {
  it("full containment is 1, half a reference is 0.5, classes and confidences carried (Roboflow's cases)", async () => {
    const ref = detections([[10, 10, 30, 30, 0.9, 0, "R"]]);
    const cand = detections([[0, 0, 100, 100, 0.7, 0, "C"]]);
    expect(await overlapAnalysis(ref, cand, 0.1)).toEqual([
      { reference_class: "R", reference_confidence: 0.9, candidate_class: "C", candidate_confidence: 0.7, overlap_ratio: 1, reference_detection_id: "d0", candidate_detection_id: "d0" },
    ]);
    const half = await overlapAnalysis(detections([[0, 0, 100, 100, 0.5, 0, "a"]]), detections([[50, 0, 150, 100, 0.5, 0, "b"]]), 0.1);
    expect(half.map((r) => r.overlap_ratio)).toEqual([0.5]);
  });

  it("keeps a pair at exactly min_overlap, drops one below, skips boxes that only touch, and is empty for no detections", async () => {
    const ref = detections([[0, 0, 100, 100, 1, 0, "a"]]);
    const quarter = detections([[75, 0, 175, 100, 1, 0, "b"]]);
    expect(await overlapAnalysis(ref, quarter, 0.25)).toHaveLength(1);
    expect(await overlapAnalysis(ref, quarter, 0.26)).toHaveLength(0);
    expect(await overlapAnalysis(ref, detections([[100, 0, 200, 100, 1, 0, "touching"]]), 0)).toHaveLength(0);
    expect(await overlapAnalysis(ref, detections([]), 0)).toEqual([]);
  });

  it("N x M: every overlapping pair once, references in order", async () => {
    const ref = detections([[0, 0, 10, 10, 1, 0, "r0"], [20, 0, 30, 10, 1, 0, "r1"]]);
    const cand = detections([[5, 0, 25, 10, 1, 0, "c0"], [0, 0, 30, 10, 1, 0, "c1"], [50, 50, 60, 60, 1, 0, "c2"]]);
    const out = await overlapAnalysis(ref, cand, 0.1);
    expect(out.map((r) => [r.reference_class, r.candidate_class, r.overlap_ratio])).toEqual([
      ["r0", "c0", 0.5],
      ["r0", "c1", 1],
      ["r1", "c0", 0.5],
      ["r1", "c1", 1],
    ]);
  });
});

function fullMask(width: number, height: number, set: (x: number, y: number) => boolean): BitMask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = set(x, y) ? 1 : 0;
  return { width, height, left: 0, top: 0, columns: width, rows: height, data };
}

describe("overlap_analysis on masks", () => {
  const image = { width: 20, height: 20 };
  const candidate = (box: [number, number, number, number]) => new Detections({ image, xyxy: box, confidence: [1], classId: [0], className: ["c"] });

  it("an L-shaped mask is measured by its contour; a bow-tie (self-touching contour) by its box", async () => {
    const l = new Detections({ image, xyxy: [2, 2, 12, 12], confidence: [1], classId: [0], className: ["L"], masks: [fullMask(20, 20, (x, y) => (x >= 2 && x < 6 && y >= 2 && y < 12) || (x >= 2 && x < 12 && y >= 8 && y < 12))] });
    // shapely: contour [[2,2],[2,11],[11,11],[11,8],[6,8],[5,7],[5,2]], area 45.5, with box(0, 0, 8, 10): 0.6703296703296703.
    expect((await overlapAnalysis(l, candidate([0, 0, 8, 10]), 0)).map((r) => r.overlap_ratio)).toEqual([0.6703296703296703]);
    const bowTie = new Detections({ image, xyxy: [2, 2, 10, 10], confidence: [1], classId: [0], className: ["bow"], masks: [fullMask(20, 20, (x, y) => (x >= 2 && x < 6 && y >= 2 && y < 6) || (x >= 6 && x < 10 && y >= 6 && y < 10))] });
    // shapely: the contour passes (5,5) and (6,6) twice: not valid, so box(2, 2, 10, 10): 16 / 64.
    expect((await overlapAnalysis(bowTie, candidate([0, 0, 6, 6]), 0)).map((r) => r.overlap_ratio)).toEqual([0.25]);
  });

  describe.skipIf(missing("overlap analysis on bus.jpg", { models: ["yolov8n-seg-640"], photos: ["bus.jpg"] }))("YOLOv8n-seg's masks of bus.jpg", () => {
    let predictions: Detections;
    beforeAll(async () => {
      const [out] = await runModelBlock(instanceSegmentationModelV3Block, { images: [await photo("bus.jpg")], model_id: "yolov8n-seg-640" });
      predictions = out!["predictions"] as Detections;
    });

    it("every pair of the segmentation against itself equals shapely's ratios", async () => {
      // The masks the reference was made from: bus, person, person, person with these set pixels.
      expect(predictions.className).toEqual(["bus", "person", "person", "person"]);
      expect(predictions.masks!.map((m) => m!.data.reduce((s, v) => s + v, 0))).toEqual([260630, 57021, 32986, 20944]);
      const out = await overlapAnalysis(predictions, predictions, 0);
      const index = (id: string) => predictions.detectionId.indexOf(id);
      expect(out.map((r) => [index(r.reference_detection_id), index(r.candidate_detection_id), r.overlap_ratio])).toEqual([
        [0, 0, 1],
        [0, 1, 0.0007443983532887087],
        [0, 2, 0.0009584865340498413],
        [0, 3, 0.0001728418340089878],
        [1, 0, 0.0033672426813557816],
        [1, 1, 1],
        [1, 2, 0],
        [2, 0, 0.0075100030778701135],
        [2, 1, 0],
        [2, 2, 1],
        [3, 0, 0.0021556475516253094],
        [3, 3, 1],
      ]);
    });

    it("runs in a workflow (alias OverlapAnalysis) with the 0.1 default: people over the bus are mostly not on its mask", async () => {
      const engine = new WorkflowEngine({ registry: new BlockRegistry([overlapAnalysisBlock] as Block[]) });
      const { outputs } = await engine.run(
        {
          version: "1.0",
          inputs: [{ type: "WorkflowBatchInput", name: "seg", kind: ["instance_segmentation_prediction"] }],
          steps: [{ type: "OverlapAnalysis", name: "overlap", reference_predictions: "$inputs.seg", candidate_predictions: "$inputs.seg" }],
          outputs: [{ type: "JsonField", name: "overlaps", selector: "$steps.overlap.overlaps" }],
        },
        { seg: [predictions] },
      );
      const overlaps = (outputs[0] as { overlaps: { reference_class: string; candidate_class: string; overlap_ratio: number }[] }).overlaps;
      expect(overlaps.map((r) => r.overlap_ratio)).toEqual([1, 1, 1, 1]);
    });
  });
});
