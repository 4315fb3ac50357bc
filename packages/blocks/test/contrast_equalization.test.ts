import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { contrastEqualizationBlock } from "../src/classical_cv/contrast_equalization.js";
import { toPixels, withMats } from "../src/classical_cv/opencv.js";
import { runBlock } from "./detections-fixture.js";
import { grayImage, photo, rowsOf } from "./image-fixtures.js";

/**
 * The reference's update_image run by scikit-image 0.19.3 (Debian's python3-skimage) and numpy 1.24
 * on cv2.imread's BGR pixels (gray: cv2.cvtColor BGR2GRAY of them), output turned to RGB: [sum of
 * bytes, first 16 hex digits of sha256].
 * Adaptive on colour equalizes the HSV value, whose hue/saturation round-trip rounds a few float32
 * values differently in RGB and BGR order: compared once byte by byte, 5 of chelsea's 405 900 bytes
 * and 4 of coffee's 720 000 differ, by 1; the sums here allow that.
 */
const REFERENCE: Record<string, Record<string, [number, string]>> = {
  "chelsea.png": {
    "Contrast Stretching": [57389578, "0ef899acf8631225"],
    "Histogram Equalization": [51858506, "916ddd6a2ec91a37"],
    "Adaptive Equalization": [42820365, "36f0019f308aa4b3"],
    "gray Adaptive Equalization": [17908517, "4e1dd289661df1f8"],
  },
  "coffee.png": {
    "Contrast Stretching": [73799647, "0228baa6111bae20"],
    "Histogram Equalization": [91685160, "10316557b861ec64"],
    "Adaptive Equalization": [58905693, "4dcc212a51d610e2"],
    "gray Adaptive Equalization": [28935379, "115e0609aefbb3fb"],
  },
};

const equalized = async (image: WorkflowImage, equalization_type: "Contrast Stretching" | "Histogram Equalization" | "Adaptive Equalization"): Promise<WorkflowImage> => (await runBlock(contrastEqualizationBlock, { image, equalization_type }))["image"] as WorkflowImage;
const fingerprint = (image: WorkflowImage): [number, string] => [image.pixels.data.reduce((sum, v) => sum + v, 0), createHash("sha256").update(image.pixels.data).digest("hex").slice(0, 16)];

describe("contrast_equalization@v1", () => {
  it("defaults to Histogram Equalization; stretches the 2nd..98th percentile to 0..255", async () => {
    expect(contrastEqualizationBlock.manifest.fields["equalization_type"]!.default).toBe("Histogram Equalization");
    // 0..99: p2 = 1.98, p98 = 97.02; (v - 1.98) / 95.04 * 255: 50 -> 128.84 -> 128, 97 -> 254.95 -> 254; beyond them 0 and 255.
    const ramp = grayImage([Array.from({ length: 100 }, (_, i) => i)]);
    const row = rowsOf(await equalized(ramp, "Contrast Stretching"))[0]!;
    expect([row[0], row[1], row[2], row[50], row[97], row[98], row[99]]).toEqual([0, 0, 0, 128, 254, 255, 255]);
  });

  it.skipIf(missing("contrast equalization on chelsea.png and coffee.png", { photos: ["chelsea.png", "coffee.png"] }))(
    "gives scikit-image's bytes for stretching, global and (on one channel) adaptive equalization; adaptive on colour within a byte",
    async () => {
      for (const [name, expected] of Object.entries(REFERENCE)) {
        const image = await photo(name);
        for (const type of ["Contrast Stretching", "Histogram Equalization"] as const) expect([name, type, ...fingerprint(await equalized(image, type))]).toEqual([name, type, ...expected[type]!]);
        // The reference's gray input is cv2.cvtColor's (which rounds a few pixels unlike convert_grayscale).
        const gray = image.withPixels(await withMats((_cv, scope) => toPixels(scope.gray(image.pixels))));
        expect([name, ...fingerprint(await equalized(gray, "Adaptive Equalization"))]).toEqual([name, ...expected["gray Adaptive Equalization"]!]);
        const [sum] = fingerprint(await equalized(image, "Adaptive Equalization"));
        expect(Math.abs(sum - expected["Adaptive Equalization"]![0])).toBeLessThanOrEqual(5);
      }
    },
  );
});
