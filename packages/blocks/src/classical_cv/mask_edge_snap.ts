/**
 * Mask Edge Snap: moves each instance mask's outline onto nearby image edges, as Roboflow's block.
 *
 * Edges: the magnitude of OpenCV's 3x3 Sobel gradients (float32) above a local threshold — the
 * box-filtered mean plus sigma times the standard deviation in an adaptive_window_size window —
 * closed dilation_iterations times with a 3x3 square and thinned by one Zhang-Suen iteration (when
 * closed at all), kept only inside the band boundary_band_width either side of any mask's edge
 * (an ellipse's dilation minus its erosion), and only the 8-connected pieces whose largest outer
 * contour encloses at least min_contour_area. `edges` is those pixels as one detection ("edges").
 *
 * Snapping: every point of each mask's outer contours (every pixel, CHAIN_APPROX_NONE) looks along
 * its normal (from the points five before and after) up to pixel_tolerance pixels each way, first
 * outward-or-inward along +normal then -normal, for the edge pixel with the best magnitude x
 * (1 - d / (tolerance + 1)) — inside the mask only where it is within the tolerance of the
 * mask's border — and moves there; the moved contours are filled again (OpenCV's fillPoly) as the
 * new mask. Boxes and every other column stay as they were; `points` follows the new mask.
 *
 * The arithmetic is float32 where the reference's numpy is (thresholds, normals), so the same
 * pixels come out; masks are worked on within their window grown by the band or the tolerance,
 * not at the image's size.
 */
import { defineBlock, type BitMask, type Detections } from "@cvflow/engine";
import { emptyMask, largestOuterContour, type WorkflowImage } from "@cvflow/vision";
import { detectionsOnImage } from "../common/lineage.js";
import { roundHalfEven } from "../common/python-numbers.js";
import { invalidField } from "../errors.js";
import { detectionMask } from "./mask-geometry.js";
import type { CV, Mat, MatScope } from "./opencv.js";
import { withMats } from "./opencv.js";

interface MaskEdgeSnapParams {
  [key: string]: unknown;
  image: WorkflowImage;
  segmentation: Detections;
  pixel_tolerance: number;
  sigma: number;
  min_contour_area: number;
  dilation_iterations: number;
  boundary_band_width: number;
  adaptive_window_size: number;
}

/** Contour points this far before and after a point give its tangent. */
const TANGENT_WINDOW = 5;

const fround = Math.fround;

const integer = (description: string, value: number, minimum: number, maximum: number) =>
  ({ description, kinds: ["integer"], schema: { type: "integer", minimum, maximum }, default: value }) as const;
const float = (description: string, value: number, minimum: number, maximum: number) =>
  ({ description, kinds: ["float"], schema: { type: "number", minimum, maximum }, default: value }) as const;

