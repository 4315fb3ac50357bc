import { describe, expect, it } from "vitest";
import type { Detections } from "@cvflow/engine";
import { perClassConfidenceFilterBlock } from "../src/transformations/per_class_confidence_filter.js";
import { makeDetections, runBlock } from "./detections-fixture.js";

function sameBoxes(classes: string[], confidences: number[]): Detections {
  return makeDetections(classes.map((cls, i) => ({ box: [0, 0, 10, 10], cls, confidence: confidences[i]!, id: `d${i}` })));
}

async function filtered(predictions: Detections, class_thresholds: Record<string, number>, default_threshold?: number): Promise<Detections> {
  const params = default_threshold === undefined ? { predictions, class_thresholds } : { predictions, class_thresholds, default_threshold };
  return (await runBlock(perClassConfidenceFilterBlock, params))["predictions"] as Detections;
}

describe("PerClassConfidenceFilter", () => {
  it("uses the Roboflow id and a default threshold of 0.3", () => {
    expect(perClassConfidenceFilterBlock.manifest.type).toBe("roboflow_core/per_class_confidence_filter@v1");
    expect(perClassConfidenceFilterBlock.manifest.fields["default_threshold"]!.default).toBe(0.3);
  });

  it("keeps detections reaching the threshold of their class", async () => {
    const kept = await filtered(sameBoxes(["person", "person", "car", "dog"], [0.99, 0.7, 0.6, 0.4]), { person: 0.98, car: 0.5 }, 0.5);
    expect(kept.className).toEqual(["person", "car"]);
    expect([...kept.confidence]).toEqual([0.99, 0.6]);
    expect(kept.detectionId).toEqual(["d0", "d2"]);
  });

  it("applies the default threshold to classes not listed", async () => {
    const kept = await filtered(sameBoxes(["cat", "cat"], [0.2, 0.8]), { person: 0.98 }, 0.5);
    expect(kept.className).toEqual(["cat"]);
    expect([...kept.confidence]).toEqual([0.8]);
  });

  it("keeps a confidence equal to the threshold, and defaults to 0.3", async () => {
    const kept = await filtered(sameBoxes(["car", "dog", "dog"], [0.5, 0.3, 0.29]), { car: 0.5 });
    expect(kept.detectionId).toEqual(["d0", "d1"]);
  });

  it("leaves empty detections empty", async () => {
    expect((await filtered(sameBoxes([], []), { car: 0.5 })).length).toBe(0);
  });
});
