/**
 * What a run may hold: its image budget is checked from the images' headers before anything is
 * decoded (413 run_too_large), a chain of drawings keeps one or two images rather than one per
 * step, and a model reads a large JPEG shrunk on load, finding what it finds on the full decode.
 */
import sharp from "sharp";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { executePlan, iou, prepareInputs, WorkflowError, type Detections } from "@cvflow/engine";
import { decodeImage, inputLineage, openImage, WorkflowImage } from "@cvflow/vision";
import { examplePhoto, missing } from "@cvflow/vision/test-assets";
import { createWorkflowEngine } from "../src/runtime.js";
import { realModels } from "./model-fixtures.js";

const PREDICTIONS = {
  image: { width: 64, height: 48 },
  predictions: [{ x: 32, y: 24, width: 20, height: 10, confidence: 0.9, class: "a", class_id: 0, detection_id: "d1" }],
};

/** `n` box visualizations, each drawing on a copy of the image before; the last one's image is the output. */
function chain(n: number): object {
  const steps = Array.from({ length: n }, (_, i) => ({
    type: "roboflow_core/bounding_box_visualization@v1",
    name: `boxes${i}`,
    image: i === 0 ? "$inputs.image" : `$steps.boxes${i - 1}.image`,
    predictions: "$inputs.predictions",
  }));
  return {
    version: "1.0",
    inputs: [{ type: "WorkflowImage", name: "image" }, { type: "WorkflowBatchInput", name: "predictions", kind: ["object_detection_prediction"] }],
    steps,
    outputs: [{ type: "JsonField", name: "image", selector: `$steps.boxes${n - 1}.image` }],
  };
}

async function runError(promise: Promise<unknown>): Promise<WorkflowError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowError);
  return error as WorkflowError;
}

describe("a run's image budget", () => {
  // 6300 x 6300 (39.7 megapixels, under the 40 MP limit of one image) in a PNG whose pixel data is
  // cut short: its header reads, but decoding it fails. So a 413 run_too_large for it shows that
  // the run was refused before anything was decoded.
  const side = 6300;
  const truncatedPng = sharp({ create: { width: side, height: side, channels: 3, background: "#2060a0" } })
    .png()
    .toBuffer()
    .then((png) => png.subarray(0, 4096));
  const input = async () => ({ image: { type: "base64", value: (await truncatedPng).toString("base64") }, predictions: PREDICTIONS });

  it("refuses with 413 run_too_large, from the headers, a run whose input pixels x (1 + image steps) exceed 200 megapixels", async () => {
    const engine = createWorkflowEngine();
    const error = await runError(engine.run(chain(5), await input()));
    expect(error.code).toBe("run_too_large");
    expect(error.status).toBe(413);
    expect(error.details).toMatchObject({ input_megapixels: 39.7, input_images: 1, image_steps: 5, estimated_megapixels: 238.1, max_megapixels: 200 });
    expect(error.message).toContain("200 megapixels");
    // 4 image steps fit (198.5 megapixels): that run goes on to decode the image, which fails.
    expect((await runError(engine.run(chain(4), await input()))).code).toBe("invalid_image");
  });

  it("counts every image of a batch and takes its limit from the engine's options, to the pixel", async () => {
    // 160 x 120: above the least an image counts for while the run runs (128 x 128), so that the
    // run's own accounting (2 inputs and 2 drawings of each) comes to the estimate exactly.
    const small = (await sharp({ create: { width: 160, height: 120, channels: 3, background: "#808080" } }).png().toBuffer()).toString("base64");
    const pixels = 160 * 120;
    const inputs = { image: [small, small], predictions: PREDICTIONS };
    // Two images, two image steps: 2 x 19,200 x 3 pixels.
    const fits = createWorkflowEngine({ images: { maxRunPixels: 2 * pixels * 3 } });
    expect((await fits.run(chain(2), inputs, { serialize: false })).outputs).toHaveLength(2);
    const over = createWorkflowEngine({ images: { maxRunPixels: 2 * pixels * 3 - 1 } });
    const error = await runError(over.run(chain(2), inputs));
    expect(error.details).toMatchObject({ input_images: 2, image_steps: 2 });
  });
});

describe("a chain of drawings", () => {
  it("ends holding the image the output selects, not one per step", async () => {
    const engine = createWorkflowEngine();
    const plan = engine.compile(chain(10));
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#808080" } }).png().toBuffer();
    const image = await openImage(png, inputLineage("image"));
    const prepared = await prepareInputs(plan.inputs, { image, predictions: PREDICTIONS });
    const state = await executePlan(plan, prepared.values, prepared.batchSize);
    expect([...state.outputs.keys()]).toEqual(["boxes9"]);
    // One drawn copy besides the input's pixels: the first step copied them, the others drew on copies dropped since.
    const [record] = state.outputs.get("boxes9") as { image: WorkflowImage }[];
    expect(record!.image.pixels.data).not.toBe(image.pixels.data);
  });
});

const shrinkMissing = missing("shrink-on-load detections", { models: ["yolov8n-640"] });
describe.skipIf(shrinkMissing)("a 12-megapixel JPEG read by a detector", () => {
  it("is never decoded in full when only the model reads it, and gives the full decode's detections (IoU >= 0.9)", async () => {
    const engine = createWorkflowEngine({ models: realModels() });
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [{ type: "roboflow_core/roboflow_object_detection_model@v2", name: "detection", images: "$inputs.image", model_id: "yolov8n-640" }],
      outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
    };
    const jpeg = await sharp(await readFile(examplePhoto("dog.jpg"))).resize(4000, 3000, { fit: "fill" }).jpeg({ quality: 90 }).toBuffer();
    const deferred = await openImage(jpeg, inputLineage("image"));
    const decoded = await decodeImage(jpeg, inputLineage("image"));
    const detect = async (image: WorkflowImage) => ((await engine.run(definition, { image }, { serialize: false })).outputs[0]!["predictions"] as Detections);
    const shrunk = await detect(deferred);
    const full = await detect(decoded);
    expect(deferred.isDecoded).toBe(false);
    expect(full.length).toBeGreaterThan(0);
    expect(shrunk.length).toBe(full.length);
    for (let i = 0; i < full.length; i++) {
      const best = Math.max(...Array.from({ length: shrunk.length }, (_, j) => (shrunk.className[j] === full.className[i] ? iou(shrunk.box(j), full.box(i)) : 0)));
      expect(best, `${full.className[i]} [${full.box(i).join(", ")}]`).toBeGreaterThanOrEqual(0.9);
    }
  });
});