export const maskEdgeSnapBlock = defineBlock<MaskEdgeSnapParams>({
  manifest: {
    type: "roboflow_core/mask_edge_snap@v1",
    name: "Mask Edge Snap",
    description:
      "Refine instance segmentation masks by snapping their outlines to nearby Sobel edges (adaptive threshold, closing, thinning, a band around each mask); no preprocessing is done — blur or enhance contrast upstream.",
    family: "classical_cv",
    fields: {
      image: { description: "The image whose edges the masks snap to.", kinds: ["image"], aliases: ["images"], required: true },
      segmentation: {
        description: "Instance segmentation predictions on the image. Without masks (or with no detections) they pass through unchanged and `edges` covers the whole image.",
        kinds: ["instance_segmentation_prediction"],
        required: true,
      },
      pixel_tolerance: integer("How far (pixels) each outline point may move along its normal.", 15, 1, 100),
      sigma: float("Edge strictness: a pixel is an edge where its gradient exceeds the local mean + sigma x the local standard deviation.", 1.0, 0.01, 10),
      min_contour_area: float("Edge pieces whose outer contour encloses less than this are dropped.", 50.0, 0, 10000),
      dilation_iterations: integer("Closing iterations bridging gaps in the edges (0: no closing and no thinning).", 2, 0, 20),
      boundary_band_width: integer("Half-width (pixels) of the band around each mask's edge where edges are kept.", 15, 1, 100),
      adaptive_window_size: integer("Side of the window of the local statistics (made odd).", 41, 3, 201),
    },
    outputs: [
      { name: "refined_segmentation", kinds: ["instance_segmentation_prediction"], description: "The detections with snapped masks." },
      { name: "edges", kinds: ["instance_segmentation_prediction"], description: "One detection holding every kept edge pixel (none when there are none)." },
    ],
  },
  async run(params) {
    const { image, segmentation } = params;
    if (segmentation.length > 0 && (segmentation.image.width !== image.width || segmentation.image.height !== image.height)) {
      throw invalidField(`segmentation is on a ${segmentation.image.width}x${segmentation.image.height} image, the image is ${image.width}x${image.height}: give the predictions made on this image`);
    }
    const masks = Array.from({ length: segmentation.length }, (_, i) => detectionMask(segmentation, i));
    const hasMasks = masks.some((mask) => mask !== null);
    return withMats((cv, scope) => {
      const tolerance = Math.trunc(params.pixel_tolerance);
      const gray = scope.gray(image.pixels);
      const { magnitude, edges } = adaptiveEdges(cv, scope, gray, params.sigma, params.adaptive_window_size, params.dilation_iterations);
      if (hasMasks) {
        const band = boundaryBand(cv, scope, masks, Math.max(1, Math.trunc(params.boundary_band_width)));
        for (let i = 0; i < edges.length; i++) if (!band[i]) edges[i] = 0;
      }
      const snap = largeComponents(cv, scope, edges, image.width, image.height, Math.max(0, params.min_contour_area));
      const edgesOut = edgesDetection(snap, image);
      if (!hasMasks) return { refined_segmentation: segmentation, edges: edgesOut };
      const refined = masks.map((mask) => (mask ? snapMask(cv, scope, mask, snap, magnitude, tolerance) : null));
      return {
        refined_segmentation: segmentation.with({ masks: refined }).withData(
          "points",
          refined.map((mask, i) => (mask ? outline(mask) : (segmentation.data["points"]?.[i] ?? null))),
        ),
        edges: edgesOut,
      };
    });
  },
});

function outline(mask: BitMask): { x: number; y: number }[] {
  return largestOuterContour(mask).map(([x, y]) => ({ x, y }));
}

/** A mask's window grown by `margin` on every side, cut to the image, as a Mat of 0/1 (tracked), and where it lies. */
function grownWindow(cv: CV, scope: MatScope, mask: BitMask, margin: number) {
  const left = Math.max(0, mask.left - margin);
  const top = Math.max(0, mask.top - margin);
  const columns = Math.min(mask.width, mask.left + mask.columns + margin) - left;
  const rows = Math.min(mask.height, mask.top + mask.rows + margin) - top;
  const mat = scope.track(cv.Mat.zeros(rows, columns, cv.CV_8UC1));
  const data = mat.data;
  for (let r = 0; r < mask.rows; r++) data.set(mask.data.subarray(r * mask.columns, (r + 1) * mask.columns), (mask.top - top + r) * columns + mask.left - left);
  return { mat, left, top, columns, rows };
}

/**
 * Pixels within `radius` of any mask's edge: dilation by an ellipse of side 2 * radius + 1 minus
 * erosion by it (OpenCV's default borders: the image's edge neither erodes nor dilates).
 */
function boundaryBand(cv: CV, scope: MatScope, masks: readonly (BitMask | null)[], radius: number): Uint8Array {
  const { width, height } = masks.find((mask) => mask !== null)!;
  const band = new Uint8Array(width * height);
  const kernel = scope.track(cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(radius * 2 + 1, radius * 2 + 1)));
  for (const mask of masks) {
    if (!mask || mask.columns === 0 || mask.rows === 0) continue;
    const window = grownWindow(cv, scope, mask, radius + 1);
    const inner = scope.mat();
    const outer = scope.mat();
    cv.erode(window.mat, inner, kernel);
    cv.dilate(window.mat, outer, kernel);
    const [i, o] = [inner.data, outer.data];
    for (let r = 0; r < window.rows; r++) {
      for (let c = 0; c < window.columns; c++) {
        const k = r * window.columns + c;
        if (o[k] && !i[k]) band[(window.top + r) * width + window.left + c] = 1;
      }
    }
  }
  return band;
}

