import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { morphologicalTransformationV1Block, morphologicalTransformationV2Block } from "../src/classical_cv/morphological_transformation.js";
import { runBlock } from "./detections-fixture.js";
import { photo, synthetic } from "./image-fixtures.js";

/**
 * chelsea.png (451 x 300) through python3-opencv 4.6, as Roboflow's blocks do it, kernel np.ones((5, 5)):
 * v1 on cv2.cvtColor(img, COLOR_BGR2GRAY), v2 on the BGR image (output turned to RGB to compare with ours);
 * each [sum of values, first 16 hex digits of sha256 of the bytes] — gray (v1), then colour (v2).
 * "Opening then Closing" is v2's only; its gray numbers are the same pair of calls on the gray image.
 */
const OPENCV: Record<string, [number, string, number, string]> = {
  Erosion: [14064905, "546d3c7c05eb1fbc", 40416215, "c2a6884ad8edb312"],
  Dilation: [18180619, "da05d9946b6bc0a9", 52985253, "57780f8c87aded49"],
  Opening: [15470965, "21df8f808535bbc8", 44647379, "9deb6d5197de65b1"],
  Closing: [16890248, "19980cf0a866644c", 49017918, "3c82483cbb9af23c"],
  Gradient: [4115714, "5cdb578fc83e9323", 12569038, "c226c15c471b9679"],
  "Top Hat": [695043, "3bb5344c390097d1", 2154978, "28e7c953adec4fcd"],
  "Black Hat": [724240, "3e5ac7c7e95b2e7b", 2215561, "a15e9db35a653996"],
  "Opening then Closing": [15670180, "7a39245cb437df57", 45235448, "450890c6a136de59"],
};

const fingerprint = (image: WorkflowImage): [number, string] => [image.pixels.data.reduce((sum, v) => sum + v, 0), createHash("sha256").update(image.pixels.data).digest("hex").slice(0, 16)];

async function transformed(block: typeof morphologicalTransformationV1Block, params: Record<string, unknown>): Promise<WorkflowImage> {
  return (await runBlock(block, params))["image"] as WorkflowImage;
}

describe("morphological_transformation", () => {
  it("has Roboflow's defaults: 5, Closing (v1) and Opening then Closing (v2)", () => {
    expect([morphologicalTransformationV1Block.manifest.fields["kernel_size"]!.default, morphologicalTransformationV1Block.manifest.fields["operation"]!.default]).toEqual([5, "Closing"]);
    expect(morphologicalTransformationV2Block.manifest.fields["operation"]!.default).toBe("Opening then Closing");
  });

  it.skipIf(missing("morphology on chelsea.png", { photos: ["chelsea.png"] }))("gives OpenCV's pixels, byte for byte, for every operation on chelsea.png", async () => {
    const cat = await photo("chelsea.png");
    for (const [operation, [graySum, grayHash, colourSum, colourHash]] of Object.entries(OPENCV)) {
      if (operation !== "Opening then Closing") {
        const v1 = await transformed(morphologicalTransformationV1Block, { image: cat, operation });
        expect([operation, v1.channels, ...fingerprint(v1)]).toEqual([operation, 1, graySum, grayHash]);
      }
      const v2 = await transformed(morphologicalTransformationV2Block, { image: cat, operation });
      expect([operation, v2.channels, v2.width, v2.height, ...fingerprint(v2)]).toEqual([operation, 3, 451, 300, colourSum, colourHash]);
    }
  });

  it("v2 makes a one-channel image RGB; erosion with a 3 x 3 kernel takes each window's minimum", async () => {
    const gray = synthetic(4, 3, 1, (x, y) => 10 * (y * 4 + x + 1));
    const out = await transformed(morphologicalTransformationV2Block, { image: gray, operation: "Erosion", kernel_size: 3 });
    expect(out.channels).toBe(3);
    // Rows 10..40, 50..80, 90..120: a window's minimum is its top-left value (the border does not count).
    const mins = [10, 10, 20, 30, 10, 10, 20, 30, 50, 50, 60, 70];
    expect(Array.from(out.pixels.data)).toEqual(mins.flatMap((v) => [v, v, v]));
  });

  it("refuses an operation of another version and a kernel below 1", async () => {
    const image = synthetic(2, 2, 3, () => 0);
    await expect(transformed(morphologicalTransformationV1Block, { image, operation: "Opening then Closing" })).rejects.toMatchObject({ code: "invalid_field" });
    await expect(transformed(morphologicalTransformationV2Block, { image, kernel_size: 0 })).rejects.toMatchObject({ code: "invalid_field" });
  });
});
