/**
 * Bounding Rectangle: each instance's minimum-area rotated rectangle (OpenCV's minAreaRect) around
 * the contour with the most points of its mask, as Roboflow's block: the rectangle's corners
 * (cv2.boxPoints, truncated to whole pixels) become the detection's mask (filled) and outline, its
 * box their extent; `rect`, `width`, `height` and `angle` (OpenCV's convention, degrees) are added,
 * at half precision as Roboflow stores them (float16). Note that `width` and `height` then stand in
 * the wire format for the rectangle's sides, not the box's, as in Roboflow's serializer.
 */
import { defineBlock, type BitMask, type Detections } from "@cvflow/engine";
import { invalidDrawing } from "../errors.js";
import { contourMat, detectionMask, maskContours, polygonMask } from "../classical_cv/mask-geometry.js";
import { withMats } from "../classical_cv/opencv.js";
import type { Point } from "../visualizations/draw/shapes.js";

interface BoundingRectParams {
  [key: string]: unknown;
  predictions: Detections;
}

interface MinimumRectangle {
  corners: Point[];
  /** The corners filled. */
  mask: BitMask;
  width: number;
  height: number;
  angle: number;
}

export const boundingRectBlock = defineBlock<BoundingRectParams>({
  manifest: {
    type: "roboflow_core/bounding_rect@v1",
    name: "Bounding Rectangle",
    description: "Find the minimal bounding box surrounding the detected polygon.",
    family: "transformations",
    fields: {
      predictions: { description: "Instance segmentation predictions (masks or polygons).", kinds: ["instance_segmentation_prediction"], required: true },
    },
    outputs: [{ name: "detections_with_rect", kinds: ["instance_segmentation_prediction"], description: "The detections with rectangular masks and rect, width, height, angle." }],
  },
  async run({ predictions }) {
    const masks = Array.from({ length: predictions.length }, (_, i) => detectionMask(predictions, i));
    if (masks.some((m) => m === null)) throw invalidDrawing("missing_mask", "Mask missing. This block operates on output from segmentation model.");
    if (predictions.length === 0) return { detections_with_rect: predictions };
    const rects = await withMats((cv, scope) =>
      masks.map((mask): MinimumRectangle | null => {
        const contours = maskContours(cv, scope, mask!);
        // The contour with the most points (Roboflow's max(contours, key=len)); the first of equals.
        const largest = contours.reduce<Point[] | undefined>((best, c) => (!best || c.length > best.length ? c : best), undefined);
        if (!largest) return null;
        const rect = cv.minAreaRect(contourMat(cv, scope, largest));
        const corners = cv.RotatedRect.points(rect).map(({ x, y }): Point => [Math.trunc(x), Math.trunc(y)]);
        return { corners, mask: polygonMask(cv, scope, corners, predictions.image), width: rect.size.width, height: rect.size.height, angle: rect.angle };
      }),
    );
    if (rects.some((r) => r === null)) throw invalidDrawing("missing_mask", "A mask of the predictions is empty: there is no polygon to bound.");
    const done = rects as MinimumRectangle[];
    const xyxy = done.flatMap(({ corners }) => {
      const xs = corners.map(([x]) => x);
      const ys = corners.map(([, y]) => y);
      return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    });
    const half = Math.f16round;
    return {
      detections_with_rect: predictions.with({
        xyxy,
        masks: done.map((r) => r.mask),
        data: {
          ...predictions.data,
          points: done.map(({ corners }) => corners.map(([x, y]) => ({ x, y }))),
          rect: done.map(({ corners }) => corners.map(([x, y]) => [half(x), half(y)])),
          width: done.map((r) => half(r.width)),
          height: done.map((r) => half(r.height)),
          angle: done.map((r) => half(r.angle)),
        },
      }),
    };
  },
});
