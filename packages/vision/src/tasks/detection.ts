/**
 * What every detector's decoder shares: candidates above the confidence threshold (boxes already
 * in image pixels), then Roboflow's selection — the most confident `maxCandidates`, NMS
 * (class-aware or agnostic), the class filter, `maxDetections` — and the result arrays.
 */
import type { DetectionParams, DetectionResult } from "../models/types.js";
import type { InputTransform } from "./preprocess.js";
import { toImageX, toImageY } from "./preprocess.js";
import { nms } from "./nms.js";

/** Roboflow's defaults for its detection models. */
export const DETECTION_DEFAULTS = { confidence: 0.4, iouThreshold: 0.3, maxDetections: 300, maxCandidates: 3000 } as const;

/** Boxes that passed the confidence threshold; `anchor` is the output column each came from. */
export class Candidates {
  readonly boxes: number[] = [];
  readonly scores: number[] = [];
  readonly classIds: number[] = [];
  readonly anchors: number[] = [];

  constructor(readonly width: number, readonly height: number) {}

  get count(): number {
    return this.scores.length;
  }

  /** Adds an input-space box (x1, y1, x2, y2), mapped back to the image and clipped to it. */
  addInputBox(transform: InputTransform, x1: number, y1: number, x2: number, y2: number, score: number, classId: number, anchor: number): void {
    this.add(toImageX(transform, x1), toImageY(transform, y1), toImageX(transform, x2), toImageY(transform, y2), score, classId, anchor);
  }

  /** Adds an image-space box, clipped to the image. */
  add(x1: number, y1: number, x2: number, y2: number, score: number, classId: number, anchor: number): void {
    this.boxes.push(clamp(x1, this.width), clamp(y1, this.height), clamp(x2, this.width), clamp(y2, this.height));
    this.scores.push(score);
    this.classIds.push(classId);
    this.anchors.push(anchor);
  }
}

export function confidenceOf(params: DetectionParams | undefined): number {
  return params?.confidence ?? DETECTION_DEFAULTS.confidence;
}

/** Indices (into the candidates) of the detections kept, most confident first. */
export function selectDetections(candidates: Candidates, classes: readonly string[], params: DetectionParams = {}): number[] {
  const maxCandidates = params.maxCandidates ?? DETECTION_DEFAULTS.maxCandidates;
  const maxDetections = params.maxDetections ?? DETECTION_DEFAULTS.maxDetections;
  let pool = Array.from({ length: candidates.count }, (_, i) => i);
  if (pool.length > maxCandidates) pool = pool.sort((a, b) => candidates.scores[b]! - candidates.scores[a]!).slice(0, maxCandidates);
  const boxes = new Float32Array(pool.length * 4);
  pool.forEach((from, to) => boxes.set(candidates.boxes.slice(from * 4, from * 4 + 4), to * 4));
  const filter = params.classFilter?.length ? new Set(params.classFilter) : null;
  // As Roboflow does, the class filter applies to what NMS kept (it matters for agnostic NMS).
  const kept = nms(boxes, pool.map((i) => candidates.scores[i]!), pool.map((i) => candidates.classIds[i]!), {
    iouThreshold: params.iouThreshold ?? DETECTION_DEFAULTS.iouThreshold,
    classAgnostic: params.classAgnosticNms ?? false,
    ...(filter ? {} : { maxDetections }),
  }).map((i) => pool[i]!);
  const chosen = filter ? kept.filter((i) => filter.has(className(classes, candidates.classIds[i]!))) : kept;
  return chosen.slice(0, maxDetections);
}

export function detectionResult(candidates: Candidates, chosen: readonly number[], classes: readonly string[]): DetectionResult {
  const boxes = new Float32Array(chosen.length * 4);
  chosen.forEach((from, to) => boxes.set(candidates.boxes.slice(from * 4, from * 4 + 4), to * 4));
  const classId = Int32Array.from(chosen, (i) => candidates.classIds[i]!);
  return {
    width: candidates.width,
    height: candidates.height,
    boxes,
    confidence: Float32Array.from(chosen, (i) => candidates.scores[i]!),
    classId,
    className: Array.from(classId, (id) => className(classes, id)),
  };
}

function className(classes: readonly string[], id: number): string {
  return classes[id] ?? String(id);
}

function clamp(value: number, high: number): number {
  return Math.min(Math.max(value, 0), high);
}
