import { beforeAll, describe, expect, it } from "vitest";
import { iou, serializeDetections, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import {
  instanceSegmentationModelV1Block,
  instanceSegmentationModelV3Block,
  instanceSegmentationModelV4Block,
} from "../src/models/instance_segmentation.js";
import { missing } from "@cvflow/vision/test-assets";
import { photo, runModelBlock } from "./model-fixtures.js";

// ../shared/images/README.md (the detector's boxes; the segmenter is a different, 320 px model).
const BUS_BOX = [35.5, 231.5, 798.4, 775.2];

describe.skipIf(missing("Instance Segmentation Model blocks", { models: ["yolov8n-seg-640"], photos: ["bus.jpg"] }))("Instance Segmentation Model blocks", () => {
  let bus: WorkflowImage;
  let predictions: Detections;
  beforeAll(async () => {
    bus = await photo("bus.jpg");
    // Definitions written for Roboflow name the 640 model; the registry maps it to the 320 px export.
    const [out] = await runModelBlock(instanceSegmentationModelV3Block, { images: [bus], model_id: "yolov8n-seg-640" });
    predictions = out!["predictions"] as Detections;
  });

  it("finds the bus and the people, each with a mask the size of the image", () => {
    expect(predictions.className).toContain("bus");
    expect(predictions.className.filter((c) => c === "person").length).toBeGreaterThanOrEqual(3);
    const bus = predictions.className.indexOf("bus");
    expect(iou(predictions.box(bus), BUS_BOX)).toBeGreaterThan(0.8);
    expect(predictions.masks).toHaveLength(predictions.length);
    for (const mask of predictions.masks!) {
      expect(mask).toMatchObject({ width: 810, height: 1080 });
      expect(mask!.data.some((v) => v === 1)).toBe(true);
    }
  });

  it("gives each mask's outline as `points` inside its box, in the wire format too", () => {
    const points = predictions.data["points"] as { x: number; y: number }[][];
    expect(points).toHaveLength(predictions.length);
    points.forEach((polygon, i) => {
      const [x1, y1, x2, y2] = predictions.box(i);
      expect(polygon.length).toBeGreaterThanOrEqual(3);
      for (const { x, y } of polygon) {
        expect(x).toBeGreaterThanOrEqual(x1 - 2);
        expect(x).toBeLessThanOrEqual(x2 + 2);
        expect(y).toBeGreaterThanOrEqual(y1 - 2);
        expect(y).toBeLessThanOrEqual(y2 + 2);
      }
    });
    const wire = serializeDetections(predictions).predictions[0]!;
    expect(wire["points"]).toEqual(points[0]);
    expect(wire).toMatchObject({ parent_id: "image" });
    expect(wire).not.toHaveProperty("prediction_type");
    expect(predictions.data["prediction_type"]).toEqual(predictions.className.map(() => "instance-segmentation"));
  });

  it("applies class_filter and the confidence of v1", async () => {
    const [out] = await runModelBlock(instanceSegmentationModelV1Block, { images: [bus], model_id: "yolov8n-seg-640", class_filter: ["bus"], confidence: 0.5 });
    const d = out!["predictions"] as Detections;
    expect(d.className).toEqual(["bus"]);
    expect(d.confidence[0]).toBeGreaterThanOrEqual(0.5);
    expect(Object.keys(out!)).toEqual(["inference_id", "predictions"]);
  });
});

describe("Instance Segmentation Model manifests", () => {
  it("match Roboflow's ids, aliases and the fields accepted for compatibility", () => {
    expect(instanceSegmentationModelV1Block.manifest.aliases).toEqual(["RoboflowInstanceSegmentationModel", "InstanceSegmentationModel"]);
    expect(instanceSegmentationModelV1Block.manifest.fields["mask_decode_mode"]!.default).toBe("accurate");
    expect(instanceSegmentationModelV1Block.manifest.fields["tradeoff_factor"]!.default).toBe(0);
    expect(instanceSegmentationModelV3Block.manifest.fields["enforce_dense_masks_in_inference_models"]!.default).toBe(true);
    expect(instanceSegmentationModelV4Block.manifest.type).toBe("roboflow_core/roboflow_instance_segmentation_model@v4");
    expect(instanceSegmentationModelV4Block.manifest.outputs.find((o) => o.name === "predictions")!.kinds).toContain("instance_segmentation_prediction");
  });
});
