/**
 * The new visualizations against supervision itself: each case of
 * reference/supervision_visualizations.json was drawn by supervision 0.27's annotators (and the
 * three Roboflow keeps in inference) with OpenCV 4.6 on the same shared PNG photo and detections
 * (visualization-reference-cases.ts builds them the same way); our output must be the same
 * bytes, and change the same number of pixels.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { missing } from "@cvflow/vision/test-assets";
import { REFERENCE_CASES, REFERENCE_PHOTOS, referencePhoto } from "./visualization-reference-cases.js";
import { changedPixels, visualize } from "./visualization-fixtures.js";

interface Reference {
  photo: string;
  changed: number | null;
  sha256: string;
}

const REFERENCE = JSON.parse(readFileSync(new URL("./reference/supervision_visualizations.json", import.meta.url), "utf8")) as {
  cases: Record<string, Reference>;
};

describe.skipIf(missing("visualizations against supervision", { photos: REFERENCE_PHOTOS }))("visualizations against supervision", () => {
  it("covers every reference case and no other", () => {
    expect(Object.keys(REFERENCE_CASES).sort()).toEqual(Object.keys(REFERENCE.cases).sort());
  });

  for (const [name, reference] of Object.entries(REFERENCE.cases)) {
    it(`${name}: the same bytes as supervision on ${reference.photo}`, async () => {
      const c = REFERENCE_CASES[name]!;
      expect(c.photo).toBe(reference.photo);
      const image = await referencePhoto(c.photo);
      const out = await visualize(c.block, { image, ...(await c.params()) });
      // Grids make an image of their own size: only their bytes are compared.
      if (reference.changed !== null) {
        expect([out.width, out.height, out.channels]).toEqual([image.width, image.height, 3]);
        expect(changedPixels(image, out)).toHaveLength(reference.changed);
      }
      expect(createHash("sha256").update(out.pixels.data).digest("hex")).toBe(reference.sha256);
    });
  }
});
