/**
 * The properties DetectionsPropertyExtract (all detections) and ExtractDetectionProperty (one
 * detection) read, under Roboflow's names (its DetectionsProperty enum). Box geometry comes from
 * the columns; the rest from per-detection data columns, named as the wire format names them.
 */
import type { Detections } from "@cvflow/engine";
import { roundHalfEven } from "../common/python-numbers.js";
import type { SingleDetection } from "./values.js";

const BOX_PROPERTIES = [
  "confidence",
  "class_name",
  "x_min",
  "x_max",
  "y_min",
  "y_max",
  "size",
  "class_id",
  "center",
  "top_left",
  "top_right",
  "bottom_left",
  "bottom_right",
] as const;

const DATA_PROPERTIES = [
  "in_out",
  "path_deviation",
  "polygon",
  "time_in_zone",
  "tracker_id",
  "velocity",
  "speed",
  "smoothed_velocity",
  "smoothed_speed",
  "image_dimensions",
  "prediction_type",
  "keypoints_xy",
  "rect",
  "width",
  "height",
  "angle",
  "area_px",
  "area_converted",
] as const;

export const DETECTIONS_PROPERTIES: readonly string[] = [...BOX_PROPERTIES, ...DATA_PROPERTIES];

type BoxProperty = (typeof BOX_PROPERTIES)[number];

const isBoxProperty = (name: string): name is BoxProperty => (BOX_PROPERTIES as readonly string[]).includes(name);

type Point = [number, number];

const ANCHORS: Record<"center" | "top_left" | "top_right" | "bottom_left" | "bottom_right", (b: number[]) => Point> = {
  center: ([x1, y1, x2, y2]) => [x1! + (x2! - x1!) / 2, y1! + (y2! - y1!) / 2],
  top_left: ([x1, y1]) => [x1!, y1!],
  top_right: ([, y1, x2]) => [x2!, y1!],
  bottom_left: ([x1, , , y2]) => [x1!, y2!],
  bottom_right: ([, , x2, y2]) => [x2!, y2!],
};

function boxProperty(d: Detections, i: number, name: BoxProperty): unknown {
  const box = d.box(i);
  const [x1, y1, x2, y2] = box;
  switch (name) {
    case "confidence":
      return d.confidence[i];
    case "class_name":
      return d.className[i];
    case "class_id":
      return d.classId[i];
    case "x_min":
      return x1;
    case "y_min":
      return y1;
    case "x_max":
      return x2;
    case "y_max":
      return y2;
    case "size":
      return (x2 - x1) * (y2 - y1);
    default:
      return ANCHORS[name](box);
  }
}

/**
 * A reader of a data property under Roboflow's name, or undefined where these detections do not
 * carry it. Image dimensions, keypoints and polygons live in their own columns here.
 */
function dataReader(d: Detections, name: string): ((i: number) => unknown) | undefined {
  const own = d.data[name];
  if (own) return (i) => own[i] ?? null;
  if (name === "image_dimensions") return () => [d.image.height, d.image.width];
  const { keypoints } = d;
  if (name === "keypoints_xy" && keypoints) return (i) => keypoints[i]?.map((k) => [k.x, k.y]) ?? null;
  const points = d.data["points"];
  if (name === "polygon" && points) {
    return (i) => {
      const polygon = points[i];
      return Array.isArray(polygon) ? (polygon as { x: number; y: number }[]).map(({ x, y }) => [x, y]) : null;
    };
  }
  return undefined;
}

/**
 * DetectionsPropertyExtract: one value per detection. Corner and centre anchors are rounded to
 * integer pixels (ties to even, as numpy rounds) for all detections, but not for one detection.
 */
export function detectionsProperty(d: Detections, name: string): unknown[] | undefined {
  const rows = Array.from({ length: d.length }, (_, i) => i);
  if (isBoxProperty(name)) {
    const values = rows.map((i) => boxProperty(d, i, name));
    return name in ANCHORS ? values.map((p) => (p as Point).map((v) => roundHalfEven(v, 0))) : values;
  }
  const read = dataReader(d, name);
  return read && rows.map(read);
}

/** ExtractDetectionProperty: a data property a detection lacks is null, as in Roboflow. */
export function singleDetectionProperty(detection: SingleDetection, name: string): unknown {
  const { detections, index } = detection;
  if (isBoxProperty(name)) return boxProperty(detections, index, name);
  return dataReader(detections, name)?.(index) ?? null;
}
