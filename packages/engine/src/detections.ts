/**
 * Detections: the one internal, columnar representation of object-detection, instance-
 * segmentation and keypoint predictions. Columns are parallel arrays; a Detections value is
 * never mutated — operations return a new one sharing what did not change.
 */

export interface ImageSize {
  width: number;
  height: number;
}

/**
 * A binary mask on the image the detections refer to, stored only within a window that holds all
 * of its set pixels (a detection's box, as a rule): one byte per pixel of the window, 0 or 1;
 * every pixel outside the window is 0. A mask costs what its object covers, not the image's size
 * (300 image-size masks of a 40-megapixel image would be 12 GB). The operations that read and make
 * masks are @cvflow/vision's bit-masks.ts.
 */
export interface BitMask {
  /** The image the mask lies on. */
  width: number;
  height: number;
  /** The window: columns [left, left + columns) and rows [top, top + rows), inside the image. */
  left: number;
  top: number;
  columns: number;
  rows: number;
  /** columns x rows bytes, row by row. */
  data: Uint8Array;
}

export interface Keypoint {
  x: number;
  y: number;
  confidence: number;
  classId: number;
  className: string;
}

/** Where a crop sits in its parent: the wire format's `parent_origin`. */
export interface ParentOrigin {
  offset_x: number;
  offset_y: number;
  width: number;
  height: number;
}

/**
 * The data column that holds each detection's tracker id (supervision's `Detections.tracker_id`,
 * the wire format's `tracker_id`): an integer, or null for a detection no tracker has seen. It is a
 * data column so that every operation that keeps per-detection data (select, filter, concat,
 * crops) keeps it too.
 */
export const TRACKER_ID_KEY = "tracker_id";

export interface DetectionsInit {
  image: ImageSize;
  /** x1, y1, x2, y2 for each detection, flattened. */
  xyxy: ArrayLike<number>;
  confidence: ArrayLike<number>;
  classId: ArrayLike<number>;
  className: readonly string[];
  detectionId?: readonly string[];
  parentId?: readonly (string | null)[];
  masks?: readonly (BitMask | null)[];
  keypoints?: readonly (Keypoint[] | null)[];
  /** Further per-detection columns, keyed by their wire-format name. */
  data?: Readonly<Record<string, readonly unknown[]>>;
}

export class Detections {
  readonly image: ImageSize;
  readonly xyxy: Float64Array;
  readonly confidence: Float64Array;
  readonly classId: Int32Array;
  readonly className: readonly string[];
  readonly detectionId: readonly string[];
  readonly parentId: readonly (string | null)[];
  readonly masks: readonly (BitMask | null)[] | undefined;
  readonly keypoints: readonly (Keypoint[] | null)[] | undefined;
  readonly data: Readonly<Record<string, readonly unknown[]>>;

  constructor(init: DetectionsInit) {
    const n = init.className.length;
    if (init.xyxy.length !== n * 4 || init.confidence.length !== n || init.classId.length !== n) {
      throw new RangeError(
        `Detections columns disagree: ${n} class names, ${init.xyxy.length / 4} boxes, ` +
          `${init.confidence.length} confidences, ${init.classId.length} class ids`,
      );
    }
    this.image = { width: init.image.width, height: init.image.height };
    this.xyxy = Float64Array.from(init.xyxy);
    this.confidence = Float64Array.from(init.confidence);
    this.classId = Int32Array.from(init.classId);
    this.className = init.className;
    this.detectionId = init.detectionId ?? Array.from({ length: n }, () => crypto.randomUUID());
    this.parentId = init.parentId ?? new Array<string | null>(n).fill(null);
    this.masks = init.masks;
    this.keypoints = init.keypoints;
    this.data = init.data ?? {};
    for (const [key, column] of Object.entries(this.data)) {
      if (column.length !== n) throw new RangeError(`Detections column "${key}" has ${column.length} rows, expected ${n}`);
    }
  }

  static empty(image: ImageSize): Detections {
    return new Detections({ image, xyxy: [], confidence: [], classId: [], className: [], detectionId: [], parentId: [] });
  }

  get length(): number {
    return this.className.length;
  }

  box(i: number): [number, number, number, number] {
    const o = i * 4;
    return [this.xyxy[o]!, this.xyxy[o + 1]!, this.xyxy[o + 2]!, this.xyxy[o + 3]!];
  }

