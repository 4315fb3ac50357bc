/**
 * Detections as the page draws them: read from the grammar's wire format (docs/api.md; the
 * engine's detections-wire.ts writes it: x, y the box centre, width, height in the pixels of
 * `image`; `points` the instance mask's polygon, or Roboflow's `rle_mask` (COCO run-length
 * encoding); `keypoints` with their confidence), coloured as
 * the server's visualization blocks colour them (Roboflow's default palette by class id), and the
 * image to draw them over. Pure.
 */
import { DEFAULT_PALETTE, isRecord } from "@cvflow/wire";
import type { ImageValue } from "./output-values.js";

interface Point {
  x: number;
  y: number;
}

interface Keypoint extends Point {
  confidence: number;
  name: string;
}

export interface DrawnDetection {
  /** Corners in image pixels. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  className: string;
  classId: number;
  confidence: number;
  /** "#rrggbb". */
  color: string;
  label: string;
  /** The instance mask's outline, when it has one. */
  polygon?: Point[];
  /** The instance mask as a bitmap, when it came run-length encoded. */
  mask?: Bitmap;
  keypoints?: Keypoint[];
}

interface ReadDetections {
  /** The size of the image they are in; null when the value does not say. */
  width: number | null;
  height: number | null;
  /** The `parent_id`s of the predictions, each once: the image they were made on. */
  parentIds: string[];
  items: DrawnDetection[];
}

export function paletteColor(classId: number): string {
  const index = ((Math.trunc(classId) % DEFAULT_PALETTE.length) + DEFAULT_PALETTE.length) % DEFAULT_PALETTE.length;
  return `#${DEFAULT_PALETTE[index]}`;
}

const finite = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

export function readDetections(value: Record<string, unknown>): ReadDetections {
  const image = isRecord(value["image"]) ? value["image"] : {};
  const predictions = Array.isArray(value["predictions"]) ? value["predictions"] : [];
  const items: DrawnDetection[] = [];
  const parentIds = new Set<string>();
  for (const raw of predictions) {
    if (!isRecord(raw) || !finite(raw["x"]) || !finite(raw["y"]) || !finite(raw["width"]) || !finite(raw["height"])) continue;
    const { x, y, width, height } = raw as { x: number; y: number; width: number; height: number };
    const classId = finite(raw["class_id"]) ? raw["class_id"] : 0;
    const className = raw["class"] === undefined ? String(classId) : String(raw["class"]);
    const confidence = finite(raw["confidence"]) ? raw["confidence"] : 1;
    if (typeof raw["parent_id"] === "string") parentIds.add(raw["parent_id"]);
    const polygon = points(raw["points"]);
    const keypoints = keypointsOf(raw["keypoints"]);
    const mask = rleMask(raw["rle_mask"]);
    items.push({
      x1: x - width / 2,
      y1: y - height / 2,
      x2: x + width / 2,
      y2: y + height / 2,
      className,
      classId,
      confidence,
      color: paletteColor(classId),
      label: `${className} ${confidence.toFixed(2)}`,
      ...(polygon ? { polygon } : {}),
      ...(mask ? { mask } : {}),
      ...(keypoints ? { keypoints } : {}),
    });
  }
  return {
    width: finite(image["width"]) ? image["width"] : null,
    height: finite(image["height"]) ? image["height"] : null,
    parentIds: [...parentIds],
    items,
  };
}

function points(value: unknown): Point[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const found = value.filter((p): p is Point => isRecord(p) && finite(p["x"]) && finite(p["y"])).map(({ x, y }) => ({ x, y }));
  return found.length >= 3 ? found : undefined;
}

function keypointsOf(value: unknown): Keypoint[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const found = value
    .filter((k): k is Record<string, unknown> & Point => isRecord(k) && finite(k["x"]) && finite(k["y"]))
    .map((k) => ({ x: k.x, y: k.y, confidence: finite(k["confidence"]) ? k["confidence"] : 1, name: k["class"] === undefined ? String(k["class_id"] ?? "") : String(k["class"]) }));
  return found.length > 0 ? found : undefined;
}

