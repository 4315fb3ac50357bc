/**
 * A run's image budget holds whatever the data: crops, slices, resizes and rotations whose size
 * comes from the request are checked before anything is cut or allocated, and every image a step
 * makes is charged as it is made. Memory is asserted through the accounting (how many crops were
 * cut), never through the process's RSS.
 */
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { WorkflowError } from "@cvflow/engine";
import { megapixels, WorkflowImage } from "@cvflow/vision";
import { createWorkflowEngine } from "../src/runtime.js";
import { sliceOffsetsV1, sliceOffsetsV2 } from "../src/transformations/image_slicer.js";

const jpeg = async (width: number, height: number) =>
  (await sharp({ create: { width, height, channels: 3, background: "#2060a0" } }).jpeg().toBuffer()).toString("base64");

/** Boxes centred on a width x height image, the i-th (width - 2i) x (height - 2i): overlapping, each nearly the whole image. */
function nearFullBoxes(width: number, height: number, n: number) {
  return {
    image: { width, height },
    predictions: Array.from({ length: n }, (_, i) => ({
      x: width / 2, y: height / 2, width: width - 2 * i, height: height - 2 * i, confidence: 0.9, class: "a", class_id: 0, detection_id: `d${i}`,
    })),
  };
}

/** Sum of the boxes' areas: what their crops take. */
function cropPixels(boxes: ReturnType<typeof nearFullBoxes>): number {
  return boxes.predictions.reduce((sum, p) => sum + p.width * p.height, 0);
}

function workflow(steps: object[], output: string, inputs: object[] = []): object {
  return {
    version: "1.0",
    inputs: [{ type: "WorkflowImage", name: "image" }, ...inputs],
    steps,
    outputs: [{ type: "JsonField", name: "out", selector: output }],
  };
}

const DETECTIONS = [{ type: "WorkflowParameter", name: "dets", kind: ["object_detection_prediction"] }];
const CROP = { type: "roboflow_core/dynamic_crop@v1", name: "crop", images: "$inputs.image", predictions: "$inputs.dets" };

async function runError(promise: Promise<unknown>): Promise<WorkflowError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowError);
  return error as WorkflowError;
}

let crops: MockInstance<WorkflowImage["crop"]>;
beforeEach(() => {
  crops = vi.spyOn(WorkflowImage.prototype, "crop");
});
afterEach(() => {
  crops.mockRestore();
});

describe("crops whose boxes come from the request", () => {
  it("refuses 200 near-full boxes on a 4000x4000 image (3 gigapixels of crops) with 413 run_too_large naming the step, before one crop is cut", async () => {
    const engine = createWorkflowEngine();
    const dets = nearFullBoxes(4000, 4000, 200);
    const error = await runError(engine.run(workflow([CROP], "$steps.crop.crops", DETECTIONS), { image: await jpeg(4000, 4000), dets }));
    expect(error.status).toBe(413);
    expect(error.code).toBe("run_too_large");
    expect(error.message).toContain(`Step "crop" failed: This run would make more images than it may: 200 crops take ${megapixels(cropPixels(dets))} megapixels, and 184 of the run's 200 megapixels are left.`);
    expect(error.details).toEqual({ step: "crop", index: [0], images: "200 crops", requested_megapixels: megapixels(cropPixels(dets)), left_megapixels: 184, max_megapixels: 200 });
    expect(crops).not.toHaveBeenCalled();
  });

  it("cuts every crop that fits, to the pixel, and none of a set one pixel over", async () => {
    const dets = nearFullBoxes(400, 300, 5);
    const budget = 400 * 300 + cropPixels(dets);
    const inputs = { image: await jpeg(400, 300), dets };
    const { outputs } = await createWorkflowEngine({ images: { maxRunPixels: budget } }).run(workflow([CROP], "$steps.crop.crops", DETECTIONS), inputs, { serialize: false });
    expect((outputs[0]!["out"] as WorkflowImage[]).map((c) => [c.width, c.height])).toEqual([[400, 300], [398, 298], [396, 296], [394, 294], [392, 292]]);
    expect(crops).toHaveBeenCalledTimes(5);
    crops.mockClear();
    const error = await runError(createWorkflowEngine({ images: { maxRunPixels: budget - 1 } }).run(workflow([CROP], "$steps.crop.crops", DETECTIONS), inputs));
    expect(error.details).toMatchObject({ step: "crop", images: "5 crops" });
    expect(error.code).toBe("run_too_large");
    expect(crops).not.toHaveBeenCalled();
  });

  it("charges what a later step makes of each crop as it is made: the first images that fit are made, the next is refused in its own step", async () => {
    // 4 crops of 400x300 (the input's size), each blurred: 120,000 x (1 + 4 + 4) pixels in all.
    // The estimate from the plan (input x (1 + 2 image steps)) is 360,000; 840,000 leaves room for 2 blurs.
    const engine = createWorkflowEngine({ images: { maxRunPixels: 840_000 }, maxConcurrency: 1 });
    const dets = { image: { width: 400, height: 300 }, predictions: nearFullBoxes(400, 300, 4).predictions.map((p) => ({ ...p, width: 400, height: 300 })) };
    const blur = { type: "roboflow_core/image_blur@v1", name: "blur", image: "$steps.crop.crops", blur_type: "average", kernel_size: 3 };
    const error = await runError(engine.run(workflow([CROP, blur], "$steps.blur.image", DETECTIONS), { image: await jpeg(400, 300), dets }));
    expect(error.code).toBe("run_too_large");
    expect(error.details).toEqual({ step: "blur", index: [0, 2], images: "an image of 400x300", requested_megapixels: 0.1, left_megapixels: 0, max_megapixels: 0.8 });
  });
});

