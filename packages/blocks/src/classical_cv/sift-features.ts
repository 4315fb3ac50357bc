/**
 * SIFT keypoints and descriptors (Lowe 2004, "Distinctive Image Features from Scale-Invariant
 * Keypoints"), computed the way OpenCV's `cv2.SIFT_create()` with its defaults does, since that is
 * what Roboflow's SIFT blocks call and no OpenCV build for Node has SIFT:
 *
 * - the gray image (BT.601, as COLOR_BGR2GRAY) as floats, doubled with bilinear resize and blurred
 *   up from an assumed sigma 0.5 to 1.6 (octave -1); round(log2(min side of the doubled image)) - 1
 *   octaves of 3 + 3 Gaussian images, each octave's first image every other pixel of the previous
 *   octave's fourth; differences of neighbouring Gaussians (DoG). The blurs and resizes are OpenCV's
 *   own (opencv-js), so the pyramid is OpenCV's to the float.
 * - extrema of the 26 neighbours in scale space, 5 pixels from the border, |DoG| above
 *   floor(0.5 * 0.04 / 3 * 255); refined by fitting a quadratic (at most 5 steps), dropped when the
 *   contrast |D(x)| * 3 < 0.04 or the principal-curvature ratio says edge (r = 10).
 * - one keypoint per peak of a 36-bin gradient orientation histogram (Gaussian window 1.5 * scale,
 *   radius 3 * that, smoothed [1 4 6 4 1] / 16) within 80 % of the highest, its angle interpolated
 *   from a parabola; OpenCV's angle convention (360 - the gradient's, y pointing down).
 * - a 4 x 4 x 8 histogram descriptor over a window of 3 * scale per cell, trilinearly interpolated,
 *   normalised, clamped at 0.2, renormalised and scaled by 512 into 0..255 (integers, as floats).
 * - keypoints sorted by x, y (then size desc., angle, response desc.) with exact duplicates of
 *   x, y, size and angle dropped — OpenCV's removeDuplicatedSorted, which also fixes the order.
 *
 * OpenCV's float32 arithmetic and its fastAtan2 (a polynomial good to ~0.01°) are followed where a
 * rounding can decide a histogram bin; elsewhere doubles are used, so values can differ from
 * OpenCV's in the last float digits and a descriptor entry by 1 now and then.
 *
 * Memory: one octave's pyramid at a time (6 Gaussians and 5 DoGs in 8 float32 arrays, 32 bytes per
 * pixel of the octave; the first octave has 4 times the input's pixels): 1.5 GB for a 12 MP photo,
 * plus OpenCV's heap, which keeps its high-water mark. Measured on a 4000 x 3000 photo (47,561
 * keypoints): 22 s of CPU, 2.5 GB peak resident.
 */
import type { RawPixels } from "@cvflow/vision";
import { toGray } from "./grayscale.js";
import { withMats, type CV, type Mat } from "./opencv.js";

const LAYERS = 3;
const SIGMA = 1.6;
const CONTRAST_THRESHOLD = 0.04;
const EDGE_THRESHOLD = 10;
const INIT_SIGMA = 0.5;
const IMG_BORDER = 5;
const MAX_INTERP_STEPS = 5;
const ORI_BINS = 36;
const ORI_SIG_FCTR = 1.5;
const ORI_RADIUS = 3 * ORI_SIG_FCTR;
const ORI_PEAK_RATIO = 0.8;
const DESCR_WIDTH = 4;
const DESCR_BINS = 8;
const DESCR_SCL_FCTR = 3;
const DESCR_MAG_THR = 0.2;
const INT_DESCR_FCTR = 512;
const FLT_EPSILON = 1.1920928955078125e-7;
/** OpenCV starts at octave -1: the doubled image. */
const FIRST_OCTAVE = -1;

/** Entries in one descriptor (4 x 4 cells x 8 orientations). */
export const SIFT_DESCRIPTOR_SIZE = DESCR_WIDTH * DESCR_WIDTH * DESCR_BINS;

/** A keypoint as OpenCV's cv::KeyPoint holds it (octave packed: octave | layer << 8 | sub-layer << 16). */
export interface SiftKeypoint {
  x: number;
  y: number;
  size: number;
  angle: number;
  response: number;
  octave: number;
}