  area(i: number): number {
    const [x1, y1, x2, y2] = this.box(i);
    return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  }

  /** The detections at `indices`, in that order (repeats allowed). */
  select(indices: readonly number[]): Detections {
    const xyxy = new Float64Array(indices.length * 4);
    indices.forEach((src, dst) => xyxy.set(this.xyxy.subarray(src * 4, src * 4 + 4), dst * 4));
    const pick = <T>(column: readonly T[]): T[] => indices.map((i) => column[i]!);
    return new Detections({
      image: this.image,
      xyxy,
      confidence: indices.map((i) => this.confidence[i]!),
      classId: indices.map((i) => this.classId[i]!),
      className: pick(this.className),
      detectionId: pick(this.detectionId),
      parentId: pick(this.parentId),
      masks: this.masks && pick(this.masks),
      keypoints: this.keypoints && pick(this.keypoints),
      data: Object.fromEntries(Object.entries(this.data).map(([k, v]) => [k, pick(v)])),
    });
  }

  filter(keep: (i: number) => boolean): Detections {
    const indices: number[] = [];
    for (let i = 0; i < this.length; i++) if (keep(i)) indices.push(i);
    return indices.length === this.length ? this : this.select(indices);
  }

  /** A copy with some columns replaced. */
  with(changes: Partial<DetectionsInit>): Detections {
    return new Detections({ ...this.columns(), ...changes });
  }

  /** Detection i's tracker id, or null when no tracker has assigned one. */
  trackerId(i: number): number | null {
    const id = this.data[TRACKER_ID_KEY]?.[i];
    return typeof id === "number" ? id : null;
  }

  /** A copy whose detections carry these tracker ids, one per detection. */
  withTrackerIds(ids: readonly (number | null)[]): Detections {
    return this.withData(TRACKER_ID_KEY, ids);
  }

  /** A copy with one extra (or replaced) per-detection data column. */
  withData(key: string, column: readonly unknown[]): Detections {
    return this.with({ data: { ...this.data, [key]: column } });
  }

  columns(): DetectionsInit {
    return {
      image: this.image,
      xyxy: this.xyxy,
      confidence: this.confidence,
      classId: this.classId,
      className: this.className,
      detectionId: this.detectionId,
      parentId: this.parentId,
      masks: this.masks,
      keypoints: this.keypoints,
      data: this.data,
    };
  }

  /**
   * Concatenates detections of one image. Data columns present in only some parts are filled
   * with null; masks and keypoints likewise.
   */
  static concat(parts: readonly Detections[], image?: ImageSize): Detections {
    const first = parts[0];
    const size = image ?? first?.image ?? { width: 0, height: 0 };
    if (!first) return Detections.empty(size);
    if (parts.length === 1 && !image) return first;
    const n = parts.reduce((s, d) => s + d.length, 0);
    const xyxy = new Float64Array(n * 4);
    let offset = 0;
    for (const d of parts) {
      xyxy.set(d.xyxy, offset * 4);
      offset += d.length;
    }
    const flat = <T>(get: (d: Detections) => readonly T[] | undefined, fill: T): T[] =>
      parts.flatMap((d) => get(d) ?? new Array<T>(d.length).fill(fill));
    const keys = [...new Set(parts.flatMap((d) => Object.keys(d.data)))];
    return new Detections({
      image: size,
      xyxy,
      confidence: parts.flatMap((d) => [...d.confidence]),
      classId: parts.flatMap((d) => [...d.classId]),
      className: flat((d) => d.className, ""),
      detectionId: flat((d) => d.detectionId, ""),
      parentId: flat((d) => d.parentId, null),
      masks: parts.some((d) => d.masks) ? flat<BitMask | null>((d) => d.masks, null) : undefined,
      keypoints: parts.some((d) => d.keypoints) ? flat<Keypoint[] | null>((d) => d.keypoints, null) : undefined,
      data: Object.fromEntries(keys.map((k) => [k, flat<unknown>((d) => d.data[k], null)])),
    });
  }
}

/** Intersection over union of two xyxy boxes. */
export function iou(a: readonly number[], b: readonly number[]): number {
  const ix = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const iy = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = ix * iy;
  const union = (a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter;
  return union > 0 ? inter / union : 0;
}
