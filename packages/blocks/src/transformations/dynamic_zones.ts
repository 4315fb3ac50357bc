/**
 * Dynamic Zone: each instance's mask turned into a convex polygon of a required number of
 * vertices, as Roboflow's block makes it: the convex hull (clockwise) of the mask's contour with
 * the most points, simplified by Douglas-Peucker (OpenCV's approxPolyDP) with the epsilon found
 * by bisection (up to 1000 steps) between 0 and the hull's perimeter; optionally each edge then
 * refitted by least squares to the contour points between its vertices (the middle
 * `midpoint_fraction` of them) and the vertices moved to where neighbouring lines meet; padded by
 * repeating the last vertex or cut to the count (then `simplification_converged` is false); scaled
 * about the polygon's centroid. The instance's mask becomes the polygon filled.
 */
import { defineBlock, type Detections } from "@cvflow/engine";
import { roundHalfEven } from "../common/python-numbers.js";
import { invalidDrawing } from "../errors.js";
import { contourMat, detectionMask, maskContours, polygonMask } from "../classical_cv/mask-geometry.js";
import { withMats, type CV, type MatScope } from "../classical_cv/opencv.js";
import type { Point } from "../visualizations/draw/shapes.js";

const MAX_STEPS = 1000;

interface DynamicZonesParams {
  [key: string]: unknown;
  predictions: Detections;
  required_number_of_vertices: number;
  scale_ratio: number;
  apply_least_squares: boolean;
  midpoint_fraction: number;
}

const pointsOf = (mat: { data32S: Int32Array }): Point[] => {
  const out: Point[] = [];
  for (let k = 0; k < mat.data32S.length; k += 2) out.push([mat.data32S[k]!, mat.data32S[k + 1]!]);
  return out;
};

function simplifiedPolygon(cv: CV, scope: MatScope, contour: readonly Point[], vertices: number): Point[] {
  const hull = scope.mat();
  cv.convexHull(contourMat(cv, scope, contour), hull, true, true);
  let upper = cv.arcLength(hull, true);
  let lower = 0.0000001;
  let epsilon = lower + upper / 2;
  const approx = scope.mat();
  cv.approxPolyDP(hull, approx, epsilon, true);
  for (let step = 0; step < MAX_STEPS && approx.rows !== vertices; step++) {
    if (approx.rows > vertices) lower = epsilon;
    else upper = epsilon;
    epsilon = lower + (upper - lower) / 2;
    cv.approxPolyDP(hull, approx, epsilon, true);
  }
  return pointsOf(approx);
}

/**
 * numpy's lstsq for y = a·x + b: the pseudo-inverse solution, so that points on a vertical line
 * (a rank-deficient system) give the minimum-norm line rather than failing.
 */
function leastSquaresLine(points: readonly Point[]): [number, number] | null {
  if (points.length < 2) return null;
  let sxx = 0, sx = 0, sxy = 0, sy = 0;
  for (const [x, y] of points) {
    sxx += x * x;
    sx += x;
    sxy += x * y;
    sy += y;
  }
  const n = points.length;
  // Eigen-decomposition of the 2x2 normal matrix [[sxx, sx], [sx, n]] = AᵀA.
  const trace = sxx + n;
  const root = Math.hypot(sxx - n, 2 * sx);
  const eigen = [(trace + root) / 2, (trace - root) / 2];
  // numpy's default rcond: machine epsilon times the larger dimension, on A's singular values.
  const cutoff = (Number.EPSILON * Math.max(n, 2)) ** 2 * eigen[0]!;
  let a = 0, b = 0;
  for (const lambda of eigen) {
    if (lambda <= cutoff) continue;
    // The unit eigenvector for lambda.
    let [vx, vy] = Math.abs(sx) > 0 ? [lambda - n, sx] : lambda === sxx ? [1, 0] : [0, 1];
    const norm = Math.hypot(vx, vy);
    [vx, vy] = [vx / norm, vy / norm];
    const along = (vx * sxy + vy * sy) / lambda;
    a += vx * along;
    b += vy * along;
  }
  return [a, b];
}

function leastSquaresPolygon(contour: readonly Point[], polygon: readonly Point[], midpointFraction: number): Point[] {
  const closest = ([px, py]: Point): number => {
    let best = 0;
    let bestDistance = Infinity;
    contour.forEach(([x, y], k) => {
      const d = Math.hypot(x - px, y - py);
      if (d < bestDistance) [best, bestDistance] = [k, d];
    });
    return best;
  };
  const between = (p: Point, q: Point): Point[] => {
    const [i, j] = [closest(p), closest(q)];
    return i <= j ? contour.slice(i, j + 1) : [...contour.slice(i), ...contour.slice(0, j + 1)];
  };
  const pairs: [Point, Point][] = [[polygon.at(-1)!, polygon[0]!], ...polygon.slice(0, -1).map((p, k): [Point, Point] => [p, polygon[k + 1]!])];
  const lines = pairs.map(([p, q]) => {
    let segment = between(p, q);
    if (midpointFraction < 1) {
      const keep = roundHalfEven(segment.length * midpointFraction);
      if (keep > 2) {
        const drop = Math.floor((segment.length - keep) / 2);
        segment = segment.slice(drop, segment.length - drop);
      }
    }
    return leastSquaresLine(segment);
  });
  return lines.map((line, k) => {
    const next = lines[(k + 1) % lines.length];
    if (!line || !next) throw invalidDrawing("missing_mask", "apply_least_squares: an edge of the simplified polygon has fewer than 2 contour points to fit a line to");
    const [a1, b1] = line;
    const [a2, b2] = next;
    // numpy's isclose(a1, a2): parallel lines never meet.
    if (Math.abs(a1 - a2) <= 1e-8 + 1e-5 * Math.abs(a2)) throw invalidDrawing("missing_mask", "apply_least_squares: two neighbouring edges fit parallel lines, which do not meet");
    const x = (b2 - b1) / (a1 - a2);
    return [roundHalfEven(x), roundHalfEven(a1 * x + b1)] as Point;
  });
}

