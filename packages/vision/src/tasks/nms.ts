/**
 * Non-maximum suppression over xyxy boxes: keep the most confident box, drop those overlapping
 * it by more than `iouThreshold`, repeat. Class-aware unless `classAgnostic`.
 */

export function boxIou(boxes: ArrayLike<number>, a: number, b: number): number {
  const ax1 = boxes[a * 4]!, ay1 = boxes[a * 4 + 1]!, ax2 = boxes[a * 4 + 2]!, ay2 = boxes[a * 4 + 3]!;
  const bx1 = boxes[b * 4]!, by1 = boxes[b * 4 + 1]!, bx2 = boxes[b * 4 + 2]!, by2 = boxes[b * 4 + 3]!;
  const w = Math.min(ax2, bx2) - Math.max(ax1, bx1);
  const h = Math.min(ay2, by2) - Math.max(ay1, by1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
  return union > 0 ? inter / union : 0;
}

export interface NmsOptions {
  iouThreshold: number;
  classAgnostic?: boolean;
  /** Keep at most this many. */
  maxDetections?: number;
}

/** Indices of the boxes kept, most confident first. */
export function nms(boxes: ArrayLike<number>, scores: ArrayLike<number>, classIds: ArrayLike<number>, options: NmsOptions): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const suppressed = new Uint8Array(scores.length);
  const kept: number[] = [];
  const limit = options.maxDetections ?? Infinity;
  for (let i = 0; i < order.length && kept.length < limit; i++) {
    const a = order[i]!;
    if (suppressed[a]) continue;
    kept.push(a);
    for (let j = i + 1; j < order.length; j++) {
      const b = order[j]!;
      if (suppressed[b]) continue;
      if (!options.classAgnostic && classIds[a] !== classIds[b]) continue;
      if (boxIou(boxes, a, b) > options.iouThreshold) suppressed[b] = 1;
    }
  }
  return kept;
}
