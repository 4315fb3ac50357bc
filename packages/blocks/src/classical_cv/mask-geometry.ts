/**
 * What the mask-measuring blocks (size_measurement, bounding_rect, dynamic_zone) share: a
 * detection's mask as supervision has it (its mask, or its polygon filled for detections read
 * from JSON), its outer contours as supervision's mask_to_polygons finds them (OpenCV's
 * findContours, external, simple chains, at least 3 points), and polygons filled back into masks
 * by OpenCV's fillPoly, as sv.polygon_to_mask fills them.
 */
import type { BitMask, Detections, ImageSize } from "@cvflow/engine";
import { detectionRegion, forEachRun, type Region } from "../visualizations/draw/region.js";
import type { Point } from "../visualizations/draw/shapes.js";
import type { CV, MatScope } from "./opencv.js";

/** The region's pixels as a mask on an image of `size` (clipped to it), stored for the region's extent. */
function regionMask(region: Region, size: ImageSize): BitMask {
  let left = Infinity;
  let right = -Infinity;
  forEachRun(region, (_, a, b) => {
    left = Math.min(left, a);
    right = Math.max(right, b);
  });
  const top = Math.max(0, region.top);
  left = Math.max(0, left);
  right = Math.min(size.width - 1, right);
  const bottom = Math.min(size.height - 1, region.top + region.rows.length - 1);
  if (right < left || bottom < top) return { ...size, left: 0, top: 0, columns: 0, rows: 0, data: new Uint8Array(0) };
  const columns = right - left + 1;
  const rows = bottom - top + 1;
  const data = new Uint8Array(columns * rows);
  forEachRun(region, (y, a, b) => {
    if (y < top || y > bottom) return;
    const from = Math.max(a, left);
    const to = Math.min(b, right);
    if (to >= from) data.fill(1, (y - top) * columns + from - left, (y - top) * columns + to - left + 1);
  });
  return { ...size, left, top, columns, rows, data };
}

/** Detection i's mask, or its `points` polygon filled; null with neither. */
export function detectionMask(d: Detections, i: number): BitMask | null {
  const mask = d.masks?.[i];
  if (mask) return mask;
  const region = detectionRegion(d, i);
  return region ? regionMask(region, d.image) : null;
}

/** A polygon (integer vertices) filled by OpenCV's fillPoly, outline included, on an image of `size` (clipped to it). */
export function polygonMask(cv: CV, scope: MatScope, polygon: readonly Point[], size: ImageSize): BitMask {
  const xs = polygon.map(([x]) => x);
  const ys = polygon.map(([, y]) => y);
  const left = Math.max(0, Math.min(...xs));
  const top = Math.max(0, Math.min(...ys));
  const columns = Math.min(size.width - 1, Math.max(...xs)) - left + 1;
  const rows = Math.min(size.height - 1, Math.max(...ys)) - top + 1;
  if (columns <= 0 || rows <= 0) return { ...size, left: 0, top: 0, columns: 0, rows: 0, data: new Uint8Array(0) };
  const window = scope.track(cv.Mat.zeros(rows, columns, cv.CV_8UC1));
  const rings = scope.track(new cv.MatVector());
  rings.push_back(contourMat(cv, scope, polygon.map(([x, y]): Point => [x - left, y - top])));
  cv.fillPoly(window, rings, new cv.Scalar(1));
  return { ...size, left, top, columns, rows, data: window.data.slice() };
}

/** The mask's outer contours (sv.mask_to_polygons): OpenCV's findContours, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE, those of 3 points or more, in image coordinates. */
export function maskContours(cv: CV, scope: MatScope, mask: BitMask): Point[][] {
  if (mask.columns === 0 || mask.rows === 0) return [];
  const window = scope.fromPixels({ data: mask.data, width: mask.columns, height: mask.rows, channels: 1 });
  const contours = scope.track(new cv.MatVector());
  const hierarchy = scope.mat();
  cv.findContours(window, contours, hierarchy, cv.RETR_EXTERNAL, cv.CHAIN_APPROX_SIMPLE);
  const polygons: Point[][] = [];
  for (let k = 0; k < contours.size(); k++) {
    const contour = contours.get(k);
    const xy = contour.data32S;
    const points: Point[] = [];
    for (let p = 0; p < xy.length; p += 2) points.push([xy[p]! + mask.left, xy[p + 1]! + mask.top]);
    contour.delete();
    if (points.length >= 3) polygons.push(points);
  }
  return polygons;
}

/** Integer points as an OpenCV contour (CV_32SC2), tracked by the scope. */
export function contourMat(cv: CV, scope: MatScope, points: readonly Point[]) {
  return scope.track(cv.matFromArray(points.length, 1, cv.CV_32SC2, points.flat()));
}