/**
 * The Sobel magnitude (float32, per pixel) and the edge map (255 where the magnitude is above
 * mean + sigma * std of its window, numpy's float32 arithmetic), closed and thinned once when
 * `iterations` > 0.
 */
function adaptiveEdges(cv: CV, scope: MatScope, gray: Mat, sigma: number, windowSize: number, iterations: number) {
  const gx = scope.mat();
  const gy = scope.mat();
  const magnitudeMat = scope.mat();
  cv.Sobel(gray, gx, cv.CV_32F, 1, 0, 3);
  cv.Sobel(gray, gy, cv.CV_32F, 0, 1, 3);
  cv.magnitude(gx, gy, magnitudeMat);
  const magnitude = magnitudeMat.data32F.slice();
  let side = Math.max(3, Math.trunc(windowSize));
  if (side % 2 === 0) side += 1;
  const ksize = new cv.Size(side, side);
  const squares = scope.track(new cv.Mat(gray.rows, gray.cols, cv.CV_32FC1));
  const sq = squares.data32F;
  for (let i = 0; i < magnitude.length; i++) sq[i] = magnitude[i]! * magnitude[i]!;
  const meanMat = scope.mat();
  const squareMeanMat = scope.mat();
  cv.boxFilter(magnitudeMat, meanMat, cv.CV_32F, ksize);
  cv.boxFilter(squares, squareMeanMat, cv.CV_32F, ksize);
  const mean = meanMat.data32F;
  const squareMean = squareMeanMat.data32F;
  const strictness = fround(sigma);
  const edges = new Uint8Array(magnitude.length);
  for (let i = 0; i < edges.length; i++) {
    const variance = Math.max(fround(squareMean[i]! - fround(mean[i]! * mean[i]!)), 0);
    const threshold = fround(mean[i]! + fround(strictness * fround(Math.sqrt(variance))));
    if (magnitude[i]! > threshold) edges[i] = 255;
  }
  const closings = Math.max(0, Math.trunc(iterations));
  if (closings === 0) return { magnitude, edges };
  const map = scope.fromPixels({ data: edges, width: gray.cols, height: gray.rows, channels: 1 });
  const closed = scope.mat();
  const square = scope.track(cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(3, 3)));
  cv.morphologyEx(map, closed, cv.MORPH_CLOSE, square, new cv.Point(-1, -1), closings);
  return { magnitude, edges: zhangSuenOnce(closed.data.slice(), gray.cols, gray.rows) };
}

/**
 * One iteration (both sub-iterations) of Zhang-Suen thinning on a 0/255 map, in place: each
 * sub-iteration decides from the map as it was before it, the image's outer rows and columns
 * untouched. Returns the map as 0/255.
 */
export function zhangSuenOnce(map: Uint8Array, width: number, height: number): Uint8Array {
  for (let i = 0; i < map.length; i++) map[i] = map[i] ? 1 : 0;
  if (width >= 3 && height >= 3) {
    for (const second of [false, true]) {
      const remove: number[] = [];
      for (let y = 1; y < height - 1; y++) {
        for (let x = 1; x < width - 1; x++) {
          const i = y * width + x;
          if (!map[i]) continue;
          // P2..P9: north, then clockwise.
          const p = [map[i - width]!, map[i - width + 1]!, map[i + 1]!, map[i + width + 1]!, map[i + width]!, map[i + width - 1]!, map[i - 1]!, map[i - width - 1]!];
          const [p2, , p4, , p6, , p8] = p as [number, number, number, number, number, number, number, number];
          const b = p.reduce((s, v) => s + v, 0);
          let a = 0;
          for (let k = 0; k < 8; k++) if (p[k] === 0 && p[(k + 1) % 8] === 1) a++;
          if (b < 2 || b > 6 || a !== 1) continue;
          const clear = second ? p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0 : p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0;
          if (clear) remove.push(i);
        }
      }
      for (const i of remove) map[i] = 0;
    }
  }
  for (let i = 0; i < map.length; i++) map[i] = map[i] ? 255 : 0;
  return map;
}

