/**
 * YOLOX head exported without decoding: [1, N, 5 + classes], anchors on the stride-8, 16 and 32
 * grids in that order, row-major. Per anchor: dx, dy (cells), log w, log h (strides), objectness,
 * class scores (objectness and classes already sigmoid); the score is objectness × class.
 */
import { Candidates } from "./detection.js";
import type { InputTransform } from "./preprocess.js";

const STRIDES = [8, 16, 32];

export interface YoloxOutput {
  data: Float32Array;
  anchors: number;
  classes: number;
  inputWidth: number;
  inputHeight: number;
}

export function decodeYolox(output: YoloxOutput, transform: InputTransform, width: number, height: number, confidence: number): Candidates {
  const { data, classes, inputWidth, inputHeight } = output;
  const stride = 5 + classes;
  const candidates = new Candidates(width, height);
  let anchor = 0;
  for (const step of STRIDES) {
    const columns = Math.floor(inputWidth / step);
    const rows = Math.floor(inputHeight / step);
    for (let gy = 0; gy < rows; gy++) {
      for (let gx = 0; gx < columns; gx++, anchor++) {
        const at = anchor * stride;
        const objectness = data[at + 4]!;
        if (objectness < confidence) continue; // the score cannot exceed it
        let best = 0;
        let bestClass = 0;
        for (let c = 0; c < classes; c++) {
          const score = data[at + 5 + c]!;
          if (score > best) {
            best = score;
            bestClass = c;
          }
        }
        const score = objectness * best;
        if (score < confidence) continue;
        const cx = (data[at]! + gx) * step;
        const cy = (data[at + 1]! + gy) * step;
        const w = Math.exp(data[at + 2]!) * step;
        const h = Math.exp(data[at + 3]!) * step;
        candidates.addInputBox(transform, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, bestClass, anchor);
      }
    }
  }
  if (anchor !== output.anchors) throw new Error(`YOLOX output has ${output.anchors} anchors, the ${inputWidth}x${inputHeight} grids ${anchor}`);
  return candidates;
}