export interface SiftFeatures {
  keypoints: SiftKeypoint[];
  /** One row of SIFT_DESCRIPTOR_SIZE values per keypoint, in the keypoints' order. */
  descriptors: Float32Array;
}

const f32 = Math.fround;

/** OpenCV's cvRound: to nearest, halves to even. */
export function cvRound(value: number): number {
  const r = Math.round(value);
  return r - value === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** SIFT keypoints and descriptors of an 8-bit image (RGB or gray), as OpenCV's detectAndCompute gives them. */
export async function detectSift(pixels: RawPixels): Promise<SiftFeatures> {
  const gray = toGray(pixels);
  const found = await withMats((cv, scope) => {
    const source = scope.fromPixels(gray);
    let base = initialImage(cv, source);
    const octaves = cvRound(Math.log(Math.min(base.cols, base.rows)) / Math.log(2) - 2) - FIRST_OCTAVE;
    const sigmas = layerSigmas();
    const all: Found[] = [];
    try {
      for (let o = 0; o < octaves; o++) {
        const octave = buildOctave(cv, base, sigmas, o, o + 1 < octaves);
        base.delete();
        base = octave.nextBase ?? new cv.Mat();
        for (const item of octaveFeatures(octave)) all.push(item);
      }
    } finally {
      base.delete();
    }
    return all;
  });
  return sortedUnique(found);
}

interface Octave {
  index: number;
  width: number;
  height: number;
  /** Gaussians 1..LAYERS are valid; 0, LAYERS + 1 and LAYERS + 2 hold differences once `dog` is made. */
  gauss: Float32Array[];
  dog: Float32Array[];
  /** The next octave's first image (this one's LAYERS-th, every other pixel), when there is one. */
  nextBase: Mat | undefined;
}

interface Found {
  keypoint: SiftKeypoint;
  descriptor: Float32Array;
}

function initialImage(cv: CV, gray8: Mat): Mat {
  const gray = new cv.Mat();
  const doubled = new cv.Mat();
  try {
    gray8.convertTo(gray, cv.CV_32F, 1, 0);
    cv.resize(gray, doubled, new cv.Size(gray.cols * 2, gray.rows * 2), 0, 0, cv.INTER_LINEAR);
    // OpenCV computes this one in float: sqrt(max(sigma^2 - (2 * 0.5)^2, 0.01)).
    const sigma = f32(SIGMA);
    const diff = f32(Math.sqrt(Math.max(f32(f32(sigma * sigma) - INIT_SIGMA * INIT_SIGMA * 4), f32(0.01))));
    const base = new cv.Mat();
    cv.GaussianBlur(doubled, base, new cv.Size(0, 0), diff, diff, cv.BORDER_DEFAULT);
    return base;
  } finally {
    gray.delete();
    doubled.delete();
  }
}

/** The blur that takes layer i - 1 to layer i of an octave: sigma_i^2 = (k^i sigma)^2 - (k^(i-1) sigma)^2, k = 2^(1/3). */
function layerSigmas(): number[] {
  const k = Math.pow(2, 1 / LAYERS);
  const sigmas = [SIGMA];
  for (let i = 1; i < LAYERS + 3; i++) {
    const previous = Math.pow(k, i - 1) * SIGMA;
    const total = previous * k;
    sigmas.push(Math.sqrt(total * total - previous * previous));
  }
  return sigmas;
}

function buildOctave(cv: CV, base: Mat, sigmas: number[], index: number, wantNext: boolean): Octave {
  const gauss: Float32Array[] = [base.data32F.slice()];
  let current = base;
  let nextBase: Mat | undefined;
  try {
    for (let i = 1; i < LAYERS + 3; i++) {
      const blurred = new cv.Mat();
      cv.GaussianBlur(current, blurred, new cv.Size(0, 0), sigmas[i]!, sigmas[i]!, cv.BORDER_DEFAULT);
      if (current !== base) current.delete();
      current = blurred;
      gauss.push(blurred.data32F.slice());
      if (i === LAYERS && wantNext) {
        nextBase = new cv.Mat();
        cv.resize(blurred, nextBase, new cv.Size(Math.trunc(blurred.cols / 2), Math.trunc(blurred.rows / 2)), 0, 0, cv.INTER_NEAREST);
      }
    }
  } finally {
    if (current !== base) current.delete();
  }
  // Differences of neighbouring Gaussians. Only Gaussians 1..LAYERS are read afterwards (orientations,
  // descriptors), so the first and last two take the differences in place: 8 arrays instead of 11.
  const difference = (lower: Float32Array, upper: Float32Array, into: Float32Array): Float32Array => {
    for (let p = 0; p < into.length; p++) into[p] = upper[p]! - lower[p]!;
    return into;
  };
  const last = LAYERS + 2;
  const dog: Float32Array[] = new Array<Float32Array>(last);
  dog[0] = difference(gauss[0]!, gauss[1]!, gauss[0]!);
  for (let i = 1; i < last - 2; i++) dog[i] = difference(gauss[i]!, gauss[i + 1]!, new Float32Array(gauss[i]!.length));
  dog[last - 1] = difference(gauss[last - 1]!, gauss[last]!, gauss[last]!);
  dog[last - 2] = difference(gauss[last - 2]!, gauss[last - 1]!, gauss[last - 1]!);
  return { index, width: base.cols, height: base.rows, gauss, dog, nextBase };
}

/** The keypoints (in the input image's coordinates) found in one octave, each with its descriptor. */
function* octaveFeatures(octave: Octave): Generator<Found> {
  const { width, height, dog, index } = octave;
  const threshold = Math.floor(((0.5 * CONTRAST_THRESHOLD) / LAYERS) * 255);
  const hist = new Float32Array(ORI_BINS);
  for (let layer = 1; layer <= LAYERS; layer++) {
    const cur = dog[layer]!;
    const prev = dog[layer - 1]!;
    const next = dog[layer + 1]!;
    for (let r = IMG_BORDER; r < height - IMG_BORDER; r++) {
      for (let c = IMG_BORDER; c < width - IMG_BORDER; c++) {
        const p = r * width + c;
        const value = cur[p]!;
        if (Math.abs(value) <= threshold || !isExtremum(value, p, width, prev, cur, next)) continue;
        const refined = refine(octave, layer, r, c);
        if (!refined) continue;
        const scaleInOctave = f32(refined.size * 0.5) / (1 << index);
        const max = orientationHistogram(octave.gauss[refined.layer]!, width, height, refined.c, refined.r, cvRound(ORI_RADIUS * scaleInOctave), ORI_SIG_FCTR * scaleInOctave, hist);
        const magnitudeThreshold = f32(max * ORI_PEAK_RATIO);
        for (let j = 0; j < ORI_BINS; j++) {
          const left = j > 0 ? j - 1 : ORI_BINS - 1;
          const right = j < ORI_BINS - 1 ? j + 1 : 0;
          if (!(hist[j]! > hist[left]! && hist[j]! > hist[right]! && hist[j]! >= magnitudeThreshold)) continue;
          let bin = f32(j + f32(f32(0.5 * f32(hist[left]! - hist[right]!)) / f32(hist[left]! - 2 * hist[j]! + hist[right]!)));
          bin = bin < 0 ? f32(ORI_BINS + bin) : bin >= ORI_BINS ? f32(bin - ORI_BINS) : bin;
          let angle = f32(360 - f32(f32(360 / ORI_BINS) * bin));
          if (Math.abs(angle - 360) < FLT_EPSILON) angle = 0;
          yield withDescriptor(octave, refined, angle);
        }
      }
    }
  }
}

function isExtremum(value: number, p: number, w: number, prev: Float32Array, cur: Float32Array, next: Float32Array): boolean {
  // OpenCV compares with >= / <=: a plateau counts. The centre of the neighbouring layers counts too.
  if (value > 0) {
    for (let dy = -w; dy <= w; dy += w) {
      for (let dx = -1; dx <= 1; dx++) {
        const q = p + dy + dx;
        if (prev[q]! > value || next[q]! > value || (q !== p && cur[q]! > value)) return false;
      }
    }
  } else {
    for (let dy = -w; dy <= w; dy += w) {
      for (let dx = -1; dx <= 1; dx++) {
        const q = p + dy + dx;
        if (prev[q]! < value || next[q]! < value || (q !== p && cur[q]! < value)) return false;
      }
    }
  }
  return true;
}

interface Refined {
  r: number;
  c: number;
  layer: number;
  xr: number;
  xc: number;
  xi: number;
  x: number;
  y: number;
  size: number;
  response: number;
  octave: number;
}

/** OpenCV's adjustLocalExtrema: the sub-pixel, sub-layer position, or null when it is unstable. All in float32, as there. */
function refine(octave: Octave, startLayer: number, startR: number, startC: number): Refined | null {
  const { width, height, dog, index } = octave;
  const imgScale = f32(1 / 255);
  const derivScale = f32(imgScale * 0.5);
  const secondScale = imgScale;
  const crossScale = f32(imgScale * 0.25);
  let layer = startLayer;
  let r = startR;
  let c = startC;
  let xi = 0;
  let xr = 0;
  let xc = 0;
  let step = 0;
  for (; step < MAX_INTERP_STEPS; step++) {
    const cur = dog[layer]!;
    const prev = dog[layer - 1]!;
    const next = dog[layer + 1]!;
    const p = r * width + c;
    const dD = [f32(f32(cur[p + 1]! - cur[p - 1]!) * derivScale), f32(f32(cur[p + width]! - cur[p - width]!) * derivScale), f32(f32(next[p]! - prev[p]!) * derivScale)];
    const v2 = f32(cur[p]! * 2);
    const dxx = f32(f32(f32(cur[p + 1]! + cur[p - 1]!) - v2) * secondScale);
    const dyy = f32(f32(f32(cur[p + width]! + cur[p - width]!) - v2) * secondScale);
    const dss = f32(f32(f32(next[p]! + prev[p]!) - v2) * secondScale);
    const dxy = f32(cross(cur[p + width + 1]!, cur[p + width - 1]!, cur[p - width + 1]!, cur[p - width - 1]!) * crossScale);
    const dxs = f32(cross(next[p + 1]!, next[p - 1]!, prev[p + 1]!, prev[p - 1]!) * crossScale);
    const dys = f32(cross(next[p + width]!, next[p - width]!, prev[p + width]!, prev[p - width]!) * crossScale);
    const x = solve3([dxx, dxy, dxs, dxy, dyy, dys, dxs, dys, dss], dD);
    xi = -x[2]!;
    xr = -x[1]!;
    xc = -x[0]!;
    if (Math.abs(xi) < 0.5 && Math.abs(xr) < 0.5 && Math.abs(xc) < 0.5) break;
    const limit = f32(0x7fffffff / 3);
    if (Math.abs(xi) > limit || Math.abs(xr) > limit || Math.abs(xc) > limit) return null;
    c += cvRound(xc);
    r += cvRound(xr);
    layer += cvRound(xi);
    if (layer < 1 || layer > LAYERS || c < IMG_BORDER || c >= width - IMG_BORDER || r < IMG_BORDER || r >= height - IMG_BORDER) return null;
  }
  if (step >= MAX_INTERP_STEPS) return null;

  const cur = dog[layer]!;
  const prev = dog[layer - 1]!;
  const next = dog[layer + 1]!;
  const p = r * width + c;
  const dD = [f32(f32(cur[p + 1]! - cur[p - 1]!) * derivScale), f32(f32(cur[p + width]! - cur[p - width]!) * derivScale), f32(f32(next[p]! - prev[p]!) * derivScale)];
  const t = f32(f32(f32(f32(dD[0]! * xc) + f32(dD[1]! * xr))) + f32(dD[2]! * xi));
  const contrast = f32(f32(cur[p]! * imgScale) + f32(t * 0.5));
  if (f32(Math.abs(contrast) * LAYERS) < f32(CONTRAST_THRESHOLD)) return null;
  const v2 = f32(cur[p]! * 2);
  const dxx = f32(f32(f32(cur[p + 1]! + cur[p - 1]!) - v2) * secondScale);
  const dyy = f32(f32(f32(cur[p + width]! + cur[p - width]!) - v2) * secondScale);
  const dxy = f32(cross(cur[p + width + 1]!, cur[p + width - 1]!, cur[p - width + 1]!, cur[p - width - 1]!) * crossScale);
  const trace = f32(dxx + dyy);
  const det = f32(f32(dxx * dyy) - f32(dxy * dxy));
  if (det <= 0 || f32(f32(trace * trace) * EDGE_THRESHOLD) >= f32((EDGE_THRESHOLD + 1) * (EDGE_THRESHOLD + 1) * det)) return null;

  const octaveScale = 1 << index;
  return {
    r,
    c,
    layer,
    xr,
    xc,
    xi,
    x: f32(f32(c + xc) * octaveScale),
    y: f32(f32(r + xr) * octaveScale),
    size: f32(f32(SIGMA * f32(Math.pow(2, f32(f32(layer + xi) / LAYERS)))) * octaveScale * 2),
    response: Math.abs(contrast),
    octave: index + (layer << 8) + (cvRound((xi + 0.5) * 255) << 16),
  };
}

/** a - b - c + d in float32, left to right. */
function cross(a: number, b: number, c: number, d: number): number {
  return f32(f32(f32(a - b) - c) + d);
}

/** The solution of a x = b (3 x 3) by Cramer's rule in float32, zeros when a is singular: cv::Matx33f::solve(DECOMP_LU). */
function solve3(a: number[], b: number[]): number[] {
  const [a00, a01, a02, a10, a11, a12, a20, a21, a22] = a as [number, number, number, number, number, number, number, number, number];
  const [b0, b1, b2] = b as [number, number, number];
  const mul = (x: number, y: number) => f32(x * y);
  const sub = (x: number, y: number) => f32(x - y);
  const det = f32(sub(mul(a00, sub(mul(a11, a22), mul(a21, a12))), mul(a01, sub(mul(a10, a22), mul(a20, a12)))) + mul(a02, sub(mul(a10, a21), mul(a20, a11))));
  if (det === 0) return [0, 0, 0];
  const inv = f32(1 / det);
  return [
    mul(inv, f32(sub(mul(b0, sub(mul(a11, a22), mul(a12, a21))), mul(a01, sub(mul(b1, a22), mul(a12, b2)))) + mul(a02, sub(mul(b1, a21), mul(a11, b2))))),
    mul(inv, f32(sub(mul(a00, sub(mul(b1, a22), mul(a12, b2))), mul(b0, sub(mul(a10, a22), mul(a12, a20)))) + mul(a02, sub(mul(a10, b2), mul(b1, a20))))),
    mul(inv, f32(sub(mul(a00, sub(mul(a11, b2), mul(b1, a21))), mul(a01, sub(mul(a10, b2), mul(b1, a20)))) + mul(b0, sub(mul(a10, a21), mul(a11, a20))))),
  ];
}

const ATAN_P1 = f32(0.9997878412794807 * (180 / Math.PI));
const ATAN_P3 = f32(-0.3258083974640975 * (180 / Math.PI));
const ATAN_P5 = f32(0.1555786518463281 * (180 / Math.PI));
const ATAN_P7 = f32(-0.04432655554792128 * (180 / Math.PI));
const DBL_EPSILON_F = f32(2.220446049250313e-16);

/** OpenCV's fastAtan2 in degrees, 0..360 (a polynomial; its roundings decide histogram bins). */
export function fastAtan2(y: number, x: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  let a: number;
  if (ax >= ay) {
    const c = f32(ay / f32(ax + DBL_EPSILON_F));
    const c2 = f32(c * c);
    a = f32(f32(f32(f32(f32(f32(f32(ATAN_P7 * c2) + ATAN_P5) * c2) + ATAN_P3) * c2) + ATAN_P1) * c);
  } else {
    const c = f32(ax / f32(ay + DBL_EPSILON_F));
    const c2 = f32(c * c);
    a = f32(90 - f32(f32(f32(f32(f32(f32(f32(ATAN_P7 * c2) + ATAN_P5) * c2) + ATAN_P3) * c2) + ATAN_P1) * c));
  }
  if (x < 0) a = f32(180 - a);
  if (y < 0) a = f32(360 - a);
  return a;
}

/** sqrt(x^2 + y^2) in float32, as OpenCV's magnitude32f. */
function magnitude(x: number, y: number): number {
  return f32(Math.sqrt(f32(f32(x * x) + f32(y * y))));
}

/** OpenCV's calcOrientationHist: fills `hist` (smoothed) and returns its highest bin. */
function orientationHistogram(img: Float32Array, width: number, height: number, cx: number, cy: number, radius: number, sigma: number, hist: Float32Array): number {
  const expScale = f32(-1 / f32(2 * f32(sigma * sigma)));
  const raw = new Float64Array(ORI_BINS);
  for (let i = -radius; i <= radius; i++) {
    const y = cy + i;
    if (y <= 0 || y >= height - 1) continue;
    for (let j = -radius; j <= radius; j++) {
      const x = cx + j;
      if (x <= 0 || x >= width - 1) continue;
      const p = y * width + x;
      const dx = f32(img[p + 1]! - img[p - 1]!);
      const dy = f32(img[p - width]! - img[p + width]!);
      const weight = f32(Math.exp(f32((i * i + j * j) * expScale)));
      let bin = cvRound(f32((ORI_BINS / 360) * fastAtan2(dy, dx)));
      if (bin >= ORI_BINS) bin -= ORI_BINS;
      if (bin < 0) bin += ORI_BINS;
      raw[bin] = f32(raw[bin]! + f32(weight * magnitude(dx, dy)));
    }
  }
  let max = 0;
  for (let i = 0; i < ORI_BINS; i++) {
    const at = (k: number): number => raw[(k + ORI_BINS) % ORI_BINS]!;
    hist[i] = (at(i - 2) + at(i + 2)) * (1 / 16) + (at(i - 1) + at(i + 1)) * (4 / 16) + at(i) * (6 / 16);
    if (i === 0 || hist[i]! > max) max = hist[i]!;
  }
  return max;
}

/** The keypoint in the input image's coordinates (octave -1 halved) with its descriptor from its octave's Gaussian image. */
function withDescriptor(octave: Octave, refined: Refined, angle: number): Found {
  // The keypoint in this octave's pixels: (c + xc), and half the size (the histogram's scale).
  const toOctave = 1 / (1 << octave.index);
  const descriptor = siftDescriptor(
    octave.gauss[refined.layer]!,
    octave.width,
    octave.height,
    refined.x * toOctave,
    refined.y * toOctave,
    Math.abs(f32(360 - angle) - 360) < FLT_EPSILON ? 0 : f32(360 - angle),
    f32(refined.size * toOctave * 0.5),
  );
  const half = -FIRST_OCTAVE;
  return {
    keypoint: {
      x: refined.x / (1 << half),
      y: refined.y / (1 << half),
      size: refined.size / (1 << half),
      angle,
      response: refined.response,
      // OpenCV keeps the octave's byte signed: octave -1 is 255.
      octave: (refined.octave & ~255) | ((refined.octave + FIRST_OCTAVE) & 255),
    },
    descriptor,
  };
}

/** OpenCV's calcSIFTDescriptor (d = 4, n = 8) for a keypoint at (x, y) in `img`, orientation `ori` degrees, scale `scl`. */
function siftDescriptor(img: Float32Array, width: number, height: number, x: number, y: number, ori: number, scl: number): Float32Array {
  const d = DESCR_WIDTH;
  const n = DESCR_BINS;
  const px = cvRound(x);
  const py = cvRound(y);
  const radians = f32(ori * f32(Math.PI / 180));
  const histWidth = f32(DESCR_SCL_FCTR * scl);
  const cosT = f32(f32(Math.cos(radians)) / histWidth);
  const sinT = f32(f32(Math.sin(radians)) / histWidth);
  const binsPerDegree = n / 360;
  const expScale = -1 / (d * d * 0.5);
  let radius = cvRound(f32(f32(histWidth * f32(Math.SQRT2)) * (d + 1) * 0.5));
  radius = Math.min(radius, Math.trunc(Math.sqrt(width * width + height * height)));
  const hist = new Float32Array((d + 2) * (d + 2) * (n + 2));
  for (let i = -radius; i <= radius; i++) {
    for (let j = -radius; j <= radius; j++) {
      // The sample's place in the rotated 4 x 4 grid, shifted by half a cell so a cell's centre has full weight.
      const cRot = f32(f32(j * cosT) - f32(i * sinT));
      const rRot = f32(f32(j * sinT) + f32(i * cosT));
      const rbinAt = f32(rRot + d / 2 - 0.5);
      const cbinAt = f32(cRot + d / 2 - 0.5);
      const r = py + i;
      const c = px + j;
      if (!(rbinAt > -1 && rbinAt < d && cbinAt > -1 && cbinAt < d && r > 0 && r < height - 1 && c > 0 && c < width - 1)) continue;
      const p = r * width + c;
      const dx = f32(img[p + 1]! - img[p - 1]!);
      const dy = f32(img[p - width]! - img[p + width]!);
      const weight = f32(Math.exp(f32(f32(cRot * cRot + rRot * rRot) * expScale)));
      const weighted = f32(magnitude(dx, dy) * weight);
      let obin = f32(f32(fastAtan2(dy, dx) - ori) * binsPerDegree);
      let rbin = rbinAt;
      let cbin = cbinAt;
      const r0 = Math.floor(rbin);
      const c0 = Math.floor(cbin);
      let o0 = Math.floor(obin);
      rbin = f32(rbin - r0);
      cbin = f32(cbin - c0);
      obin = f32(obin - o0);
      if (o0 < 0) o0 += n;
      if (o0 >= n) o0 -= n;
      const vR1 = f32(weighted * rbin);
      const vR0 = f32(weighted - vR1);
      const vRc11 = f32(vR1 * cbin);
      const vRc10 = f32(vR1 - vRc11);
      const vRc01 = f32(vR0 * cbin);
      const vRc00 = f32(vR0 - vRc01);
      const vRco111 = f32(vRc11 * obin);
      const vRco101 = f32(vRc10 * obin);
      const vRco011 = f32(vRc01 * obin);
      const vRco001 = f32(vRc00 * obin);
      const idx = ((r0 + 1) * (d + 2) + c0 + 1) * (n + 2) + o0;
      hist[idx] = hist[idx]! + f32(vRc00 - vRco001);
      hist[idx + 1] = hist[idx + 1]! + vRco001;
      hist[idx + (n + 2)] = hist[idx + (n + 2)]! + f32(vRc01 - vRco011);
      hist[idx + (n + 3)] = hist[idx + (n + 3)]! + vRco011;
      hist[idx + (d + 2) * (n + 2)] = hist[idx + (d + 2) * (n + 2)]! + f32(vRc10 - vRco101);
      hist[idx + (d + 2) * (n + 2) + 1] = hist[idx + (d + 2) * (n + 2) + 1]! + vRco101;
      hist[idx + (d + 3) * (n + 2)] = hist[idx + (d + 3) * (n + 2)]! + f32(vRc11 - vRco111);
      hist[idx + (d + 3) * (n + 2) + 1] = hist[idx + (d + 3) * (n + 2) + 1]! + vRco111;
    }
  }
  // The orientation bins are circular: bins n and n + 1 wrap onto 0 and 1.
  const out = new Float32Array(SIFT_DESCRIPTOR_SIZE);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const idx = ((i + 1) * (d + 2) + (j + 1)) * (n + 2);
      hist[idx] = hist[idx]! + hist[idx + n]!;
      hist[idx + 1] = hist[idx + 1]! + hist[idx + n + 1]!;
      for (let k = 0; k < n; k++) out[(i * d + j) * n + k] = hist[idx + k]!;
    }
  }
  let norm2 = 0;
  for (const v of out) norm2 = f32(norm2 + f32(v * v));
  const threshold = f32(f32(Math.sqrt(norm2)) * DESCR_MAG_THR);
  norm2 = 0;
  for (let k = 0; k < out.length; k++) {
    const v = Math.min(out[k]!, threshold);
    out[k] = v;
    norm2 = f32(norm2 + f32(v * v));
  }
  const scale = f32(INT_DESCR_FCTR / Math.max(f32(Math.sqrt(norm2)), FLT_EPSILON));
  for (let k = 0; k < out.length; k++) out[k] = Math.min(255, Math.max(0, cvRound(f32(out[k]! * scale))));
  return out;
}

/** OpenCV's KeyPointsFilter::removeDuplicatedSorted: sorted, exact duplicates (x, y, size, angle) dropped. */
function sortedUnique(found: Found[]): SiftFeatures {
  found.sort(({ keypoint: a }, { keypoint: b }) => a.x - b.x || a.y - b.y || b.size - a.size || a.angle - b.angle || b.response - a.response || b.octave - a.octave);
  const kept: Found[] = [];
  for (const item of found) {
    const last = kept[kept.length - 1]?.keypoint;
    const k = item.keypoint;
    if (last && last.x === k.x && last.y === k.y && last.size === k.size && last.angle === k.angle) continue;
    kept.push(item);
  }
  const descriptors = new Float32Array(kept.length * SIFT_DESCRIPTOR_SIZE);
  kept.forEach((item, i) => descriptors.set(item.descriptor, i * SIFT_DESCRIPTOR_SIZE));
  return { keypoints: kept.map((item) => item.keypoint), descriptors };
}
