/**
 * Instance masks within the run's memory budget, asserted by bytes and by what the budget was
 * charged (every mask is charged before its bytes are allocated), never by the process's RSS:
 * a mask holds its box's pixels only, one byte each, charged at a third of an RGB pixel; a model's
 * masks that do not fit are refused together before the first is made. The model outputs are
 * synthetic (a YOLOv8-seg head and prototypes), so no model file is needed.
 */
import { describe, expect, it } from "vitest";
import { WorkflowError } from "@cvflow/engine";
import { megapixels, RunImageBudget, withRunImageBudget } from "../src/index.js";
import type { DetectionResult, ModelSpec } from "../src/models/types.js";
import { decodeDetections } from "../src/tasks/decode-detections.js";
import type { ModelOutput } from "../src/tasks/model-tensors.js";

const INPUT = 320;
const CHANNELS = 32;
const GRID = 80;
const spec: ModelSpec = {
  id: "seg",
  aliases: [],
  task: "instance-segmentation",
  files: {},
  input: { width: INPUT, height: INPUT },
  preprocessing: { resize: "stretch", scale: 1 / 255, channelOrder: "RGB" },
  decoder: "yolov8-seg",
  classes: ["thing"],
  dynamicBatch: false,
  license: "test",
  source: "test",
};

/** A 6300 x 6300 image, 39.69 megapixels: one image-size mask of it is 39.69 MB. */
const IMAGE = { width: 6300, height: 6300 };
const TRANSFORM = { scaleX: INPUT / IMAGE.width, scaleY: INPUT / IMAGE.height, offsetX: 0, offsetY: 0 };

/**
 * One detection per box (cx, cy, w, h in input pixels), confidence 0.9; the masks' prototype is 1
 * everywhere with coefficient 1, so every pixel of a box is set (sigmoid(1) > 0.5).
 */
function segOutputs(boxes: readonly [number, number, number, number][]): ModelOutput[] {
  const n = boxes.length;
  const rows = 4 + spec.classes.length + CHANNELS;
  const head = new Float32Array(rows * n);
  boxes.forEach((box, i) => {
    box.forEach((v, k) => (head[k * n + i] = v));
    head[4 * n + i] = 0.9;
    head[5 * n + i] = 1;
  });
  const protos = new Float32Array(CHANNELS * GRID * GRID);
  protos.fill(1, 0, GRID * GRID);
  return [
    { data: head, dims: [1, rows, n] },
    { data: protos, dims: [1, CHANNELS, GRID, GRID] },
  ];
}

/** IoU threshold 1: nothing is suppressed, every box comes out. */
const decode = (boxes: [number, number, number, number][]): DetectionResult =>
  decodeDetections(spec, segOutputs(boxes), TRANSFORM, IMAGE, { confidence: 0.5, iouThreshold: 1 }, true);

async function refusal(run: () => unknown): Promise<WorkflowError> {
  const error = await Promise.resolve().then(run).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowError);
  return error as WorkflowError;
}

describe("instance masks and the run's budget", () => {
  it("refuses 300 masks of boxes nearly the whole of a 40-megapixel image (11.9 GB as image-size masks) with 413 run_too_large, before the first is made", async () => {
    // Box i spans image pixels i to 6300 - i both ways: (6300 - 2i)^2 pixels.
    const side = (i: number) => IMAGE.width - 2 * i;
    const boxes = Array.from({ length: 300 }, (_, i): [number, number, number, number] => [INPUT / 2, INPUT / 2, side(i) * TRANSFORM.scaleX, side(i) * TRANSFORM.scaleY]);
    const budget = new RunImageBudget();
    const error = await refusal(() => withRunImageBudget(budget, async () => decode(boxes)));
    expect([error.status, error.code]).toEqual([413, "run_too_large"]);
    const pixels = boxes.reduce((sum, _, i) => sum + side(i) ** 2, 0);
    expect(pixels).toBeGreaterThan(300 * 0.9 * IMAGE.width * IMAGE.height);
    expect(error.details).toEqual({ images: "300 masks", requested_megapixels: megapixels(Math.ceil(pixels / 3)), left_megapixels: 200, max_megapixels: 200 });
    expect(error.message).toContain(`300 masks take ${megapixels(Math.ceil(pixels / 3))} megapixels (${megapixels(pixels)} megapixels of masks, one byte a pixel, a third of an RGB pixel)`);
    // Nothing was charged, so no mask was allocated: each is charged before its bytes are.
    expect(budget.used).toBe(0);
  });

  it("stores each mask for its box only and charges a third of its bytes: 30 boxes on a 40-megapixel image take 3 MB, not 1.19 GB", async () => {
    // 30 boxes of 16 x 16 input pixels (315 x 315 image pixels), side by side.
    const boxes = Array.from({ length: 30 }, (_, i): [number, number, number, number] => [8 + (i % 20) * 16, 8 + Math.floor(i / 20) * 16, 16, 16]);
    const budget = new RunImageBudget();
    const result = await withRunImageBudget(budget, async () => decode(boxes));
    const masks = result.masks!;
    expect(masks).toHaveLength(30);
    const bytes = masks.reduce((sum, m) => sum + m.data.byteLength, 0);
    expect(masks.map((m) => [m.columns, m.rows, m.data.byteLength])).toEqual(masks.map(() => [315, 315, 315 * 315]));
    expect(bytes).toBe(30 * 315 * 315);
    // A 400th of what 30 image-size masks took (1.19 GB).
    expect(bytes * 400).toBe(30 * IMAGE.width * IMAGE.height);
    expect(budget.used).toBe(30 * Math.ceil((315 * 315) / 3));
    // Every pixel of a box is set, none outside, and the polygon is the box's corners in image pixels.
    expect(masks.every((m) => m.data.every((v) => v === 1))).toBe(true);
    expect(masks[21]).toMatchObject({ width: 6300, height: 6300, left: 315, top: 315 });
    expect(result.polygons![21]).toEqual([[315, 315], [315, 629], [629, 629], [629, 315]]);
  });

  it("makes every mask when they fit to the pixel, and none when they are one charge over", async () => {
    const boxes = Array.from({ length: 5 }, (_, i): [number, number, number, number] => [100 + i, 100, 5 + i, 4]);
    const used = new RunImageBudget();
    const masks = (await withRunImageBudget(used, async () => decode(boxes))).masks!;
    const windows = masks.map((m) => m.columns * m.rows);
    expect(used.used).toBe(windows.reduce((sum, w) => sum + Math.ceil(w / 3), 0));
    await withRunImageBudget(new RunImageBudget({ maxRunPixels: used.used }), async () => expect(decode(boxes).masks).toHaveLength(5));
    const short = new RunImageBudget({ maxRunPixels: Math.ceil(windows.reduce((a, b) => a + b) / 3) - 1 });
    expect((await refusal(() => withRunImageBudget(short, async () => decode(boxes)))).code).toBe("run_too_large");
    expect(short.used).toBe(0);
  });
});
