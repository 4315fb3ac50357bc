/**
 * Auto Rotate on Edges: finds the rotation that makes the image's dominant straight edges vertical
 * (or horizontal, or whichever is nearer) and rotates the whole image by it on a canvas grown to
 * hold it, as the reference implementation does: on a grayscale copy at most internal_resolution
 * pixels long (INTER_AREA), CLAHE (clip 3, 8x8 tiles) and a 5x5 Gaussian blur; Sobel gradients;
 * the strongest 20 % of them vote, by magnitude, into a 180-bin histogram of their direction
 * (mod 180°), smoothed over 5 bins; a peak that does not stand out (its height above the median
 * under 1.5 standard deviations) or a flat image (standard deviation under 3) gives no rotation;
 * else the magnitude-weighted mean direction (on doubled angles) of the gradients within 3° of
 * the peak is the angle. Angles under skip_below_degrees or over max_correction_degrees give the
 * image back unchanged with angle 0.
 */
import { defineBlock } from "@cvflow/engine";
import type { RawPixels, WorkflowImage } from "@cvflow/vision";
import { roundHalfEven } from "../common/python-numbers.js";
import { invalidField } from "../errors.js";
import { toPixels, withMats, type CV, type MatScope } from "./opencv.js";

const ORIENTATIONS = ["vertical", "horizontal", "either"] as const;
type Orientation = (typeof ORIENTATIONS)[number];

interface AutoRotateParams {
  [key: string]: unknown;
  image: WorkflowImage;
  target_orientation: Orientation;
  skip_below_degrees: number;
  max_correction_degrees: number;
  internal_resolution: number;
}

export const autoRotateOnEdgesBlock = defineBlock<AutoRotateParams>({
  manifest: {
    type: "roboflow_core/auto_rotate_on_edges@v1",
    name: "Auto Rotate on Edges",
    description: "Deskew an image by rotating it so that its dominant straight edges are vertical or horizontal.",
    family: "classical_cv",
    fields: {
      image: { description: "The image to straighten.", kinds: ["image"], aliases: ["images"], required: true },
      target_orientation: {
        description: "Align the dominant lines vertically, horizontally, or to whichever is nearer (within 45°).",
        kinds: ["string"],
        schema: { enum: ORIENTATIONS },
        default: "vertical",
      },
      skip_below_degrees: { description: "Below this correction (degrees) the image is returned unchanged, angle 0.", kinds: ["float"], schema: { type: "number" }, default: 0.4 },
      max_correction_degrees: { description: "Above this correction (degrees) the image is returned unchanged, angle 0 (90: no cap).", kinds: ["float"], schema: { type: "number" }, default: 90 },
      internal_resolution: { description: "Longest side of the copy the angle is searched on.", kinds: ["integer"], schema: { type: "integer", exclusiveMinimum: 0 }, default: 1000 },
    },
    outputs: [
      { name: "image", kinds: ["image"] },
      { name: "angle", kinds: ["float"] },
    ],
  },
  async run({ image, target_orientation, skip_below_degrees, max_correction_degrees, internal_resolution }) {
    if (!ORIENTATIONS.includes(target_orientation)) throw invalidField(`target_orientation must be one of ${ORIENTATIONS.join(", ")}; got ${JSON.stringify(target_orientation)}`);
    if (!Number.isInteger(internal_resolution) || internal_resolution < 1) throw invalidField(`internal_resolution must be a positive integer; got ${JSON.stringify(internal_resolution)}`);
    return withMats((cv, scope) => {
      const unchanged = { image, angle: 0 };
      const small = analysisGray(cv, scope, toPixels(scope.gray(image.pixels)), internal_resolution);
      if (standardDeviation(small.data) < 3) return unchanged;
      const found = gradientAngle(cv, scope, small, target_orientation);
      if (found === null) return unchanged;
      const angle = normalizedAngle(found, target_orientation === "either" ? 90 : 180);
      if (Math.abs(angle) < skip_below_degrees || Math.abs(angle) > max_correction_degrees) return unchanged;
      return { image: image.withPixels(rotated(cv, scope, image.pixels, angle)), angle };
    });
  },
});

/** The grayscale image shrunk (INTER_AREA) so that its longest side is at most maxSide. */
function analysisGray(cv: CV, scope: MatScope, gray: RawPixels, maxSide: number): RawPixels {
  const longest = Math.max(gray.width, gray.height);
  if (longest <= maxSide) return gray;
  const scale = maxSide / longest;
  const size = new cv.Size(Math.max(1, roundHalfEven(gray.width * scale)), Math.max(1, roundHalfEven(gray.height * scale)));
  const small = scope.mat();
  cv.resize(scope.fromPixels(gray), small, size, 0, 0, cv.INTER_AREA);
  return toPixels(small);
}

