/**
 * The grammar's wire format for detections:
 * `{"image":{width,height},"predictions":[{x,y,width,height,confidence,class,class_id,
 * detection_id,parent_id,...}]}` with x, y the box centre. Keys this module does not know are
 * kept as data columns and written back unchanged, so a round trip loses nothing but
 * `prediction_type`, which the wire format does not carry.
 */
import { Detections, TRACKER_ID_KEY, type ImageSize, type Keypoint, type ParentOrigin } from "./detections.js";
import { invalidDetections } from "./errors.js";

export interface WirePrediction {
  x: number;
  y: number;
  width: number;
  height: number;
  confidence: number;
  class: string;
  class_id: number;
  detection_id: string;
  parent_id?: string | null;
  [key: string]: unknown;
}

export interface WireDetections {
  image: { width: number | null; height: number | null };
  predictions: WirePrediction[];
}

const KNOWN_KEYS = new Set(["x", "y", "width", "height", "confidence", "class", "class_id", "detection_id", "parent_id", "keypoints"]);

export interface SerializeDetectionsOptions {
  /** Convert boxes from the crop they were predicted on to the root image (`coordinates_system: parent`). */
  toRootCoordinates?: boolean;
}

/** Lineage columns that only mean something in the coordinates of the image the detections were made on. */
const CROP_LINEAGE_KEYS = new Set(["parent_origin", "root_parent_id", "root_parent_origin"]);

/**
 * Columns the blocks read but the wire format does not carry: Roboflow's serializer writes a fixed
 * set of keys per prediction, and the model blocks' `prediction_type` is not among them.
 */
const UNSERIALIZED_KEYS = new Set(["prediction_type"]);

export function serializeDetections(d: Detections, options: SerializeDetectionsOptions = {}): WireDetections {
  const origins = options.toRootCoordinates ? d.data["root_parent_origin"] : undefined;
  let image: ImageSize = d.image;
  const predictions: WirePrediction[] = [];
  for (let i = 0; i < d.length; i++) {
    let [x1, y1, x2, y2] = d.box(i);
    const origin = movesToRoot(d, origins?.[i] as ParentOrigin | null | undefined);
    if (origin) {
      x1 += origin.offset_x;
      x2 += origin.offset_x;
      y1 += origin.offset_y;
      y2 += origin.offset_y;
      image = { width: origin.width, height: origin.height };
    }
    const width = Math.abs(x2 - x1);
    const height = Math.abs(y2 - y1);
    const p: WirePrediction = {
      width,
      height,
      x: x1 + width / 2,
      y: y1 + height / 2,
      confidence: d.confidence[i]!,
      class_id: d.classId[i]!,
      class: d.className[i]!,
      detection_id: d.detectionId[i]!,
      // In the root image's coordinates a detection belongs to the root image, as in the reference
      // engine: its parent is the root, and the crop's lineage keys are left out.
      parent_id: origin ? ((d.data["root_parent_id"]?.[i] as string | undefined) ?? d.parentId[i] ?? null) : (d.parentId[i] ?? null),
    };
    const keypoints = d.keypoints?.[i];
    if (keypoints) {
      const dx = origin?.offset_x ?? 0;
      const dy = origin?.offset_y ?? 0;
      p["keypoints"] = keypoints.map((k) => ({ x: k.x + dx, y: k.y + dy, confidence: k.confidence, class_id: k.classId, class: k.className }));
    }
    for (const [key, column] of Object.entries(d.data)) {
      const value = column[i];
      if (key === TRACKER_ID_KEY) {
        // Roboflow writes a tracker id only for a tracked detection, and as an integer.
        if (typeof value === "number") p[key] = Math.trunc(value);
        continue;
      }
      if (value !== undefined && !UNSERIALIZED_KEYS.has(key) && !(origin && CROP_LINEAGE_KEYS.has(key))) p[key] = shiftPoints(key, value, origin);
    }
    predictions.push(p);
  }
  return { image: { width: image.width, height: image.height }, predictions };
}