function scalePolygon(cv: CV, scope: MatScope, polygon: readonly Point[], scale: number): Point[] {
  if (scale === 1) return [...polygon];
  const m = cv.moments(contourMat(cv, scope, polygon), false);
  if (m.m00 === 0) return [...polygon];
  const [cx, cy] = [m.m10 / m.m00, m.m01 / m.m00];
  return polygon.map(([x, y]): Point => [roundHalfEven((x - cx) * scale + cx), roundHalfEven((y - cy) * scale + cy)]);
}

export const dynamicZonesBlock = defineBlock<DynamicZonesParams>({
  manifest: {
    type: "roboflow_core/dynamic_zone@v1",
    aliases: ["DynamicZone"],
    name: "Dynamic Zone",
    description: "Simplify polygons so they are geometrically convex and contain only the requested amount of vertices.",
    family: "transformations",
    fields: {
      predictions: { description: "Instance segmentation predictions; each mask's largest contour gives a zone.", kinds: ["instance_segmentation_prediction"], required: true },
      required_number_of_vertices: { description: "Vertices of each zone (4 for a quadrilateral).", kinds: ["integer"], schema: { type: "integer" }, required: true },
      scale_ratio: { description: "Scale of the zones about their centroid after simplification (1: none; 1.05 grows them 5%).", kinds: ["float"], schema: { type: "number" }, default: 1 },
      apply_least_squares: { description: "Refit each edge to the contour points between its vertices and meet the lines.", kinds: ["boolean"], schema: { type: "boolean" }, default: false },
      midpoint_fraction: {
        description: "With apply_least_squares, the middle fraction of each edge's contour points to fit (1: all).",
        kinds: ["float_zero_to_one"],
        schema: { type: "number", minimum: 0, maximum: 1 },
        default: 1,
      },
    },
    outputs: [
      { name: "zones", kinds: ["list_of_values"], description: "Per instance, its zone as a list of [x, y] vertices." },
      { name: "predictions", kinds: ["instance_segmentation_prediction"], description: "The instances with the zone as mask and `polygon`; null without masks." },
      { name: "simplification_converged", kinds: ["boolean"], description: "Whether every zone came out with the required vertices without padding or cutting." },
    ],
  },
  async run({ predictions, required_number_of_vertices: vertices, scale_ratio, apply_least_squares, midpoint_fraction }) {
    if (predictions.length === 0) return { zones: [], predictions, simplification_converged: true };
    const masks = Array.from({ length: predictions.length }, (_, i) => detectionMask(predictions, i));
    if (masks.some((m) => m === null)) return { zones: [], predictions: null, simplification_converged: false };
    let converged = true;
    const shaped = await withMats((cv, scope) =>
      masks.map((mask) => {
        const contours = maskContours(cv, scope, mask!);
        const largest = contours.reduce<Point[] | undefined>((best, c) => (!best || c.length > best.length ? c : best), undefined);
        if (!largest) throw invalidDrawing("missing_mask", "A mask of the predictions is empty: there is no contour to make a zone of.");
        let polygon = simplifiedPolygon(cv, scope, largest, vertices);
        if (apply_least_squares) polygon = leastSquaresPolygon(largest, polygon, midpoint_fraction);
        if (polygon.length !== vertices) {
          converged = false;
          polygon = polygon.length < vertices ? [...polygon, ...new Array<Point>(vertices - polygon.length).fill(polygon.at(-1)!)] : polygon.slice(0, vertices);
        }
        const zone = scalePolygon(cv, scope, polygon, scale_ratio);
        return { zone, mask: polygonMask(cv, scope, zone, predictions.image) };
      }),
    );
    const zones = shaped.map(({ zone }) => zone);
    const asLists = zones.map((zone) => zone.map(([x, y]) => [x, y]));
    return {
      zones: asLists,
      predictions: predictions.with({
        masks: shaped.map(({ mask }) => mask),
        data: { ...predictions.data, polygon: asLists, points: zones.map((zone) => zone.map(([x, y]) => ({ x, y }))) },
      }),
      simplification_converged: converged,
    };
  },
});
