/**
 * Camera motion compensation for BoT-SORT, the `sparseOptFlow` way of BoT-SORT's GMC (what
 * Roboflow's default cmc_method runs with OpenCV): corners of the previous frame (minimum
 * eigenvalue of the gradients' structure, as goodFeaturesToTrack), away from the frame's border
 * and from the objects being tracked, followed into this frame by pyramidal Lucas-Kanade optical
 * flow, and a rotation + uniform scale + translation fitted to their motion with RANSAC (as
 * estimateAffinePartial2D). All on the grey frame shrunk by `downscale`.
 *
 * The previous frame is part of the tracker's state, so it is kept as JSON data: its grey pixels
 * base64-encoded (a 768 × 576 video at downscale 2 keeps 147 kB).
 */
import type { RawPixels } from "@cvflow/vision";
import type { Box } from "./tracker-family.js";

export interface CmcState {
  width: number;
  height: number;
  /** Grey pixels of the previous frame, shrunk, base64. */
  grey: string;
}

interface Grey {
  width: number;
  height: number;
  data: Float32Array;
}

const MAX_CORNERS = 400;
/** One corner per cell at most, so that they spread over the frame. */
const CELL = 8;
const QUALITY = 0.01;
const BORDER = 0.02;
const LEVELS = 3;
const HALF_WINDOW = 7;
const ITERATIONS = 10;
const RANSAC_ROUNDS = 200;
/** Pixels (of the shrunk frame) a point may be off the fitted motion and still count as moving with the camera. */
const RANSAC_TOLERANCE = 3;

/**
 * The camera's motion from the previous frame to `frame` as a 2 × 3 affine map [a, b, tx, c, d, ty]
 * of full-size pixel coordinates, or null when it cannot be told (first frame, a frame of another
 * size, too few trackable corners); and the state to keep for the next frame.
 */
export function estimateCameraMotion(previous: CmcState | null, frame: RawPixels, downscale: number, objects: readonly Box[]): { affine: number[] | null; next: CmcState } {
  const scale = Math.max(1, Math.floor(downscale));
  const grey = shrinkToGrey(frame, scale);
  const bytes = new Uint8Array(grey.data.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(grey.data[i]!);
  const next = { width: grey.width, height: grey.height, grey: Buffer.from(bytes.buffer).toString("base64") };
  if (!previous || previous.width !== grey.width || previous.height !== grey.height) return { affine: null, next };
  const before: Grey = { width: previous.width, height: previous.height, data: new Float32Array(Buffer.from(previous.grey, "base64")) };
  const levels = pyramid(before).map(withGradients);
  const corners = findCorners(levels[0]!, objects.map((b) => b.map((v) => v / scale) as Box));
  const flows = followCorners(levels, pyramid(grey), corners);
  const fit = fitSimilarity(flows);
  if (!fit) return { affine: null, next };
  const [a, b, tx, c, d, ty] = fit as [number, number, number, number, number, number];
  return { affine: [a, b, tx * scale, c, d, ty * scale], next };
}

/** Grey (BT.601 luma) averaged over scale × scale blocks. */
function shrinkToGrey(frame: RawPixels, scale: number): Grey {
  const width = Math.floor(frame.width / scale);
  const height = Math.floor(frame.height / scale);
  const data = new Float32Array(width * height);
  const { channels } = frame;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < scale; dy++) {
        let o = ((y * scale + dy) * frame.width + x * scale) * channels;
        for (let dx = 0; dx < scale; dx++, o += channels) {
          sum += channels === 1 ? frame.data[o]! : 0.299 * frame.data[o]! + 0.587 * frame.data[o + 1]! + 0.114 * frame.data[o + 2]!;
        }
      }
      data[y * width + x] = sum / (scale * scale);
    }
  }
  return { width, height, data };
}

function halve(g: Grey): Grey {
  const width = g.width >> 1;
  const height = g.height >> 1;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = 2 * y * g.width + 2 * x;
      data[y * width + x] = (g.data[o]! + g.data[o + 1]! + g.data[o + g.width]! + g.data[o + g.width + 1]!) / 4;
    }
  }
  return { width, height, data };
}

function pyramid(g: Grey): Grey[] {
  const levels = [g];
  while (levels.length < LEVELS && levels.at(-1)!.width >= 32 && levels.at(-1)!.height >= 32) levels.push(halve(levels.at(-1)!));
  return levels;
}

/** A grey image with its central-difference gradients. */
interface Level extends Grey {
  gx: Float32Array;
  gy: Float32Array;
}

