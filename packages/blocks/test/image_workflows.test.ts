/**
 * The image blocks inside the engine: dimensionality of crops, slices and stitching, and the
 * reference suite's pure-compute contour workflow, with a stand-in detector where a model would be.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BlockRegistry, WorkflowEngine, type Block, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { contoursDetectionBlock } from "../src/classical_cv/contours_detection.js";
import { convertGrayscaleBlock } from "../src/classical_cv/convert_grayscale.js";
import { imageBlurBlock } from "../src/classical_cv/image_blur.js";
import { thresholdBlock } from "../src/classical_cv/threshold.js";
import { detectionsStitchBlock } from "../src/fusion/detections_stitch.js";
import { absoluteStaticCropBlock } from "../src/transformations/absolute_static_crop.js";
import { dynamicCropBlock } from "../src/transformations/dynamic_crop.js";
import { imageSlicerBlock } from "../src/transformations/image_slicer.js";
import { boxes, fakeDetector } from "./detections-fixture.js";
import { photo, synthetic } from "./image-fixtures.js";

const engine = new WorkflowEngine({
  registry: new BlockRegistry([
    fakeDetector,
    absoluteStaticCropBlock,
    dynamicCropBlock,
    imageSlicerBlock,
    detectionsStitchBlock,
    convertGrayscaleBlock,
    imageBlurBlock,
    thresholdBlock,
    contoursDetectionBlock,
  ] as Block[]),
});

const image = synthetic(300, 200, 3, (x, y) => (x + y) % 256);

async function run(definition: unknown, inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  return (await engine.run(definition, inputs, { serialize: false })).outputs[0]!;
}

describe("image blocks in a workflow", () => {
  it("slices, detects per slice, stitches back to one result per image", async () => {
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [
        { type: "roboflow_core/image_slicer@v1", name: "slicer", image: "$inputs.image", slice_width: 128, slice_height: 128 },
        { type: "test/fake_detector@v1", name: "detection", image: "$steps.slicer.slices" },
        { type: "roboflow_core/detections_stitch@v1", name: "stitch", reference_image: "$inputs.image", predictions: "$steps.detection.predictions", overlap_filtering_strategy: "none" },
      ],
      outputs: [
        { type: "JsonField", name: "stitched", selector: "$steps.stitch.predictions" },
        { type: "JsonField", name: "per_slice", selector: "$steps.detection.predictions" },
      ],
    };
    const out = await run(definition, { image });
    // Slices start at 0, 103, 206 across and 0, 103 down: one box in each, moved by its slice's offset.
    expect((out["per_slice"] as unknown[]).length).toBe(6);
    const stitched = out["stitched"] as Detections;
    expect(boxes(stitched)).toEqual([0, 103].flatMap((y) => [0, 103, 206].map((x) => [x + 5, y + 5, x + 25, y + 15])));
    expect(stitched.parentId.every((p) => p === "image")).toBe(true);
  });

  it("runs a model on a static crop once per image (no new dimension)", async () => {
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [
        { type: "AbsoluteStaticCrop", name: "crop", image: "$inputs.image", x_center: 150, y_center: 100, width: 100, height: 60 },
        { type: "test/fake_detector@v1", name: "detection", image: "$steps.crop.crops" },
        { type: "Crop", name: "second", image: "$steps.crop.crops", predictions: "$steps.detection.predictions" },
      ],
      outputs: [
        { type: "JsonField", name: "result", selector: "$steps.detection.predictions" },
        { type: "JsonField", name: "crops", selector: "$steps.second.crops" },
      ],
    };
    const out = await run(definition, { image: [image, image] });
    expect(out["result"]).toBeDefined();
    const result = out["result"] as Detections;
    expect(result.data["root_parent_origin"]).toEqual([{ offset_x: 100, offset_y: 70, width: 300, height: 200 }]);
    const [crop] = out["crops"] as WorkflowImage[];
    expect(crop!.lineage.rootOrigin).toEqual({ offset_x: 105, offset_y: 75, width: 300, height: 200 });
  });

  it.skipIf(missing("contour workflow on dogs.jpg", { photos: ["roboflow/dogs.jpg"] }))("runs the reference suite's contour workflow on dogs.jpg: 27 contours", async () => {
    const reference = JSON.parse(readFileSync(fileURLToPath(new URL("../../../test/conformance/roboflow/classical_cv_contours.json", import.meta.url)), "utf8")) as { definition: unknown };
    const dogs = await photo("roboflow/dogs.jpg");
    const out = await run(reference.definition, { image: dogs });
    expect(out["number_contours"]).toBe(27);
    expect(out["contours"]).toHaveLength(27);
    for (const key of ["grayscale_image", "blurred_image", "thresholded_image", "contour_image"]) {
      expect(Buffer.from((out[key] as WorkflowImage).pixels.data).equals(Buffer.from(dogs.pixels.data))).toBe(false);
    }
  });
});
