import { beforeAll, describe, expect, it } from "vitest";
import type { Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { classificationModelV1Block, classificationModelV3Block } from "../src/models/classification.js";
import { multiLabelClassificationModelV1Block, multiLabelClassificationModelV2Block } from "../src/models/multi_label_classification.js";
import { objectDetectionModelV1Block } from "../src/models/object_detection.js";
import { missing } from "@cvflow/vision/test-assets";
import { countingModels, photo, realModels, runModelBlock } from "./model-fixtures.js";

// ../shared/models/README.md, mobilenetv2-12-int8 (resize 256, centre crop 224): dog.jpg gives
// Alaskan Malamute 0.756 then husky 0.068; chelsea.png gives Egyptian Mau 0.704.
const MALAMUTE_LIKE = ["Alaskan Malamute", "husky", "Siberian Husky"];
/** ImageNet-1k's dog breeds are class ids 151 to 268. */
const isDogBreed = (classId: number): boolean => classId >= 151 && classId <= 268;

const SINGLE_LABEL_KEYS = ["inference_id", "time", "image", "predictions", "top", "confidence", "prediction_type", "parent_id", "root_parent_id"];
const MULTI_LABEL_KEYS = ["inference_id", "time", "image", "predictions", "predicted_classes", "prediction_type", "parent_id", "root_parent_id"];

describe.skipIf(missing("Classification Model blocks", { models: ["mobilenetv2-imagenet", "yolov8n-640"], photos: ["dog.jpg", "chelsea.png"] }))("Classification Model blocks", () => {
  let dog: WorkflowImage;
  let dogCrop: WorkflowImage;
  let chelsea: WorkflowImage;
  beforeAll(async () => {
    dog = await photo("dog.jpg");
    chelsea = await photo("chelsea.png", "cat");
    const [found] = await runModelBlock(objectDetectionModelV1Block, { images: [dog], model_id: "yolov8n-640", class_filter: ["dog"] });
    const detections = found!["predictions"] as Detections;
    const [x1, y1, x2, y2] = detections.box(0);
    dogCrop = dog.crop(x1, y1, x2, y2, detections.detectionId[0]!);
  });

  it("classifies the dog and the cat in one model call, in Roboflow's wire format", async () => {
    const { models, calls } = countingModels(realModels());
    const results = await runModelBlock(classificationModelV1Block, { images: [dog, chelsea], model_id: "dog-breed-xpaq6/1" }, { models });
    expect(calls.classify).toBe(1);
    const [onDog, onCat] = results.map((r) => r["predictions"] as Record<string, unknown>);
    expect(Object.keys(onDog!)).toEqual(SINGLE_LABEL_KEYS);
    expect(onDog!["top"]).toBe("Alaskan Malamute");
    expect(onDog!["confidence"]).toBeCloseTo(0.756, 1);
    expect(onCat!["top"]).toBe("Egyptian Mau");
    expect(onDog).toMatchObject({ image: { width: 768, height: 576 }, prediction_type: "classification", parent_id: "image", root_parent_id: "image" });
    const classes = onDog!["predictions"] as Record<string, unknown>[];
    // Only the classes at or above the default confidence (0.4): here the top one alone.
    expect(classes).toEqual([{ class: "Alaskan Malamute", class_id: 249, confidence: onDog!["confidence"] }]);
    expect(Math.round((onDog!["confidence"] as number) * 1e4) / 1e4).toBe(onDog!["confidence"]);
    expect(typeof onDog!["time"]).toBe("number");
    expect(results[0]!["inference_id"]).toBe(onDog!["inference_id"]);
    expect(Object.keys(results[0]!)).toEqual(["inference_id", "predictions"]);
  });

  it("classifies a crop of the dog as a dog breed, with the crop's lineage", async () => {
    const [out] = await runModelBlock(classificationModelV1Block, { images: [dogCrop], model_id: "mobilenetv2-imagenet", confidence: 0.01 });
    const prediction = out!["predictions"] as Record<string, unknown>;
    const classes = prediction["predictions"] as { class: string; class_id: number; confidence: number }[];
    expect(isDogBreed(classes[0]!.class_id)).toBe(true);
    expect(classes.some((c) => MALAMUTE_LIKE.includes(c.class))).toBe(true);
    expect(classes.map((c) => c.confidence)).toEqual([...classes.map((c) => c.confidence)].sort((a, b) => b - a));
    expect(prediction).toMatchObject({ image: { width: dogCrop.width, height: dogCrop.height }, parent_id: dogCrop.lineage.parentId, root_parent_id: "image" });
  });

  it("leaves top empty when no class reaches a custom confidence (v3)", async () => {
    const [out] = await runModelBlock(classificationModelV3Block, { images: [dogCrop], model_id: "mobilenetv2-imagenet", confidence_mode: "custom", custom_confidence: 0.999 });
    expect(out!["predictions"]).toMatchObject({ predictions: [], top: "", confidence: 0 });
    expect(out!["model_id"]).toBe("mobilenetv2-imagenet");
  });

  it("gives every class's probability and the classes at or above confidence as multi-label predictions", async () => {
    const [onDog, onCrop] = await runModelBlock(multiLabelClassificationModelV1Block, { images: [dog, dogCrop], model_id: "mobilenetv2-imagenet", confidence: 0.5 });
    const prediction = onDog!["predictions"] as Record<string, unknown>;
    expect(Object.keys(prediction)).toEqual(MULTI_LABEL_KEYS);
    const scores = prediction["predictions"] as Record<string, { confidence: number; class_id: number }>;
    expect(Object.keys(scores["Alaskan Malamute"]!)).toEqual(["confidence", "class_id"]);
    expect(scores["Alaskan Malamute"]!.class_id).toBe(249);
    expect(scores["husky"]!.confidence).toBeCloseTo(0.068, 1);
    expect(prediction["predicted_classes"]).toEqual(["Alaskan Malamute"]);
    expect(onCrop!["predictions"]).toMatchObject({ prediction_type: "classification", parent_id: dogCrop.lineage.parentId, root_parent_id: "image" });
  });

  it("refuses a detector", async () => {
    const error = await runModelBlock(multiLabelClassificationModelV2Block, { images: [chelsea], model_id: "yolov8n-640" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "model_task_mismatch", status: 400 });
    expect((error as Error).message).toMatch(/^Model "yolov8n-640" is an object-detection model; /);
  });
});

describe("Classification Model manifests", () => {
  it("match Roboflow's ids, aliases and defaults", () => {
    expect(classificationModelV1Block.manifest.aliases).toEqual(["RoboflowClassificationModel", "ClassificationModel"]);
    expect(classificationModelV1Block.manifest.fields["confidence"]!.default).toBe(0.4);
    expect(classificationModelV3Block.manifest.fields["confidence_mode"]!.schema).toEqual({ enum: ["default", "custom"] });
    expect(multiLabelClassificationModelV1Block.manifest.aliases).toEqual(["RoboflowMultiLabelClassificationModel", "MultiLabelClassificationModel"]);
    expect(multiLabelClassificationModelV2Block.manifest.outputs.map((o) => o.name)).toEqual(["inference_id", "predictions", "model_id"]);
  });
});