/**
 * The pixels of the 8-connected pieces of `edges` whose largest outer contour (OpenCV's
 * contourArea) is at least `minArea`, as 0/1.
 */
function largeComponents(cv: CV, scope: MatScope, edges: Uint8Array, width: number, height: number, minArea: number): Uint8Array {
  const labelsMat = scope.mat();
  const stats = scope.mat();
  const centroids = scope.mat();
  const count = cv.connectedComponentsWithStats(scope.fromPixels({ data: edges, width, height, channels: 1 }), labelsMat, stats, centroids, 8, cv.CV_32S);
  const labels = labelsMat.data32S.slice();
  const box = stats.data32S.slice();
  const kept = new Uint8Array(width * height);
  for (let label = 1; label < count; label++) {
    const [left, top, columns, rows] = [box[label * 5]!, box[label * 5 + 1]!, box[label * 5 + 2]!, box[label * 5 + 3]!];
    // The piece within its box, alone (other pieces may cross the box); findContours pads it with zeros.
    const piece = new Uint8Array(columns * rows);
    for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) if (labels[(top + r) * width + left + c] === label) piece[r * columns + c] = 1;
    const contours = scope.track(new cv.MatVector());
    cv.findContours(scope.fromPixels({ data: piece, width: columns, height: rows, channels: 1 }), contours, scope.mat(), cv.RETR_EXTERNAL, cv.CHAIN_APPROX_NONE);
    let largest = -Infinity;
    for (let k = 0; k < contours.size(); k++) {
      const contour = contours.get(k);
      largest = Math.max(largest, cv.contourArea(contour));
      contour.delete();
    }
    if (largest < minArea) continue;
    for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) if (piece[r * columns + c]) kept[(top + r) * width + left + c] = 1;
  }
  return kept;
}

/** The kept edge pixels as one detection "edges" (class 0, confidence 1) boxed by them; none when there are none. */
function edgesDetection(snap: Uint8Array, image: WorkflowImage): Detections {
  const { width, height } = image;
  let [x1, y1, x2, y2] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!snap[y * width + x]) continue;
      x1 = Math.min(x1, x);
      x2 = Math.max(x2, x);
      y1 = Math.min(y1, y);
      y2 = Math.max(y2, y);
    }
  }
  if (x2 < 0) return detectionsOnImage({ xyxy: [], confidence: [], classId: [], className: [] }, image);
  const mask = emptyMask(image, { left: x1, top: y1, right: x2 + 1, bottom: y2 + 1 });
  for (let y = y1; y <= y2; y++) for (let x = x1; x <= x2; x++) mask.data[(y - y1) * mask.columns + x - x1] = snap[y * width + x]!;
  return detectionsOnImage({ xyxy: [x1, y1, x2 + 1, y2 + 1], confidence: [1], classId: [0], className: ["edges"], masks: [mask], data: { points: [outline(mask)] } }, image);
}

