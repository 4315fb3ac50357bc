import { describe, expect, it } from "vitest";
import type { Detections } from "@cvflow/engine";
import { detectionsClassesReplacementBlock } from "../src/fusion/detections_classes_replacement.js";
import { boxes, makeDetections, runBlock } from "./detections-fixture.js";

const dogs = makeDetections([
  { box: [0, 0, 10, 10], cls: "dog", classId: 16, confidence: 0.9, id: "d1", parent: "image" },
  { box: [20, 20, 40, 40], cls: "dog", classId: 16, confidence: 0.8, id: "d2", parent: "image" },
  { box: [50, 50, 60, 60], cls: "dog", classId: 16, confidence: 0.7, id: "d3", parent: "image" },
]);

function singleLabel(parent: string, predictions: { class: string; class_id: number; confidence: number }[], top: string): Record<string, unknown> {
  return { image: { width: 10, height: 10 }, predictions, top, confidence: predictions[0]?.confidence ?? 0, parent_id: parent, prediction_type: "classification" };
}

const terrier = singleLabel(
  "d1",
  [
    { class: "116.Parson_russell_terrier", class_id: 3, confidence: 0.6 },
    { class: "poodle", class_id: 1, confidence: 0.3 },
  ],
  "116.Parson_russell_terrier",
);
const multiLabel = {
  image: { width: 20, height: 20 },
  predictions: { cat: { confidence: 0.2, class_id: 0 }, griffon: { confidence: 0.7, class_id: 5 }, pug: { confidence: 0.7, class_id: 6 } },
  predicted_classes: ["griffon", "pug"],
  parent_id: "d2",
};
const nothingPredicted = singleLabel("d3", [], "");

type Classification = Record<string, unknown> | null;

async function replace(classification_predictions: Classification[], options: Record<string, unknown> = {}, object_detection_predictions: Detections | null = dogs): Promise<Detections | null> {
  const out = await runBlock(detectionsClassesReplacementBlock, { object_detection_predictions, classification_predictions, ...options });
  return out["predictions"] as Detections | null;
}

describe("DetectionsClassesReplacement", () => {
  it("takes classifications one dimension down and runs for skipped elements", () => {
    const { manifest } = detectionsClassesReplacementBlock;
    expect(manifest.aliases).toEqual(["DetectionsClassesReplacement"]);
    expect(manifest.acceptsEmpty).toBe(true);
    expect(manifest.fields["classification_predictions"]!.dimensionOffset).toBe(1);
    expect(manifest.fields["fallback_class_name"]!.default).toBeNull();
    expect(manifest.fields["fallback_class_id"]!.default).toBeNull();
  });

  it("gives each detection the top class of its crop and drops the unclassified", async () => {
    const out = (await replace([terrier, multiLabel, null]))!;
    expect(out.className).toEqual(["116.Parson_russell_terrier", "griffon"]);
    expect([...out.classId]).toEqual([3, 5]);
    expect([...out.confidence]).toEqual([0.6, 0.7]);
    expect(boxes(out)).toEqual([
      [0, 0, 10, 10],
      [20, 20, 40, 40],
    ]);
    expect(out.parentId).toEqual(["image", "image"]);
    expect(out.detectionId.some((id) => ["d1", "d2", "d3"].includes(id))).toBe(false);
    expect(new Set(out.detectionId).size).toBe(2);
  });

  it("matches classifications by parent id, not by position", async () => {
    const out = (await replace([null, null, terrier]))!;
    expect(out.className).toEqual(["116.Parson_russell_terrier"]);
    expect(boxes(out)).toEqual([[0, 0, 10, 10]]);
  });

  it("drops a detection whose single-label classification predicted nothing, unless a fallback class is given", async () => {
    expect((await replace([terrier, nothingPredicted]))!.className).toEqual(["116.Parson_russell_terrier"]);
    const fallback = (await replace([terrier, nothingPredicted], { fallback_class_name: "unknown" }))!;
    expect(fallback.className).toEqual(["116.Parson_russell_terrier", "unknown"]);
    expect([...fallback.classId]).toEqual([3, 2 ** 31 - 1]);
    expect([...fallback.confidence]).toEqual([0.6, 0]);
    expect(boxes(fallback)[1]).toEqual([50, 50, 60, 60]);
    const withId = (await replace([terrier, nothingPredicted], { fallback_class_name: "unknown", fallback_class_id: 77 }))!;
    expect([...withId.classId]).toEqual([3, 77]);
  });

  it("returns no detections when no crop was classified at all, fallback or not", async () => {
    expect((await replace([nothingPredicted], { fallback_class_name: "unknown" }))!.length).toBe(0);
    expect((await replace([null, null]))!.length).toBe(0);
    expect((await replace([]))!.length).toBe(0);
  });

  it("drops a multi-label detection with no predicted class", async () => {
    const none = { ...multiLabel, predicted_classes: [] };
    expect((await replace([terrier, none]))!.className).toEqual(["116.Parson_russell_terrier"]);
  });

  it("passes a skipped element on as null", async () => {
    expect(await replace([terrier], {}, null)).toBeNull();
  });

  it("fails on a top class it cannot find among the predictions", async () => {
    const broken = singleLabel("d1", [{ class: "poodle", class_id: 1, confidence: 0.3 }], "terrier");
    await expect(replace([broken])).rejects.toThrow(/terrier/);
  });
});