function standardDeviation(values: Uint8Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return Math.sqrt(squares / values.length);
}

/** The dominant gradient direction in degrees (see the file's comment), or null when none stands out. */
function gradientAngle(cv: CV, scope: MatScope, gray: RawPixels, orientation: Orientation): number | null {
  const enhanced = scope.mat();
  const clahe = scope.track(new cv.CLAHE(3.0, new cv.Size(8, 8)));
  clahe.apply(scope.fromPixels(gray), enhanced);
  const blurred = scope.mat();
  cv.GaussianBlur(enhanced, blurred, new cv.Size(5, 5), 0);
  const prepped = scope.mat();
  blurred.convertTo(prepped, cv.CV_32F);
  const gx = scope.mat();
  const gy = scope.mat();
  cv.Sobel(prepped, gx, cv.CV_32F, 1, 0, 3);
  cv.Sobel(prepped, gy, cv.CV_32F, 0, 1, 3);
  const dx = gx.data32F;
  const dy = gy.data32F;
  const magnitude = new Float32Array(dx.length);
  for (let i = 0; i < dx.length; i++) magnitude[i] = Math.hypot(dx[i]!, dy[i]!);
  const threshold = Math.max(percentile(magnitude, 80), 1e-6);
  const thetas: number[] = [];
  const weights: number[] = [];
  const histogram = new Float64Array(180);
  for (let i = 0; i < magnitude.length; i++) {
    if (magnitude[i]! < threshold) continue;
    // numpy works in float32 here: degrees(arctan2) and its mod 180.
    const theta = Math.fround(mod(Math.fround((Math.atan2(dy[i]!, dx[i]!) * 180) / Math.PI), 180));
    thetas.push(theta);
    weights.push(magnitude[i]!);
    histogram[Math.min(179, Math.floor(theta))]! += magnitude[i]!;
  }
  if (thetas.length === 0) return null;
  const smoothed = Array.from({ length: 180 }, (_, i) => {
    let sum = 0;
    for (let k = -2; k <= 2; k++) sum += histogram[(i + k + 180) % 180]! / 5;
    return sum;
  });
  const peakHeight = Math.max(...smoothed);
  if ((peakHeight - median(smoothed)) / (standardDeviationOf(smoothed) + 1e-9) < 1.5) return null;
  const peak = smoothed.indexOf(peakHeight) + 0.5;
  let sin = 0;
  let cos = 0;
  let selected = 0;
  for (let i = 0; i < thetas.length; i++) {
    const distance = Math.abs(thetas[i]! - peak);
    if (Math.min(distance, 180 - distance) > 3) continue;
    const doubled = (2 * thetas[i]! * Math.PI) / 180;
    sin += weights[i]! * Math.sin(doubled);
    cos += weights[i]! * Math.cos(doubled);
    selected++;
  }
  const angle = selected > 0 ? (0.5 * Math.atan2(sin, cos) * 180) / Math.PI : peak;
  return orientation === "horizontal" ? angle - 90 : angle;
}

/** The angle folded into (-period/2, period/2] (Python's floored modulo). */
function normalizedAngle(angle: number, period: number): number {
  const folded = mod(angle, period);
  return folded > period / 2 ? folded - period : folded;
}

function mod(a: number, b: number): number {
  return a - b * Math.floor(a / b);
}

/** numpy's percentile (linear interpolation). */
function percentile(values: Float32Array, q: number): number {
  const sorted = values.slice().sort();
  const rank = (q / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const a = sorted[below]!;
  const b = sorted[Math.min(sorted.length - 1, below + 1)]!;
  return a + (b - a) * (rank - below);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function standardDeviationOf(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

/** The whole image rotated by `angle` degrees (counter-clockwise) about its centre on a canvas that holds it, black around. */
function rotated(cv: CV, scope: MatScope, pixels: RawPixels, angle: number): RawPixels {
  const { width, height } = pixels;
  const matrix = scope.track(cv.getRotationMatrix2D(new cv.Point(Math.floor(width / 2), Math.floor(height / 2)), angle, 1));
  const m = matrix.data64F;
  const cos = Math.abs(m[0]!);
  const sin = Math.abs(m[1]!);
  const newWidth = Math.trunc(height * sin + width * cos);
  const newHeight = Math.trunc(height * cos + width * sin);
  m[2] = m[2]! + newWidth / 2 - Math.floor(width / 2);
  m[5] = m[5]! + newHeight / 2 - Math.floor(height / 2);
  const out = scope.mat();
  cv.warpAffine(scope.fromPixels(pixels), out, matrix, new cv.Size(newWidth, newHeight), cv.INTER_LINEAR, cv.BORDER_CONSTANT, new cv.Scalar(0, 0, 0, 0));
  return toPixels(out);
}
