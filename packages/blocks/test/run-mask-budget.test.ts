/**
 * An instance segmentation step's masks are charged to the run's image budget: stored for their
 * boxes only, a third of an RGB pixel each, and refused together (413 run_too_large naming the
 * step) before the first is made when they do not fit. Asserted through bytes and the error's
 * numbers, never through the process's RSS.
 */
import { readFile } from "node:fs/promises";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { WorkflowError, type Detections } from "@cvflow/engine";
import { megapixels } from "@cvflow/vision";
import { missing, sharedPhoto } from "@cvflow/vision/test-assets";
import { createWorkflowEngine } from "../src/runtime.js";
import { realModels } from "./model-fixtures.js";

const SIDE = 4000;
const workflow = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "roboflow_core/roboflow_instance_segmentation_model@v2", name: "seg", images: "$inputs.image", model_id: "yolov8n-seg-640", confidence: 0.01 }],
  outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.seg.predictions" }],
};

describe.skipIf(missing("masks in the run's budget", { models: ["yolov8n-seg-640"], photos: ["bus.jpg"] }))("masks in the run's budget", () => {
  let image: string;
  beforeAll(async () => {
    // bus.jpg stretched to 4000 x 4000 (16 megapixels): low confidence finds a few dozen objects.
    image = (await sharp(await readFile(sharedPhoto("bus.jpg"))).resize(SIDE, SIDE, { fit: "fill" }).jpeg().toBuffer()).toString("base64");
  });

  it("keeps each mask's bytes to its box, and refuses the masks with 413 run_too_large naming the step when they do not fit", async () => {
    const { outputs } = await createWorkflowEngine({ models: realModels() }).run(workflow, { image }, { serialize: false });
    const predictions = outputs[0]!["predictions"] as Detections;
    const masks = predictions.masks!.map((m) => m!);
    expect(masks.length).toBeGreaterThanOrEqual(20);
    const bytes = masks.reduce((sum, m) => sum + m.data.byteLength, 0);
    masks.forEach((mask, i) => {
      const [x1, y1, x2, y2] = predictions.box(i);
      expect(mask.data.byteLength).toBe(mask.columns * mask.rows);
      expect(mask.columns).toBeLessThanOrEqual(Math.ceil(x2 - x1) + 1);
      expect(mask.rows).toBeLessThanOrEqual(Math.ceil(y2 - y1) + 1);
    });
    // Image-size masks would have taken one image's pixels each.
    expect(bytes).toBeLessThan((masks.length * SIDE * SIDE) / 10);

    // The input is charged when admitted (16 megapixels); one more megapixel leaves no room for the masks.
    const engine = createWorkflowEngine({ models: realModels(), images: { maxRunPixels: SIDE * SIDE + 1_000_000 } });
    const error = await engine.run(workflow, { image }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).status).toBe(413);
    // A model step runs its whole batch at once: the error names the step, not an element.
    expect((error as WorkflowError).details).toEqual({
      step: "seg",
      images: `${masks.length} masks`,
      requested_megapixels: megapixels(Math.ceil(bytes / 3)),
      left_megapixels: 1,
      max_megapixels: 17,
    });
    expect((error as WorkflowError).message).toContain(`Step "seg" failed: This run would make more images than it may: ${masks.length} masks take`);
  });
});
