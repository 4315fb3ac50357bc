/**
 * The runtime values the query language meets besides plain JSON: the engine's columnar
 * Detections, one detection of them (what DetectionsFilter hands its condition as `_`, and what
 * iterating detections yields), and images (objects with numeric width and height, and the
 * video frame they are).
 */
import { Detections } from "@cvflow/engine";

/** One row of a Detections value; a view, nothing is copied. */
export class SingleDetection {
  constructor(
    readonly detections: Detections,
    readonly index: number,
  ) {}

  box(): [number, number, number, number] {
    return this.detections.box(this.index);
  }
}

export interface ImageLike {
  width: number;
  height: number;
  /** The video frame the image is (WorkflowImage answers one for a photo too: frame 0). */
  readonly videoMetadata?: FrameLike;
}

/** What ExtractFrameMetadata reads of an image's video frame (Roboflow's VideoMetadata fields). */
export interface FrameLike {
  frame_number: number;
  frame_timestamp: string;
  fps: number | null;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function isImage(value: unknown): value is ImageLike {
  if (typeof value !== "object" || value === null || value instanceof Detections) return false;
  const { width, height } = value as Partial<ImageLike>;
  return typeof width === "number" && typeof height === "number";
}

/** Python's name for the type of a value, as its error messages say it. */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isSafeInteger(value) ? "int" : "float";
  if (typeof value === "string") return "str";
  if (Array.isArray(value)) return "list";
  if (value instanceof Uint8Array) return "bytes";
  if (value instanceof Detections) return "Detections";
  if (value instanceof SingleDetection) return "detection";
  if (isPlainObject(value)) return "dict";
  if (isImage(value)) return "image";
  return "object";
}