function withGradients(g: Grey): Level {
  const { width, height, data } = g;
  const gx = new Float32Array(width * height);
  const gy = new Float32Array(width * height);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const o = y * width + x;
      gx[o] = (data[o + 1]! - data[o - 1]!) / 2;
      gy[o] = (data[o + width]! - data[o - width]!) / 2;
    }
  }
  return { ...g, gx, gy };
}

const SIDE = 2 * HALF_WINDOW + 1;

/** `values` sampled bilinearly on the window centred on (x, y) into `out`; outside the image, the nearest edge pixel. */
function window(values: Float32Array, width: number, height: number, x: number, y: number, out: Float32Array): void {
  const left = x - HALF_WINDOW;
  const top = y - HALF_WINDOW;
  const x0 = Math.floor(left);
  const y0 = Math.floor(top);
  const fx = left - x0;
  const fy = top - y0;
  const w00 = (1 - fx) * (1 - fy);
  const w01 = fx * (1 - fy);
  const w10 = (1 - fx) * fy;
  const w11 = fx * fy;
  const inside = x0 >= 0 && y0 >= 0 && x0 + SIDE < width && y0 + SIDE < height;
  let k = 0;
  for (let j = 0; j < SIDE; j++) {
    for (let i = 0; i < SIDE; i++, k++) {
      if (inside) {
        const o = (y0 + j) * width + x0 + i;
        out[k] = w00 * values[o]! + w01 * values[o + 1]! + w10 * values[o + width]! + w11 * values[o + width + 1]!;
      } else {
        const cx = Math.min(Math.max(x0 + i, 0), width - 2);
        const cy = Math.min(Math.max(y0 + j, 0), height - 2);
        const o = cy * width + cx;
        out[k] = w00 * values[o]! + w01 * values[o + 1]! + w10 * values[o + width]! + w11 * values[o + width + 1]!;
      }
    }
  }
}

/** Corners: the smaller eigenvalue of the 3 × 3 summed gradient structure, the best per cell, outside the border and the objects. */
function findCorners(g: Level, objects: readonly Box[]): [number, number][] {
  const { width, height, gx, gy } = g;
  const n = width * height;
  const xx = new Float32Array(n);
  const xy = new Float32Array(n);
  const yy = new Float32Array(n);
  for (let o = 0; o < n; o++) {
    xx[o] = gx[o]! * gx[o]!;
    xy[o] = gx[o]! * gy[o]!;
    yy[o] = gy[o]! * gy[o]!;
  }
  const box3 = (a: Float32Array, o: number) =>
    a[o - width - 1]! + a[o - width]! + a[o - width + 1]! + a[o - 1]! + a[o]! + a[o + 1]! + a[o + width - 1]! + a[o + width]! + a[o + width + 1]!;
  const x0 = Math.max(2, Math.ceil(BORDER * width));
  const y0 = Math.max(2, Math.ceil(BORDER * height));
  const x1 = Math.min(width - 2, Math.floor((1 - BORDER) * width));
  const y1 = Math.min(height - 2, Math.floor((1 - BORDER) * height));
  const masked = new Uint8Array(n);
  for (const [l, t, r, b] of objects) {
    for (let y = Math.max(0, Math.floor(t)); y <= Math.min(height - 1, Math.ceil(b)); y++) {
      masked.fill(1, y * width + Math.max(0, Math.floor(l)), y * width + Math.min(width - 1, Math.ceil(r)) + 1);
    }
  }
  const cellsPerRow = Math.ceil(width / CELL);
  const cellScore = new Float32Array(cellsPerRow * Math.ceil(height / CELL));
  const cellAt = new Int32Array(cellScore.length).fill(-1);
  let strongest = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const o = y * width + x;
      if (masked[o]) continue;
      const a = box3(xx, o);
      const b = box3(xy, o);
      const c = box3(yy, o);
      const score = (a + c) / 2 - Math.sqrt(((a - c) / 2) ** 2 + b * b);
      if (score <= 0) continue;
      strongest = Math.max(strongest, score);
      const cell = Math.floor(y / CELL) * cellsPerRow + Math.floor(x / CELL);
      if (cellScore[cell]! < score) {
        cellScore[cell] = score;
        cellAt[cell] = o;
      }
    }
  }
  const found: { o: number; score: number }[] = [];
  cellAt.forEach((o, cell) => {
    if (o >= 0 && cellScore[cell]! >= QUALITY * strongest) found.push({ o, score: cellScore[cell]! });
  });
  return found
    .sort((p, q) => q.score - p.score)
    .slice(0, MAX_CORNERS)
    .map(({ o }) => [o % width, Math.floor(o / width)]);
}