/** The root origin to move a detection by; none when its image is the root's own frame (a crop of all of it at 0, 0). */
function movesToRoot(d: Detections, origin: ParentOrigin | null | undefined): ParentOrigin | undefined {
  if (!origin) return undefined;
  const same = origin.offset_x === 0 && origin.offset_y === 0 && origin.width === d.image.width && origin.height === d.image.height;
  return same ? undefined : origin;
}

/** Polygons (`points`) move with their box when converting to root coordinates. */
function shiftPoints(key: string, value: unknown, origin: ParentOrigin | null | undefined): unknown {
  if (!origin || key !== "points" || !Array.isArray(value)) return value;
  return (value as { x: number; y: number }[]).map((pt) => ({ x: pt.x + origin.offset_x, y: pt.y + origin.offset_y }));
}

function fail(message: string, pointer: string): never {
  throw invalidDetections(message, pointer);
}

function num(value: unknown, pointer: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(`expected a finite number`, pointer);
  return value;
}

/**
 * Reads the wire format back into Detections; `at` is the JSON pointer used in error messages.
 * `parentId`: what a prediction without its own `parent_id` belongs to (a runtime input's name,
 * as Roboflow's deserializer fills it in).
 */
export function deserializeDetections(value: unknown, at = "", parentId: string | null = null): Detections {
  if (value instanceof Detections) return value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(`expected detections as {"image": {...}, "predictions": [...]}`, at);
  }
  const obj = value as Record<string, unknown>;
  const predictions = obj["predictions"];
  if (!Array.isArray(predictions)) fail(`"predictions" must be a list`, `${at}/predictions`);
  const img = (obj["image"] ?? {}) as Record<string, unknown>;
  const image: ImageSize = {
    width: typeof img["width"] === "number" ? img["width"] : 0,
    height: typeof img["height"] === "number" ? img["height"] : 0,
  };
  const n = predictions.length;
  const xyxy = new Float64Array(n * 4);
  const confidence = new Float64Array(n);
  const classId = new Int32Array(n);
  const className: string[] = [];
  const detectionId: string[] = [];
  const parentIds: (string | null)[] = [];
  let keypoints: (Keypoint[] | null)[] | undefined;
  const data: Record<string, unknown[]> = {};
  predictions.forEach((raw, i) => {
    const p = `${at}/predictions/${i}`;
    if (typeof raw !== "object" || raw === null) fail("expected a prediction object", p);
    const r = raw as Record<string, unknown>;
    const x = num(r["x"], `${p}/x`);
    const y = num(r["y"], `${p}/y`);
    const w = num(r["width"], `${p}/width`);
    const h = num(r["height"], `${p}/height`);
    xyxy.set([x - w / 2, y - h / 2, x + w / 2, y + h / 2], i * 4);
    confidence[i] = r["confidence"] === undefined ? 1 : num(r["confidence"], `${p}/confidence`);
    classId[i] = r["class_id"] === undefined ? 0 : num(r["class_id"], `${p}/class_id`);
    className.push(r["class"] === undefined ? String(classId[i]) : String(r["class"]));
    detectionId.push(typeof r["detection_id"] === "string" ? r["detection_id"] : crypto.randomUUID());
    parentIds.push(typeof r["parent_id"] === "string" ? r["parent_id"] : parentId);
    if (Array.isArray(r["keypoints"])) {
      keypoints ??= new Array<Keypoint[] | null>(n).fill(null);
      keypoints[i] = (r["keypoints"] as Record<string, unknown>[]).map((k, j) => ({
        x: num(k["x"], `${p}/keypoints/${j}/x`),
        y: num(k["y"], `${p}/keypoints/${j}/y`),
        confidence: typeof k["confidence"] === "number" ? k["confidence"] : 1,
        classId: typeof k["class_id"] === "number" ? k["class_id"] : j,
        className: typeof k["class"] === "string" ? k["class"] : String(j),
      }));
    }
    for (const [key, v] of Object.entries(r)) {
      if (KNOWN_KEYS.has(key)) continue;
      (data[key] ??= new Array<unknown>(n).fill(undefined))[i] = v;
    }
  });
  return new Detections({ image, xyxy, confidence, classId, className, detectionId, parentId: parentIds, keypoints, data });
}
