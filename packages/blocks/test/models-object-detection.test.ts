import { beforeAll, describe, expect, it } from "vitest";
import { BlockRegistry, iou, serializeDetections, WorkflowEngine, WorkflowError, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { instanceSegmentationModelV2Block } from "../src/models/instance_segmentation.js";
import { objectDetectionModelV1Block, objectDetectionModelV2Block, objectDetectionModelV3Block } from "../src/models/object_detection.js";
import { missing } from "@cvflow/vision/test-assets";
import { countingModels, photo, realModels, runModelBlock } from "./model-fixtures.js";

// ../shared/images/README.md: YOLOv8n-int8, letterbox 640, conf 0.25, class-aware NMS IoU 0.45, x1 y1 x2 y2.
const BUS: [string, number[]][] = [
  ["person", [672.9, 377.4, 809.7, 879.4]],
  ["person", [220.8, 407.9, 343.4, 856.6]],
  ["person", [51.0, 397.6, 242.4, 903.8]],
  ["bus", [35.5, 231.5, 798.4, 775.2]],
  ["person", [0.0, 549.5, 62.4, 870.1]],
];
const ZIDANE: [string, number[]][] = [
  ["person", [116.9, 199.5, 1109.0, 709.6]],
  ["person", [748.7, 43.3, 1140.5, 709.0]],
  ["tie", [433.9, 436.5, 508.3, 716.8]],
];
const README_SETTINGS = { confidence: 0.25, iou_threshold: 0.45 };

function boxes(d: Detections): [string, number[]][] {
  return Array.from({ length: d.length }, (_, i) => [d.className[i]!, d.box(i)]);
}

/** Every expected box has a prediction of its class overlapping it by IoU >= 0.9, and nothing else is there. */
function expectBoxes(actual: [string, number[]][], expected: [string, number[]][]): void {
  expect(actual.map(([cls]) => cls).sort()).toEqual(expected.map(([cls]) => cls).sort());
  for (const [cls, box] of expected) {
    const best = Math.max(...actual.filter(([c]) => c === cls).map(([, b]) => iou(b, box)));
    expect(best, `${cls} ${box.join(",")}`).toBeGreaterThanOrEqual(0.9);
  }
}

describe.skipIf(missing("Object Detection Model blocks", { models: ["yolov8n-640", "mobilenetv2-imagenet"], photos: ["bus.jpg", "zidane.jpg"] }))("Object Detection Model blocks", () => {
  let bus: WorkflowImage;
  let zidane: WorkflowImage;
  beforeAll(async () => {
    [bus, zidane] = await Promise.all([photo("bus.jpg"), photo("zidane.jpg", "image.[1]")]);
  });

  it("finds the README's boxes on bus.jpg through the engine, by the legacy alias and the `image` field alias", async () => {
    const engine = new WorkflowEngine({
      registry: new BlockRegistry([objectDetectionModelV1Block]),
      services: { models: realModels() },
    });
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [{ type: "ObjectDetectionModel", name: "detection", image: "$inputs.image", model_id: "yolov8n-640", ...README_SETTINGS }],
      outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
    };
    const { outputs } = await engine.run(definition, { image: bus });
    const wire = outputs[0]!["predictions"] as { image: unknown; predictions: Record<string, unknown>[] };
    expect(wire.image).toEqual({ width: 810, height: 1080 });
    const found = wire.predictions.map((p): [string, number[]] => {
      const [x, y, w, h] = [p["x"], p["y"], p["width"], p["height"]] as number[];
      return [p["class"] as string, [x! - w! / 2, y! - h! / 2, x! + w! / 2, y! + h! / 2]];
    });
    expectBoxes(found, BUS);
    for (const p of wire.predictions) {
      // Roboflow's keys, no more: the prediction_type column stays off the wire as in its serializer.
      expect(Object.keys(p).sort()).toEqual(["class", "class_id", "confidence", "detection_id", "height", "parent_id", "width", "x", "y"]);
      expect(p["detection_id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(p).toMatchObject({ parent_id: "image" });
      expect(p["class_id"]).toBe(p["class"] === "bus" ? 5 : 0);
    }
    expect(new Set(wire.predictions.map((p) => p["detection_id"])).size).toBe(5);
  });

  it("keeps only the classes in class_filter", async () => {
    const [out] = await runModelBlock(objectDetectionModelV1Block, { images: [bus], model_id: "yolov8n-640", class_filter: ["person"] });
    const classes = (out!["predictions"] as Detections).className;
    expect(classes).not.toContain("bus");
    expect(classes.length).toBeGreaterThanOrEqual(3);
    expect(new Set(classes)).toEqual(new Set(["person"]));
  });

  it("runs every image of the step in one model call, each result on its own image", async () => {
    const { models, calls } = countingModels(realModels());
    const results = await runModelBlock(objectDetectionModelV2Block, { images: [bus, zidane], model_id: "coco/3", ...README_SETTINGS }, { models });
    expect(calls.detect).toBe(1);
    expect(results).toHaveLength(2);
    const [onBus, onZidane] = results.map((r) => r["predictions"] as Detections);
    expectBoxes(boxes(onBus!), BUS);
    expectBoxes(boxes(onZidane!), ZIDANE);
    expect(onZidane!.image).toEqual({ width: 1280, height: 720 });
    expect(new Set(onZidane!.parentId)).toEqual(new Set(["image.[1]"]));
    // v2 adds model_id; one request, one inference id.
    expect(results.map((r) => r["model_id"])).toEqual(["coco/3", "coco/3"]);
    expect(results[0]!["inference_id"]).toBe(results[1]!["inference_id"]);
  });

  it("predicts on a crop in the crop's pixels and carries the lineage that maps it back to the input image", async () => {
    const crop = bus.crop(600, 300, 810, 960, "crop-of-bus");
    const [out] = await runModelBlock(objectDetectionModelV3Block, {
      images: [crop],
      model_id: "yolov8n-640",
      class_filter: ["person"],
      confidence_mode: "custom",
      custom_confidence: 0.5,
    });
    const onCrop = out!["predictions"] as Detections;
    expect(onCrop.image).toEqual({ width: 210, height: 660 });
    expect(new Set(onCrop.parentId)).toEqual(new Set(["crop-of-bus"]));
    expect(onCrop.data["root_parent_id"]![0]).toBe("image");
    expect(onCrop.data["root_parent_origin"]![0]).toEqual({ offset_x: 600, offset_y: 300, width: 810, height: 1080 });
    const wire = serializeDetections(onCrop, { toRootCoordinates: true });
    expect(wire.image).toEqual({ width: 810, height: 1080 });
    const back = wire.predictions.map((p) => [p.x - p.width / 2, p.y - p.height / 2, p.x + p.width / 2, p.y + p.height / 2]);
    expect(Math.max(...back.map((b) => iou(b, BUS[0]![1])))).toBeGreaterThanOrEqual(0.9);
    expect(out!["model_id"]).toBe("yolov8n-640");
  });

  it("names the models there are when model_id is unknown", async () => {
    const error = await runModelBlock(objectDetectionModelV1Block, { images: [bus], model_id: "yolov9-nonexistent" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).status).toBe(400);
    expect((error as WorkflowError).code).toBe("unknown_model");
    expect((error as WorkflowError).message).toContain("yolov8n-640");
  });

  it("refuses a confidence_mode outside best, default and custom (a parameter escapes the compile-time check)", async () => {
    const error = await runModelBlock(objectDetectionModelV3Block, { images: [bus], model_id: "yolov8n-640", confidence_mode: "strict" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid_confidence_mode", status: 400 });
  });

  it("refuses a model made for another task", async () => {
    const error = await runModelBlock(objectDetectionModelV1Block, { images: [bus], model_id: "mobilenetv2-imagenet" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "model_task_mismatch", status: 400 });
    expect((error as WorkflowError).message).toContain("yolov8n-640");
  });
});

describe.skipIf(missing("Object Detection Model block with a segmentation model", { models: ["yolov8n-seg-640"], photos: ["bus.jpg"] }))(
  "Object Detection Model block with a segmentation model",
  () => {
    it("runs it as Roboflow does: the segmentation block's detections, masks and points included, typed as object detection", async () => {
      const bus = await photo("bus.jpg");
      const { models, calls } = countingModels(realModels());
      const [detected] = await runModelBlock(objectDetectionModelV2Block, { images: [bus], model_id: "yolov8n-seg-640" }, { models });
      const [segmented] = await runModelBlock(instanceSegmentationModelV2Block, { images: [bus], model_id: "yolov8n-seg-640" }, { models });
      expect(calls).toMatchObject({ detect: 0, segment: 2 });
      const boxes = detected!["predictions"] as Detections;
      const masks = segmented!["predictions"] as Detections;
      expect(boxes.length).toBeGreaterThanOrEqual(4);
      expect(boxes.className).toEqual(masks.className);
      expect(boxes.confidence).toEqual(masks.confidence);
      expect(boxes.xyxy).toEqual(masks.xyxy);
      expect(boxes.masks).toHaveLength(boxes.length);
      const wire = serializeDetections(boxes).predictions;
      expect(boxes.data["prediction_type"]).toEqual(boxes.className.map(() => "object-detection"));
      expect(wire.map((p) => p["points"])).toEqual(serializeDetections(masks).predictions.map((p) => p["points"]));
      expect(detected!["model_id"]).toBe("yolov8n-seg-640");
    });
  },
);

describe("Object Detection Model manifests", () => {
  it("match Roboflow's ids, aliases, defaults and outputs", () => {
    expect(objectDetectionModelV1Block.manifest.aliases).toEqual(["RoboflowObjectDetectionModel", "ObjectDetectionModel"]);
    expect(objectDetectionModelV1Block.manifest.fields["images"]!.aliases).toEqual(["image"]);
    const defaults = Object.fromEntries(Object.entries(objectDetectionModelV1Block.manifest.fields).map(([k, f]) => [k, f.default]));
    expect(defaults).toMatchObject({
      confidence: 0.4,
      class_filter: null,
      iou_threshold: 0.3,
      max_detections: 300,
      class_agnostic_nms: false,
      max_candidates: 3000,
      disable_active_learning: true,
      active_learning_target_dataset: null,
    });
    expect(objectDetectionModelV1Block.manifest.outputs.map((o) => o.name)).toEqual(["inference_id", "predictions"]);
    expect(objectDetectionModelV2Block.manifest.outputs.map((o) => o.name)).toEqual(["inference_id", "predictions", "model_id"]);
    expect(objectDetectionModelV3Block.manifest.type).toBe("roboflow_core/roboflow_object_detection_model@v3");
    expect(objectDetectionModelV3Block.manifest.fields["confidence_mode"]!.default).toBe("best");
    expect(objectDetectionModelV3Block.manifest.fields["confidence"]).toBeUndefined();
  });

  it("is a 500 that says what is missing when the engine has no models", async () => {
    const error = await runModelBlock(objectDetectionModelV1Block, { images: [], model_id: "yolov8n-640" }, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "models_not_configured", status: 500 });
  });
});
