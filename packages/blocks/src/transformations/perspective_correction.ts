/**
 * Perspective Correction: detections (and optionally the image) moved from a quadrilateral of the
 * image onto a straight rectangle of transformed_rect_width x transformed_rect_height, as
 * Roboflow's block does it: OpenCV's getPerspectiveTransform from the quadrilateral
 * (perspective-polygon.ts: ordered from its bottom-left vertex, optionally grown to hold every
 * detection's anchor, the rectangle growing in proportion) to the rectangle's corners; a box's
 * corners, an instance's largest outline (then filled again as its mask) and keypoints mapped by
 * it, boxes to whole pixels; warpPerspective for the image. The corrected detections lie on the
 * rectangle, so their image size is the rectangle's.
 *
 * Roboflow's block keeps the transform of its first run for later ones while no anchor extension
 * is asked (so a video's first frame fixes it, even if the polygon input changes); here each run
 * computes its own, which is the same for a fixed polygon.
 */
import { defineBlock, Detections, type BitMask, type FieldSpec, type Keypoint } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { BOX_KINDS } from "../analytics/analytics-fields.js";
import { roundHalfEven } from "../common/python-numbers.js";
import { invalidField } from "../errors.js";
import { detectionMask, maskContours, polygonMask } from "../classical_cv/mask-geometry.js";
import { toPixels, withMats, type CV, type MatScope } from "../classical_cv/opencv.js";
import { BOX_POSITIONS } from "../visualizations/draw/anchors.js";
import type { Point } from "../visualizations/draw/shapes.js";
import { ALL_POSITIONS, extendQuadrilateral, largestQuadrilateral, orderedQuadrilateral } from "./perspective-polygon.js";

interface PerspectiveCorrectionParams {
  [key: string]: unknown;
  predictions: Detections | null;
  images: WorkflowImage;
  perspective_polygons: unknown;
  transformed_rect_width: number;
  transformed_rect_height: number;
  extend_perspective_polygon_by_detections_anchor: string;
  warp_image: boolean;
}

/** Applies the 3x3 matrix (row-major) to a point; float32 results, as cv2.perspectiveTransform on float32 input. */
function mapPoint(m: readonly number[], [x, y]: Point): Point {
  const w = m[6]! * x + m[7]! * y + m[8]!;
  const scale = w === 0 ? 0 : 1 / w;
  return [Math.fround((m[0]! * x + m[1]! * y + m[2]!) * scale), Math.fround((m[3]! * x + m[4]! * y + m[5]!) * scale)];
}

function extentOf(points: readonly Point[]): [number, number, number, number] {
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].map((v) => roundHalfEven(v)) as [number, number, number, number];
}

function correctDetections(cv: CV, scope: MatScope, d: Detections, m: readonly number[], width: number, height: number): Detections {
  const size = { width, height };
  const xyxy: number[] = [];
  const masks: (BitMask | null)[] = [];
  const points: ({ x: number; y: number }[] | null)[] = [];
  for (let i = 0; i < d.length; i++) {
    const mask = detectionMask(d, i);
    if (mask) {
      // The outline with the most points (Roboflow maps its mask's only one).
      const outline = maskContours(cv, scope, mask).reduce<Point[]>((best, c) => (c.length > best.length ? c : best), []);
      const mapped = outline.map((p) => mapPoint(m, p));
      const whole = mapped.map(([x, y]): Point => [roundHalfEven(x), roundHalfEven(y)]);
      xyxy.push(...(mapped.length ? extentOf(mapped) : [0, 0, 0, 0]));
      masks.push(whole.length ? polygonMask(cv, scope, whole, size) : null);
      points.push(whole.map(([x, y]) => ({ x, y })));
    } else {
      const [x1, y1, x2, y2] = d.box(i).map((v) => roundHalfEven(v)) as [number, number, number, number];
      xyxy.push(...extentOf(([[x1, y1], [x2, y1], [x2, y2], [x1, y2]] as Point[]).map((p) => mapPoint(m, p))));
      masks.push(null);
      points.push(null);
    }
  }
  const keypoints = d.keypoints?.map((row) =>
    row ? row.map((k): Keypoint => { const [x, y] = mapPoint(m, [k.x, k.y]); return { ...k, x: roundHalfEven(x), y: roundHalfEven(y) }; }) : null,
  );
  const hasMasks = masks.some((mk) => mk !== null);
  const data = { ...d.data };
  if (hasMasks) data["points"] = points;
  else delete data["points"];
  return d.with({ image: size, xyxy, masks: hasMasks ? masks : undefined, keypoints, data });
}

