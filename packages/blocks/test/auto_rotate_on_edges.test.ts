import { describe, expect, it } from "vitest";
import type { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { autoRotateOnEdgesBlock } from "../src/classical_cv/auto_rotate_on_edges.js";
import { runBlock } from "./detections-fixture.js";
import { photo, synthetic } from "./image-fixtures.js";

/**
 * The reference's own helpers (auto_rotate_on_edges/v1.py, run by python3-opencv 4.6 on cv2.imread's
 * pixels): the angle and the rotated canvas (height, width) for each target orientation. Ours
 * differ by under 0.01° (OpenCV 4.12's CLAHE and float32 rounding of the gradient directions):
 * coffee.png 54.52788 against 54.52139 is the largest.
 */
const REFERENCE: [string, string, number, number, number][] = [
  ["chelsea.png", "vertical", 0.4522020183128026, 303, 453],
  ["chelsea.png", "horizontal", -89.5477979816872, 453, 303],
  ["coffee.png", "vertical", 54.52139104678572, 720, 673],
  ["coffee.png", "either", -35.47860895321428, 673, 720],
  ["astronaut.png", "vertical", -1.3528605653902162, 523, 523],
  ["astronaut.png", "horizontal", 88.6471394346098, 523, 523],
];

const rotate = (params: Record<string, unknown>) => runBlock(autoRotateOnEdgesBlock, params) as Promise<{ image: WorkflowImage; angle: number }>;

describe("auto_rotate_on_edges@v1", () => {
  it.skipIf(missing("auto rotate on chelsea, coffee, astronaut", { photos: ["chelsea.png", "coffee.png", "astronaut.png"] }))(
    "finds the reference's angle within 0.01° and rotates onto its canvas",
    async () => {
      for (const [name, target_orientation, angle, height, width] of REFERENCE) {
        const out = await rotate({ image: await photo(name), target_orientation });
        expect([name, target_orientation, Math.abs(out.angle - angle) < 0.01, out.image.height, out.image.width, out.image.channels]).toEqual([name, target_orientation, true, height, width, 3]);
      }
    },
  );

  it.skipIf(missing("auto rotate on chelsea", { photos: ["chelsea.png"] }))("returns the image itself, angle 0, below skip_below_degrees or above max_correction_degrees", async () => {
    const cat = await photo("chelsea.png");
    expect(await rotate({ image: cat, skip_below_degrees: 0.5 })).toEqual({ image: cat, angle: 0 });
    expect(await rotate({ image: cat, target_orientation: "horizontal", max_correction_degrees: 45 })).toEqual({ image: cat, angle: 0 });
  });

  it("leaves a flat image alone and straightens a rotated stripe pattern", async () => {
    const flat = synthetic(40, 30, 3, () => 128);
    expect(await rotate({ image: flat })).toEqual({ image: flat, angle: 0 });
    // Stripes whose edges run at 10° from vertical (x - tan(10°)·y constant), unsmoothed: the reference's
    // helpers find -8.850057106688723° on the same pixels (their staircase edges pull it from -10°).
    const tan = Math.tan((10 * Math.PI) / 180);
    const stripes = synthetic(200, 200, 1, (x, y) => (Math.floor((x - tan * y) / 12) % 2 === 0 ? 30 : 220));
    const out = await rotate({ image: stripes });
    expect(out.angle).toBeCloseTo(-8.850057106688723, 6);
  });
});