describe("slices", () => {
  const image = jpeg(4000, 4000);
  const slicer = (version: string, size: number, overlap: number) => ({
    type: `roboflow_core/image_slicer@${version}`, name: "slicer", image: "$inputs.image",
    slice_width: size, slice_height: size, overlap_ratio_width: overlap, overlap_ratio_height: overlap,
  });
  const grid = (size: number, overlap: number) => ({ imageWidth: 4000, imageHeight: 4000, sliceWidth: size, sliceHeight: size, overlapRatioWidth: overlap, overlapRatioHeight: overlap });
  const area = (boxes: number[][]) => boxes.reduce((sum, [x1, y1, x2, y2]) => sum + (x2! - x1!) * (y2! - y1!), 0);

  it.each([
    ["v1", sliceOffsetsV1(grid(3000, 0.99))],
    ["v2", sliceOffsetsV2(grid(3000, 0.99))],
  ])("%s: 3000x3000 slices overlapping 99% (over a thousand) are refused with 413 before one is cut", async (version, boxes) => {
    const engine = createWorkflowEngine();
    const error = await runError(engine.run(workflow([slicer(version, 3000, 0.99)], "$steps.slicer.slices"), { image: await image }));
    expect(error.status).toBe(413);
    expect(error.details).toEqual({ step: "slicer", index: [0], images: `${boxes.length} slices`, requested_megapixels: megapixels(area(boxes)), left_megapixels: 184, max_megapixels: 200 });
    expect(crops).not.toHaveBeenCalled();
  });

  it("refuses 16 million 1-pixel slices (16 megapixels, but each image counts for at least 128x128) before listing them", async () => {
    const engine = createWorkflowEngine();
    const error = await runError(engine.run(workflow([slicer("v1", 1, 0)], "$steps.slicer.slices"), { image: await image }));
    expect(error.details).toEqual({ step: "slicer", index: [0], images: "16000000 slices", requested_megapixels: megapixels(16_000_000 * 128 * 128), left_megapixels: 184, max_megapixels: 200 });
    expect(crops).not.toHaveBeenCalled();
  });
});

describe("a step whose image can be larger than its input", () => {
  const resize = (width: number, height: number) => ({ type: "roboflow_core/image_preprocessing@v1", name: "resize", image: "$inputs.image", task_type: "resize", width, height });

  it("refuses a resize up past the 40-megapixel limit of one image with 413 image_too_many_pixels, before allocating it", async () => {
    const engine = createWorkflowEngine();
    const input = { image: await jpeg(400, 400) };
    const error = await runError(engine.run(workflow([resize(6400, 6400)], "$steps.resize.image"), input));
    expect([error.status, error.code]).toEqual([413, "image_too_many_pixels"]);
    expect(error.details).toEqual({ step: "resize", index: [0], width: 6400, height: 6400, max_pixels: 40_000_000 });
    // 10 gigapixels: 30 GB that could not even be allocated, so the refusal came first.
    const huge = await runError(engine.run(workflow([resize(100_000, 100_000)], "$steps.resize.image"), input));
    expect(huge.details).toEqual({ step: "resize", index: [0], width: 100_000, height: 100_000, max_pixels: 40_000_000 });
  });

  it("refuses a resize that fits one image but not what is left of the run's budget", async () => {
    const engine = createWorkflowEngine({ images: { maxRunPixels: 1_000_000 } });
    const error = await runError(engine.run(workflow([resize(1000, 1000)], "$steps.resize.image"), { image: await jpeg(400, 400) }));
    expect(error.code).toBe("run_too_large");
    expect(error.details).toEqual({ step: "resize", index: [0], images: "the resized image (1000x1000)", requested_megapixels: 1, left_megapixels: 0.8, max_megapixels: 1 });
    // 900x900 fits (160,000 + 810,000 pixels).
    const { outputs } = await engine.run(workflow([resize(900, 900)], "$steps.resize.image"), { image: await jpeg(400, 400) }, { serialize: false });
    expect((outputs[0]!["out"] as WorkflowImage).width).toBe(900);
  });

  it("refuses a rotation whose larger canvas is over the limit of one image", async () => {
    // 400x400 turned 45 degrees needs a 565x565 canvas (319,225 pixels).
    const engine = createWorkflowEngine({ images: { maxPixels: 300_000 } });
    const rotate = { type: "roboflow_core/image_preprocessing@v1", name: "rotate", image: "$inputs.image", task_type: "rotate", rotation_degrees: 45 };
    const error = await runError(engine.run(workflow([rotate], "$steps.rotate.image"), { image: await jpeg(400, 400) }));
    expect(error.details).toEqual({ step: "rotate", index: [0], width: 565, height: 565, max_pixels: 300_000 });
  });
});
