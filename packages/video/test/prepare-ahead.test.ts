/**
 * Given its engine's models, the pipeline prepares each next frame's detector input before the
 * current frame's run (models.prepareAhead) and the run takes it: every frame after the first is
 * prepared ahead, and the detections are those of a pipeline that prepares nothing ahead.
 */
import { describe, expect, it } from "vitest";
import { createWorkflowEngine } from "@cvflow/blocks";
import { createVisionModels, type ModelImage } from "@cvflow/vision";
import { missing, MODELS_DIR } from "@cvflow/vision/test-assets";
import { VideoPipeline } from "../src/index.js";
import { VTEST, videoMissing } from "./video-assets.js";

const FRAMES = 6;
const WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "roboflow_core/roboflow_object_detection_model@v2", name: "detection", images: "$inputs.image", model_id: "yolov8n-640" }],
  outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
};

describe.skipIf(videoMissing("pipeline preparing ahead", { vtest: true }) ?? missing("pipeline preparing ahead", { models: ["yolov8n-640"] }))("VideoPipeline with its models", () => {
  const models = createVisionModels({ modelsDir: MODELS_DIR });
  const engine = createWorkflowEngine({ models });

  async function detections(withModels: boolean): Promise<unknown[]> {
    const got: unknown[] = [];
    const pipeline = VideoPipeline.initWithWorkflow({
      videoReference: VTEST,
      workflow: WORKFLOW,
      engine,
      ...(withModels ? { models } : {}),
      serializeResults: true,
      onPrediction: (result) => {
        // detection_id is random per detection: the rest must match.
        got.push((result["predictions"] as { predictions: Record<string, unknown>[] }).predictions.map(({ detection_id: _, ...rest }) => rest));
        if (got.length === FRAMES) pipeline.terminate();
      },
    });
    pipeline.start();
    await pipeline.join();
    return got;
  }

  it("letterboxes each next frame before the current frame's run, and the run takes it", async () => {
    const plain = await detections(false);
    const prepareAhead = models.prepareAhead.bind(models);
    const detect = models.detect.bind(models);
    const prepared = new WeakSet<ModelImage>();
    let ranPrepared = 0;
    let ran = 0;
    models.prepareAhead = (modelId, image) => {
      prepared.add(image);
      prepareAhead(modelId, image);
    };
    models.detect = (modelId, images, params, signal) => {
      ran += images.length;
      ranPrepared += images.filter((image) => prepared.has(image)).length;
      return detect(modelId, images, params, signal);
    };
    expect(await detections(true)).toEqual(plain);
    // The first frame is there before any run; every later one was prepared during its predecessor's.
    expect([ran, ranPrepared]).toEqual([FRAMES, FRAMES - 1]);
  });
});
