/**
 * UltraFace (Ultra-Light-Fast-Generic-Face-Detector): scores [1, N, 2] (background, face; already
 * softmax) and boxes [1, N, 4] as x1, y1, x2, y2 normalised to the whole (stretched) image.
 */
import { Candidates } from "./detection.js";

export function decodeUltraface(scores: Float32Array, boxes: Float32Array, width: number, height: number, confidence: number): Candidates {
  const candidates = new Candidates(width, height);
  const count = scores.length / 2;
  for (let i = 0; i < count; i++) {
    const score = scores[i * 2 + 1]!;
    if (score < confidence) continue;
    candidates.add(boxes[i * 4]! * width, boxes[i * 4 + 1]! * height, boxes[i * 4 + 2]! * width, boxes[i * 4 + 3]! * height, score, 0, i);
  }
  return candidates;
}