/** Pyramidal Lucas-Kanade: where each corner of `before` is in `after`; [x, y, x', y'] for those followed. */
function followCorners(before: Level[], after: Grey[], corners: readonly [number, number][]): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  const n = SIDE * SIDE;
  const ix = new Float32Array(n);
  const iy = new Float32Array(n);
  const iv = new Float32Array(n);
  const jv = new Float32Array(n);
  for (const [px, py] of corners) {
    let dx = 0;
    let dy = 0;
    let lost = false;
    for (let level = before.length - 1; level >= 0 && !lost; level--) {
      const I = before[level]!;
      const J = after[level]!;
      const x = px / 2 ** level;
      const y = py / 2 ** level;
      // The window's values and gradients in `before`, fixed over the iterations.
      window(I.gx, I.width, I.height, x, y, ix);
      window(I.gy, I.width, I.height, x, y, iy);
      window(I.data, I.width, I.height, x, y, iv);
      let gxx = 0;
      let gxy = 0;
      let gyy = 0;
      for (let k = 0; k < n; k++) {
        gxx += ix[k]! * ix[k]!;
        gxy += ix[k]! * iy[k]!;
        gyy += iy[k]! * iy[k]!;
      }
      const det = gxx * gyy - gxy * gxy;
      const minEigen = (gxx + gyy) / 2 - Math.sqrt(((gxx - gyy) / 2) ** 2 + gxy * gxy);
      // A flat or edge-only window cannot say where it went.
      if (det <= 1e-6 || minEigen / n < 1e-2) {
        lost = true;
        break;
      }
      for (let it = 0; it < ITERATIONS; it++) {
        window(J.data, J.width, J.height, x + dx, y + dy, jv);
        let bx = 0;
        let by = 0;
        for (let k = 0; k < n; k++) {
          const diff = iv[k]! - jv[k]!;
          bx += diff * ix[k]!;
          by += diff * iy[k]!;
        }
        const sx = (gyy * bx - gxy * by) / det;
        const sy = (gxx * by - gxy * bx) / det;
        dx += sx;
        dy += sy;
        if (sx * sx + sy * sy < 1e-4) break;
      }
      if (level > 0) {
        dx *= 2;
        dy *= 2;
      }
    }
    const qx = px + dx;
    const qy = py + dy;
    const inside = qx >= 0 && qy >= 0 && qx <= before[0]!.width - 1 && qy <= before[0]!.height - 1;
    if (!lost && inside && Number.isFinite(qx) && Number.isFinite(qy)) out.push([px, py, qx, qy]);
  }
  return out;
}

/** [a, -b, tx, b, a, ty] mapping (x, y) to (x', y') in the least-squares sense, or null for fewer than 2 pairs. */
function leastSquaresSimilarity(pairs: readonly (readonly number[])[]): number[] | null {
  const n = pairs.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  let mu = 0;
  let mv = 0;
  for (const [x, y, u, v] of pairs) {
    mx += x! / n;
    my += y! / n;
    mu += u! / n;
    mv += v! / n;
  }
  let sxx = 0;
  let sa = 0;
  let sb = 0;
  for (const [x, y, u, v] of pairs) {
    const cx = x! - mx;
    const cy = y! - my;
    const cu = u! - mu;
    const cv = v! - mv;
    sxx += cx * cx + cy * cy;
    sa += cx * cu + cy * cv;
    sb += cx * cv - cy * cu;
  }
  if (sxx === 0) return null;
  const a = sa / sxx;
  const b = sb / sxx;
  return [a, -b, mu - a * mx + b * my, b, a, mv - b * mx - a * my];
}

/** RANSAC over pairs of point pairs (a deterministic sequence of draws), then a refit on the consensus. */
function fitSimilarity(flows: readonly [number, number, number, number][]): number[] | null {
  if (flows.length < 4) return null;
  const residual = (m: number[], [x, y, u, v]: readonly number[]) => Math.hypot(m[0]! * x! + m[1]! * y! + m[2]! - u!, m[3]! * x! + m[4]! * y! + m[5]! - v!);
  let seed = 12345;
  const draw = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % flows.length;
  };
  let consensus: (readonly number[])[] = [];
  for (let round = 0; round < RANSAC_ROUNDS; round++) {
    const i = draw();
    const j = draw();
    if (i === j) continue;
    const m = leastSquaresSimilarity([flows[i]!, flows[j]!]);
    if (!m) continue;
    const inliers = flows.filter((f) => residual(m, f) <= RANSAC_TOLERANCE);
    if (inliers.length > consensus.length) consensus = inliers;
  }
  // Too few points agreeing on one motion: no estimate rather than a wrong one.
  if (consensus.length < Math.max(4, flows.length * 0.25)) return null;
  return leastSquaresSimilarity(consensus);
}