const integer = (description: string, value: number): FieldSpec => ({ description, kinds: ["integer"], schema: { type: "integer" }, default: value });

export const perspectiveCorrectionBlock = defineBlock<PerspectiveCorrectionParams>({
  manifest: {
    type: "roboflow_core/perspective_correction@v1",
    aliases: ["PerspectiveCorrection"],
    name: "Perspective Correction",
    description: "Adjust detection coordinates from a polygon-defined plane to a straight rectangular plane with specified width and height.",
    family: "transformations",
    fields: {
      predictions: { description: "Detections to move onto the rectangle (optional: the image alone may be warped).", kinds: BOX_KINDS, default: null },
      images: { description: "The image the polygon and detections are on (warped when warp_image).", kinds: ["image"], aliases: ["image"], required: true },
      perspective_polygons: {
        description: "The quadrilateral: 4 [x, y] vertices, or a list of polygons (dynamic_zone's zones) whose largest 4-vertex one is used.",
        kinds: ["list_of_values"],
        schema: { type: "array" },
        required: true,
      },
      transformed_rect_width: integer("Width of the rectangle the quadrilateral becomes.", 1000),
      transformed_rect_height: integer("Height of the rectangle the quadrilateral becomes.", 1000),
      extend_perspective_polygon_by_detections_anchor: {
        description: `Grow the quadrilateral to hold each detection's anchor: a box position (${BOX_POSITIONS.join(", ")}) or ALL (every corner); empty: no growth.`,
        kinds: ["string"],
        schema: { type: "string", enum: ["", ...BOX_POSITIONS, ALL_POSITIONS] },
        default: "",
      },
      warp_image: { description: "Also warp the image onto the rectangle.", kinds: ["boolean"], schema: { type: "boolean" }, default: false },
    },
    outputs: [
      { name: "corrected_coordinates", kinds: BOX_KINDS },
      { name: "warped_image", kinds: ["image"] },
      { name: "extended_transformed_rect_width", kinds: ["integer"] },
      { name: "extended_transformed_rect_height", kinds: ["integer"] },
    ],
  },
  async run(params) {
    const { predictions, images: image, transformed_rect_width: width, transformed_rect_height: height } = params;
    const anchor = params.extend_perspective_polygon_by_detections_anchor;
    return withMats((cv, scope) => {
      let polygon = orderedQuadrilateral(largestQuadrilateral(params.perspective_polygons));
      let [extendedWidth, extendedHeight, originalWidth, originalHeight] = [0, 0, width, height];
      if (predictions && predictions.length > 0 && anchor) {
        const inside = (quad: readonly Point[], p: Point) => cv.pointPolygonTest(scope.track(cv.matFromArray(4, 1, cv.CV_32FC2, quad.flat())), new cv.Point(p[0], p[1]), false) >= 0;
        const grown = extendQuadrilateral(polygon, predictions, anchor, inside);
        ({ polygon, originalWidth, originalHeight, extendedWidth, extendedHeight } = grown);
      }
      const totalWidth = width + roundHalfEven((extendedWidth * width) / Math.max(originalWidth, 1));
      const totalHeight = height + roundHalfEven((extendedHeight * height) / Math.max(originalHeight, 1));
      const source = scope.track(cv.matFromArray(4, 1, cv.CV_32FC2, polygon.flat()));
      const target = scope.track(cv.matFromArray(4, 1, cv.CV_32FC2, [0, totalHeight - 1, 0, 0, totalWidth - 1, 0, totalWidth - 1, totalHeight - 1]));
      const transform = scope.track(cv.getPerspectiveTransform(source, target));
      const matrix = Array.from(transform.data64F);
      if (matrix.some((v) => !Number.isFinite(v))) throw invalidField("perspective_polygons: the quadrilateral is degenerate (three vertices on a line)");
      let warped = image;
      if (params.warp_image) {
        const out = scope.mat();
        cv.warpPerspective(scope.fromPixels(image.pixels), out, transform, new cv.Size(totalWidth, totalHeight));
        warped = image.withPixels(toPixels(out));
      }
      return {
        corrected_coordinates: predictions ? correctDetections(cv, scope, predictions, matrix, totalWidth, totalHeight) : null,
        warped_image: warped,
        extended_transformed_rect_width: totalWidth,
        extended_transformed_rect_height: totalHeight,
      };
    });
  },
});
