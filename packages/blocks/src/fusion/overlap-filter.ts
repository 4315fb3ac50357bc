/**
 * Filtering of overlapping detections as supervision's `with_nms` / `with_nmm` do it (the
 * reference implementation's stitching relies on them). Overlap is box IoU, or mask IoU where
 * both detections have masks (supervision measures masks after scaling them to 640 px; here they
 * are measured at full size). Both are class-aware.
 *
 * - NMS: most confident first, a detection drops every later one of its class overlapping it by
 *   more than the threshold; survivors keep their original order.
 * - NMM: per class (in ascending class id), the most confident remaining detection gathers every
 *   other one overlapping it by at least the threshold (for masks, overlapping the union gathered
 *   so far); each group becomes one detection: the union box (and mask), confidence the
 *   area-weighted mean folded in pairwise, class and data of the most confident member.
 */
import type { BitMask, Detections } from "@cvflow/engine";

interface MaskExtent {
  mask: BitMask;
  /** Bounding rectangle of the set pixels, end exclusive, and their count. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  area: number;
}

function extentOf(mask: BitMask): MaskExtent {
  let x1 = mask.width, y1 = mask.height, x2 = 0, y2 = 0, area = 0;
  for (let y = 0; y < mask.height; y++) {
    const row = y * mask.width;
    for (let x = 0; x < mask.width; x++) {
      if (!mask.data[row + x]) continue;
      area++;
      if (x < x1) x1 = x;
      if (x >= x2) x2 = x + 1;
      if (y < y1) y1 = y;
      y2 = y + 1;
    }
  }
  return { mask, x1, y1, x2, y2, area };
}

function maskIou(a: MaskExtent, b: MaskExtent): number {
  let inter = 0;
  const x1 = Math.max(a.x1, b.x1), x2 = Math.min(a.x2, b.x2);
  for (let y = Math.max(a.y1, b.y1); y < Math.min(a.y2, b.y2); y++) {
    const ra = y * a.mask.width, rb = y * b.mask.width;
    for (let x = x1; x < x2; x++) if (a.mask.data[ra + x] && b.mask.data[rb + x]) inter++;
  }
  const union = a.area + b.area - inter;
  return union !== 0 ? inter / union : 0;
}

function boxArea(b: readonly number[]): number {
  return (b[2]! - b[0]!) * (b[3]! - b[1]!);
}

/** supervision's box IoU: signed areas, intersection clipped at 0, 0 when the union is 0. */
export function boxIou(a: readonly number[], b: readonly number[]): number {
  const inter = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!)) * Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const union = boxArea(a) + boxArea(b) - inter;
  return union !== 0 ? inter / union : 0;
}

function maskOr(a: BitMask | null, b: BitMask | null): BitMask | null {
  if (!a || !b) return a ?? b;
  const data = new Uint8Array(a.data.length);
  for (let i = 0; i < data.length; i++) data[i] = a.data[i]! | b.data[i]!;
  return { width: a.width, height: a.height, data };
}

class Overlaps {
  private readonly extents: (MaskExtent | null)[] | undefined;

  constructor(private readonly d: Detections) {
    this.extents = d.masks?.map((m) => (m ? extentOf(m) : null));
  }

  extent(i: number): MaskExtent | null {
    return this.extents?.[i] ?? null;
  }

  iou(i: number, j: number): number {
    const a = this.extent(i), b = this.extent(j);
    return a && b ? maskIou(a, b) : boxIou(this.d.box(i), this.d.box(j));
  }
}

/** Indices by ascending confidence, ties in index order (numpy's argsort on the short arrays at hand). */
function ascendingByConfidence(d: Detections, indices: readonly number[]): number[] {
  return [...indices].sort((a, b) => d.confidence[a]! - d.confidence[b]! || a - b);
}

export function nonMaxSuppression(d: Detections, threshold: number): Detections {
  const overlaps = new Overlaps(d);
  const order = ascendingByConfidence(d, Array.from({ length: d.length }, (_, i) => i)).reverse();
  const kept = new Uint8Array(d.length).fill(1);
  for (let a = 0; a < order.length; a++) {
    const i = order[a]!;
    if (!kept[i]) continue;
    for (let b = a + 1; b < order.length; b++) {
      const j = order[b]!;
      if (kept[j] && d.classId[i] === d.classId[j] && overlaps.iou(i, j) > threshold) kept[j] = 0;
    }
  }
  return d.filter((i) => kept[i] === 1);
}

export function nonMaxMerge(d: Detections, threshold: number): Detections {
  const overlaps = new Overlaps(d);
  const groups: number[][] = [];
  for (const classId of [...new Set(d.classId)].sort((a, b) => a - b)) {
    let order = ascendingByConfidence(d, [...d.classId.keys()].filter((i) => d.classId[i] === classId));
    while (order.length > 0) {
      const leader = order.pop()!;
      const group = [leader];
      const leaderExtent = overlaps.extent(leader);
      if (leaderExtent) {
        // Masks: keep gathering whatever overlaps the union gathered so far.
        let union = leaderExtent;
        for (;;) {
          const joining = order.filter((j) => {
            const e = overlaps.extent(j);
            return (e ? maskIou(union, e) : boxIou(d.box(leader), d.box(j))) >= threshold;
          });
          if (joining.length === 0) break;
          group.push(...[...joining].reverse());
          order = order.filter((j) => !joining.includes(j));
          union = extentOf(joining.reduce<BitMask | null>((m, j) => maskOr(m, d.masks![j] ?? null), union.mask)!);
        }
      } else {
        const joining = order.filter((j) => overlaps.iou(leader, j) >= threshold);
        group.push(...[...joining].reverse());
        order = order.filter((j) => !joining.includes(j));
      }
      groups.push(group);
    }
  }
  return mergeGroups(d, groups);
}

/** Each group folded pairwise into its first member, as supervision merges a pair at a time. */
function mergeGroups(d: Detections, groups: readonly number[][]): Detections {
  const winners: number[] = [];
  const xyxy: number[] = [];
  const confidence: number[] = [];
  const masks: (BitMask | null)[] = [];
  for (const [first, ...rest] of groups) {
    let box = d.box(first!);
    let conf = d.confidence[first!]!;
    let mask = d.masks?.[first!] ?? null;
    let winner = first!;
    for (const j of rest) {
      const other = d.box(j);
      const a1 = boxArea(box);
      const a2 = boxArea(other);
      if (conf < d.confidence[j]!) winner = j;
      conf = (a1 * conf + a2 * d.confidence[j]!) / (a1 + a2);
      box = [Math.min(box[0], other[0]), Math.min(box[1], other[1]), Math.max(box[2], other[2]), Math.max(box[3], other[3])];
      mask = maskOr(mask, d.masks?.[j] ?? null);
    }
    winners.push(winner);
    xyxy.push(...box);
    confidence.push(conf);
    masks.push(mask);
  }
  return d.select(winners).with({ xyxy, confidence, masks: d.masks && masks });
}
