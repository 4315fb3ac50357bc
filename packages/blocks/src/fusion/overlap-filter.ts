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
import { combineMasks, intersect, maskExtent, overlapArea, type MaskExtent } from "@cvflow/vision";

/** A mask with the bounding rectangle of its set pixels and their count. */
interface MeasuredMask extends MaskExtent {
  mask: BitMask;
}

function extentOf(mask: BitMask): MeasuredMask {
  return { mask, ...maskExtent(mask) };
}

function maskIou(a: MeasuredMask, b: MeasuredMask): number {
  const inter = overlapArea(a.mask, b.mask, intersect(a, b));
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
  return a && b ? combineMasks([a, b], "union") : (a ?? b);
}

class Overlaps {
  private readonly extents: (MeasuredMask | null)[] | undefined;

  constructor(private readonly d: Detections) {
    this.extents = d.masks?.map((m) => (m ? extentOf(m) : null));
  }

  extent(i: number): MeasuredMask | null {
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
