/**
 * Detectors against the reference outputs in ../shared/images/README.md (YOLOv8n-int8, letterbox
 * 640, conf 0.25, class-aware NMS IoU 0.45, boxes x1, y1, x2, y2 in image pixels).
 */
import { describe, expect, test } from "vitest";
import { maskAt } from "../src/masks/bit-masks.js";
import { createVisionModels } from "../src/models/vision-models.js";
import type { DetectionResult } from "../src/models/types.js";
import { boxAt, iou, loadImage, type Box } from "./models-fixtures.js";
import { missing, MODELS_DIR } from "./test-assets.js";

const README_SETTINGS = { confidence: 0.25, iouThreshold: 0.45 };

const BUS: [string, number, Box][] = [
  ["person", 0.899, [672.9, 377.4, 809.7, 879.4]],
  ["person", 0.898, [220.8, 407.9, 343.4, 856.6]],
  ["person", 0.890, [51.0, 397.6, 242.4, 903.8]],
  ["bus", 0.817, [35.5, 231.5, 798.4, 775.2]],
  ["person", 0.412, [0.0, 549.5, 62.4, 870.1]],
];
const ZIDANE: [string, number, Box][] = [
  ["person", 0.831, [116.9, 199.5, 1109.0, 709.6]],
  ["person", 0.827, [748.7, 43.3, 1140.5, 709.0]],
  ["tie", 0.344, [433.9, 436.5, 508.3, 716.8]],
];

function expectReference(result: DetectionResult, expected: [string, number, Box][]): void {
  expect(result.className).toHaveLength(expected.length);
  for (const [name, confidence, box] of expected) {
    const match = result.className.findIndex((found, i) => found === name && iou(boxAt(result.boxes, i), box) >= 0.9);
    expect(match, `${name} ${confidence} [${box.join(", ")}]`).toBeGreaterThanOrEqual(0);
    expect(Math.abs(result.confidence[match]! - confidence)).toBeLessThanOrEqual(0.03);
  }
}

const models = createVisionModels({ modelsDir: MODELS_DIR });

const yolov8Missing = missing("yolov8n-640", { models: ["yolov8n-640", "mobilenetv2-imagenet"], photos: ["bus.jpg", "zidane.jpg", "horses.jpg", "dog.jpg"] });
describe.skipIf(yolov8Missing)("yolov8n-640", () => {
  test("bus.jpg and zidane.jpg give the README's detections", async () => {
    const [bus, zidane] = await models.detect("yolov8n-640", [await loadImage("bus.jpg"), await loadImage("zidane.jpg")], README_SETTINGS);
    expect([bus!.width, bus!.height]).toEqual([810, 1080]);
    expectReference(bus!, BUS);
    expectReference(zidane!, ZIDANE);
  });

  test("horses.jpg: four horses, Roboflow's defaults keep the README's persons down to 0.412", async () => {
    const [horses] = await models.detect("yolov8n-640", [await loadImage("horses.jpg")], README_SETTINGS);
    expect(horses!.className).toEqual(["horse", "horse", "horse", "horse"]);
    const [bus] = await models.detect("yolov8n-640", [await loadImage("bus.jpg")]);
    expect(bus!.className.filter((name) => name === "person")).toHaveLength(4);
  });

  test("class filter, agnostic NMS and maxDetections", async () => {
    const bus = await loadImage("bus.jpg");
    const [onlyBus] = await models.detect("yolov8n-640", [bus], { ...README_SETTINGS, classFilter: ["bus"] });
    expect(onlyBus!.className).toEqual(["bus"]);
    const [two] = await models.detect("yolov8n-640", [bus], { ...README_SETTINGS, maxDetections: 2 });
    expect(Array.from(two!.confidence)).toEqual(Array.from((await models.detect("yolov8n-640", [bus], README_SETTINGS))[0]!.confidence.slice(0, 2)));

    // dog.jpg: the README's car (0.672) and truck (0.436) are the same pickup; only class-aware NMS keeps both.
    const dog = await loadImage("dog.jpg");
    const [aware] = await models.detect("yolov8n-640", [dog], README_SETTINGS);
    expect(aware!.className).toEqual(["dog", "bicycle", "car", "truck"]);
    const [agnostic] = await models.detect("yolov8n-640", [dog], { ...README_SETTINGS, classAgnosticNms: true });
    expect(agnostic!.className).toEqual(["dog", "bicycle", "car"]);
    // As in Roboflow, the filter applies after NMS: the truck the car suppressed does not come back.
    const [trucksAgnostic] = await models.detect("yolov8n-640", [dog], { ...README_SETTINGS, classAgnosticNms: true, classFilter: ["truck"] });
    expect(trucksAgnostic!.className).toEqual([]);
    const [trucks] = await models.detect("yolov8n-640", [dog], { ...README_SETTINGS, classFilter: ["truck"] });
    expect(trucks!.className).toEqual(["truck"]);
  });

  test("an aborted signal stops the run", async () => {
    await expect(models.detect("yolov8n-640", [await loadImage("bus.jpg")], {}, AbortSignal.abort(new Error("deadline")))).rejects.toThrow("deadline");
  });

  test("a classifier is not a detector", async () => {
    await expect(models.detect("mobilenetv2-imagenet", [])).rejects.toMatchObject({ code: "model_task_mismatch", status: 400 });
  });
});

