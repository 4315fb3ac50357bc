/**
 * YOLOv8 / YOLO11 head, as Ultralytics exports it: [1, 4 + classes (+ mask coefficients), N],
 * one column per anchor — cx, cy, w, h in input pixels, then class scores (already sigmoid).
 */
import { Candidates } from "./detection.js";
import type { InputTransform } from "./preprocess.js";

export interface Yolov8Output {
  data: Float32Array;
  /** Rows: 4 + classes + extra (32 mask coefficients for -seg). */
  rows: number;
  anchors: number;
  classes: number;
}

export function decodeYolov8(output: Yolov8Output, transform: InputTransform, width: number, height: number, confidence: number): Candidates {
  const { data, anchors: n, classes } = output;
  // Best class per anchor, a row at a time: the rows are contiguous, the columns are not.
  const best = data.slice(4 * n, 5 * n);
  const bestClass = new Int32Array(n);
  for (let c = 1; c < classes; c++) {
    const row = data.subarray((4 + c) * n, (5 + c) * n);
    for (let i = 0; i < n; i++) {
      if (row[i]! > best[i]!) {
        best[i] = row[i]!;
        bestClass[i] = c;
      }
    }
  }
  const candidates = new Candidates(width, height);
  for (let i = 0; i < n; i++) {
    const score = best[i]!;
    if (score < confidence) continue;
    const cx = data[i]!, cy = data[n + i]!, w = data[2 * n + i]!, h = data[3 * n + i]!;
    candidates.addInputBox(transform, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, bestClass[i]!, i);
  }
  return candidates;
}
