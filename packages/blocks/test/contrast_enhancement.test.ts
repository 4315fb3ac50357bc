import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { contrastEnhancementBlock } from "../src/classical_cv/contrast_enhancement.js";
import { runBlock } from "./detections-fixture.js";
import { grayImage, photo, rowsOf } from "./image-fixtures.js";

const enhanced = async (params: Record<string, unknown>): Promise<WorkflowImage> => (await runBlock(contrastEnhancementBlock, params))["image"] as WorkflowImage;
const fingerprint = (image: WorkflowImage): [number, string] => [image.pixels.data.reduce((sum, v) => sum + v, 0), createHash("sha256").update(image.pixels.data).digest("hex").slice(0, 16)];

describe("contrast_enhancement@v1", () => {
  it("stretches a channel from its minimum and maximum to 0..255, truncating", async () => {
    // (v - 50) / 100 · 255: 0, 63.75 -> 63, 127.5 -> 127, 191.25 -> 191, 255.
    expect(rowsOf(await enhanced({ image: grayImage([[50, 75, 100, 125, 150]]) }))).toEqual([[0, 63, 127, 191, 255]]);
    const flat = grayImage([[7, 7]]);
    expect(await enhanced({ image: flat })).toBe(flat);
  });

  it.skipIf(missing("contrast enhancement on coffee.png", { photos: ["coffee.png"] }))(
    "gives the reference's pixels on coffee.png: 2 % clipped per channel (22..247, 3..235, 1..221), then x1.5 with brightening",
    async () => {
      // The reference's _enhance_multichannel_contrast run by numpy 1.24 on the RGB pixels: [sum, sha256 prefix].
      const coffee = await photo("coffee.png");
      expect(fingerprint(await enhanced({ image: coffee }))).toEqual(fingerprint(coffee));
      expect(fingerprint(await enhanced({ image: coffee, clip_limit: 2 }))).toEqual([72614086, "6c63490abc6c18d3"]);
      expect(fingerprint(await enhanced({ image: coffee, clip_limit: 2, contrast_multiplier: 1.5, normalize_brightness: true }))).toEqual([76536564, "034a3c3d5b34bfb4"]);
    },
  );
});