/** A mask's pixels, row by row: 1 inside, 0 outside. */
export interface Bitmap {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/**
 * A COCO run-length mask (`{"size": [height, width], "counts": ...}`): run lengths alternating
 * outside and inside, starting outside, down each column in turn; `counts` a list of them or
 * pycocotools' compressed string (each run a variable-length group of 5-bit characters from
 * "0" (48), a delta from the run two before from the third on). Undefined when it is not one.
 */
export function rleMask(value: unknown): Bitmap | undefined {
  if (!isRecord(value) || !Array.isArray(value["size"])) return undefined;
  const [height, width] = value["size"] as unknown[];
  if (!finite(height) || !finite(width) || height <= 0 || width <= 0) return undefined;
  const counts = value["counts"];
  const runs = typeof counts === "string" ? decodeRuns(counts) : Array.isArray(counts) && counts.every(finite) ? counts : undefined;
  if (!runs) return undefined;
  const pixels = new Uint8Array(width * height);
  let at = 0;
  runs.forEach((run, i) => {
    const end = Math.min(at + Math.max(0, run), pixels.length);
    if (i % 2 === 1) for (let k = at; k < end; k++) pixels[(k % height) * width + Math.floor(k / height)] = 1;
    at = end;
  });
  return { width, height, pixels };
}

function decodeRuns(text: string): number[] {
  const runs: number[] = [];
  let p = 0;
  while (p < text.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more && p < text.length) {
      const c = text.charCodeAt(p) - 48;
      x |= (c & 0x1f) << (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && (c & 0x10) !== 0) x |= -1 << (5 * k);
    }
    if (runs.length > 2) x += runs[runs.length - 2]!;
    runs.push(x);
  }
  return runs;
}

/** The detections at or above `minConfidence`: what the slider leaves drawn. */
export function visibleDetections(items: readonly DrawnDetection[], minConfidence: number): DrawnDetection[] {
  return items.filter((item) => item.confidence >= minConfidence);
}

/** The size to draw on when no image fits: the value's own, else enough to hold every box. */
export function canvasSize(read: ReadDetections): { width: number; height: number } {
  if (read.width && read.height) return { width: read.width, height: read.height };
  const right = Math.max(1, ...read.items.map((item) => item.x2));
  const bottom = Math.max(1, ...read.items.map((item) => item.y2));
  return { width: Math.ceil(right), height: Math.ceil(bottom) };
}

/** An image the detections may be drawn over: an input image by name, or an image among the outputs. */
export type Background = { source: "input"; name: string } | { source: "output"; image: ImageValue };

/**
 * Where to look for the detections' image, best first; the caller takes the first whose size is
 * the detections' `image` size. The image they were made on, by its id: an input named by their
 * `parent_id` (an input image's detections name the input), or an output image with that
 * `parent_id` (a crop, for detections in its own coordinates); then the run's only input image;
 * then the outputs' images (an annotated copy of the input has its size).
 */
export function backgroundCandidates(read: ReadDetections, inputNames: readonly string[], outputImages: readonly ImageValue[]): Background[] {
  const candidates: Background[] = [];
  const add = (candidate: Background) => {
    if (!candidates.some((c) => (c.source === "input" ? candidate.source === "input" && c.name === candidate.name : candidate.source === "output" && c.image === candidate.image))) candidates.push(candidate);
  };
  for (const id of read.parentIds) {
    if (inputNames.includes(id)) add({ source: "input", name: id });
    for (const image of outputImages) if (image["parent_id"] === id) add({ source: "output", image });
  }
  if (inputNames.length === 1) add({ source: "input", name: inputNames[0]! });
  for (const image of outputImages) add({ source: "output", image });
  return candidates;
}

/** A label's font size for an image: readable when the image is shown shrunk to a column's width. */
export function labelFontPx(width: number, height: number): number {
  return Math.max(12, Math.round(Math.min(width, height) / 45));
}