/** One mask with its outer contours snapped to the edge pixels `snap` and filled again. */
function snapMask(cv: CV, scope: MatScope, mask: BitMask, snap: Uint8Array, magnitude: Float32Array, tolerance: number): BitMask {
  const { width, height } = mask;
  if (mask.columns === 0 || mask.rows === 0) return mask;
  // Every place a point can look at lies within the tolerance of the mask's window.
  const window = grownWindow(cv, scope, mask, tolerance + 2);
  const distance = scope.mat();
  const dilated = scope.mat();
  cv.distanceTransform(window.mat, distance, cv.DIST_L2, cv.DIST_MASK_PRECISE);
  cv.dilate(window.mat, dilated, scope.track(cv.Mat.ones(3, 3, cv.CV_8U)));
  const [dist, near] = [distance.data32F.slice(), dilated.data.slice()];
  // An edge pixel is a target unless it is deep inside the mask (further than the tolerance from its border).
  const target = (x: number, y: number): boolean => {
    if (!snap[y * width + x]) return false;
    const c = x - window.left;
    const r = y - window.top;
    if (c < 0 || r < 0 || c >= window.columns || r >= window.rows) return true;
    const k = r * window.columns + c;
    return dist[k]! <= tolerance || near[k] === 0;
  };
  const contours = scope.track(new cv.MatVector());
  cv.findContours(window.mat, contours, scope.mat(), cv.RETR_EXTERNAL, cv.CHAIN_APPROX_NONE);
  if (contours.size() === 0) return mask;
  const moved: number[][] = [];
  for (let k = 0; k < contours.size(); k++) {
    const contour = contours.get(k);
    const xy = Array.from(contour.data32S, (v, j) => v + (j % 2 === 0 ? window.left : window.top));
    contour.delete();
    moved.push(snapContour(xy, target, magnitude, width, height, tolerance));
  }
  let [left, top, right, bottom] = [width, height, 0, 0];
  for (const xy of moved) {
    for (let j = 0; j < xy.length; j += 2) {
      left = Math.min(left, xy[j]!);
      right = Math.max(right, xy[j]! + 1);
      top = Math.min(top, xy[j + 1]!);
      bottom = Math.max(bottom, xy[j + 1]! + 1);
    }
  }
  const out = emptyMask({ width, height }, { left, top, right, bottom });
  const canvas = scope.track(cv.Mat.zeros(out.rows, out.columns, cv.CV_8UC1));
  for (const xy of moved) {
    // Each contour filled on its own, as the reference does (overlaps stay set).
    const polygon = scope.track(new cv.MatVector());
    polygon.push_back(scope.track(cv.matFromArray(xy.length / 2, 1, cv.CV_32SC2, xy.map((v, j) => v - (j % 2 === 0 ? left : top)))));
    cv.fillPoly(canvas, polygon, new cv.Scalar(1));
  }
  out.data.set(canvas.data);
  return out;
}

/** The contour's points (x, y flattened, image coordinates), each moved to its best edge pixel along its normal, if any. */
function snapContour(xy: readonly number[], target: (x: number, y: number) => boolean, magnitude: Float32Array, width: number, height: number, tolerance: number): number[] {
  const n = xy.length / 2;
  const out = xy.slice();
  const at = (i: number): [number, number] => {
    const j = (((i % n) + n) % n) * 2;
    return [xy[j]!, xy[j + 1]!];
  };
  for (let i = 0; i < n; i++) {
    const [px, py] = at(i);
    const [ax, ay] = at(i - TANGENT_WINDOW);
    const [bx, by] = at(i + TANGENT_WINDOW);
    // float32 as numpy: the tangent's length (exact squares: points at most 10 apart) and the unit normal.
    const length = fround(Math.sqrt((bx - ax) ** 2 + (by - ay) ** 2));
    if (length < 1e-6) continue;
    const nx = -fround((by - ay) / length);
    const ny = fround((bx - ax) / length);
    let best = 0;
    let found: [number, number] | null = null;
    for (const sign of [1, -1]) {
      for (let d = 1; d <= tolerance; d++) {
        const sx = roundHalfEven(px + sign * nx * d);
        const sy = roundHalfEven(py + sign * ny * d);
        if (sx < 0 || sx >= width || sy < 0 || sy >= height || !target(sx, sy)) continue;
        const score = magnitude[sy * width + sx]! * (1 - d / (tolerance + 1));
        if (score > best) {
          best = score;
          found = [sx, sy];
        }
      }
    }
    if (found) [out[i * 2], out[i * 2 + 1]] = found;
  }
  return out;
}