const segMissing = missing("yolov8n-seg", { models: ["yolov8n-seg-320", "yolov8n-seg-640"], photos: ["bus.jpg"] });
describe.skipIf(segMissing)("yolov8n-seg", () => {
  test("bus.jpg: person and bus masks fill a sensible part of their boxes, polygons inside them", async () => {
    const image = await loadImage("bus.jpg");
    const [result] = await models.segment("yolov8n-seg-640", [image], README_SETTINGS);
    const { className, boxes, masks, polygons } = result!;
    expect(className).toContain("bus");
    expect(className.filter((name) => name === "person").length).toBeGreaterThanOrEqual(3);
    expect(masks).toHaveLength(className.length);
    for (let i = 0; i < className.length; i++) {
      const [x1, y1, x2, y2] = boxAt(boxes, i);
      const mask = masks![i]!;
      expect([mask.width, mask.height]).toEqual([image.width, image.height]);
      // Stored for the box only: its bytes are the pixels whose centre lies in the box.
      expect(mask.data.byteLength).toBe(mask.columns * mask.rows);
      expect(mask.data.byteLength).toBeLessThanOrEqual((Math.ceil(x2 - x1) + 1) * (Math.ceil(y2 - y1) + 1));
      let inside = 0;
      let outside = 0;
      for (let y = 0; y < mask.height; y++) {
        for (let x = 0; x < mask.width; x++) {
          if (!maskAt(mask, x, y)) continue;
          if (x + 0.5 >= x1 && x + 0.5 <= x2 && y + 0.5 >= y1 && y + 0.5 <= y2) inside++;
          else outside++;
        }
      }
      expect(outside).toBe(0);
      const fraction = inside / ((x2 - x1) * (y2 - y1));
      expect(fraction, `${className[i]} mask / box`).toBeGreaterThan(0.2);
      expect(fraction, `${className[i]} mask / box`).toBeLessThan(0.95);
      const polygon = polygons![i]!;
      expect(polygon.length).toBeGreaterThanOrEqual(4);
      for (const [x, y] of polygon) {
        expect(x).toBeGreaterThanOrEqual(Math.floor(x1));
        expect(x).toBeLessThanOrEqual(Math.ceil(x2));
        expect(y).toBeGreaterThanOrEqual(Math.floor(y1));
        expect(y).toBeLessThanOrEqual(Math.ceil(y2));
      }
    }
    const busIndex = className.indexOf("bus");
    expect(iou(boxAt(boxes, busIndex), BUS[3]![2])).toBeGreaterThan(0.85);
  });

  test("detect() on a segmentation model gives boxes without masks", async () => {
    const [result] = await models.detect("yolov8n-seg-320", [await loadImage("bus.jpg")], README_SETTINGS);
    expect(result!.className).toContain("bus");
    expect(result!.masks).toBeUndefined();
  });
});

const yoloxMissing = missing("yolox-nano-416", { models: ["yolox-nano-416"], photos: ["bus.jpg"] });
describe.skipIf(yoloxMissing)("yolox-nano-416", () => {
  test("bus.jpg: the bus and the people the README lists with high confidence", async () => {
    const [result] = await models.detect("yolox-nano-416", [await loadImage("bus.jpg")], README_SETTINGS);
    for (const [name, confidence, box] of BUS.filter(([, confidence]) => confidence > 0.8)) {
      const best = Math.max(0, ...result!.className.map((found, i) => (found === name ? iou(boxAt(result!.boxes, i), box) : 0)));
      expect(best, `${name} ${confidence}`).toBeGreaterThan(0.75);
    }
  });
});

const faceMissing = missing("ultraface-320", { models: ["ultraface-320"], photos: ["astronaut.png"] });
describe.skipIf(faceMissing)("ultraface-320", () => {
  test("astronaut.png: one face, in the upper part of the portrait", async () => {
    const [result] = await models.detect("ultraface-320", [await loadImage("astronaut.png")], { confidence: 0.7 });
    expect(result!.className).toEqual(["face"]);
    const [x1, y1, x2, y2] = boxAt(result!.boxes, 0);
    expect(x2 - x1).toBeGreaterThan(40);
    expect(x2 - x1).toBeLessThan(256);
    expect(y2).toBeLessThan(300);
    expect(y1).toBeGreaterThanOrEqual(0);
  });
});
