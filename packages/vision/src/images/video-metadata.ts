/**
 * The video frame an image is, with Roboflow's field names (VideoMetadata in its execution
 * engine): which video, which frame, when, at what rate. An image input may carry it as
 * `video_metadata` in its wire form; images made from it (drawings, filters) keep it, crops do
 * not, except static crops, which name themselves in `video_identifier`. An image without it —
 * a photo, a crop — reads as frame 0 of a 30 fps video named after the image, stamped with the
 * time it is read, as Roboflow's `WorkflowImageData.video_metadata` answers for one.
 */
import { invalidImageInput } from "../errors.js";

export interface VideoMetadata {
  video_identifier: string;
  frame_number: number;
  /** ISO 8601, as given (a number given is seconds since the epoch, written as ISO 8601 UTC). */
  frame_timestamp: string;
  fps: number | null;
  measured_fps: number | null;
  comes_from_video_file: boolean | null;
}

/** Roboflow's frame rate for an image that is not known to come from a video. */
export const PHOTO_FPS = 30;

/** What an image that is not a known video frame answers: frame 0, now. */
export function photoVideoMetadata(imageId: string, now: Date = new Date()): VideoMetadata {
  return { video_identifier: imageId, frame_number: 0, frame_timestamp: now.toISOString(), fps: PHOTO_FPS, measured_fps: null, comes_from_video_file: null };
}

/** Reads the `video_metadata` of a wire-form image; a 400 naming the field for anything malformed. */
export function readVideoMetadata(value: unknown): VideoMetadata {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformed("video_metadata", 'must be an object {"video_identifier", "frame_number", "frame_timestamp", "fps"?, "measured_fps"?, "comes_from_video_file"?}');
  }
  const v = value as Record<string, unknown>;
  if (typeof v["video_identifier"] !== "string") throw malformed("video_identifier", "must be a string");
  if (!Number.isSafeInteger(v["frame_number"])) throw malformed("frame_number", "must be an integer");
  return {
    video_identifier: v["video_identifier"],
    frame_number: v["frame_number"] as number,
    frame_timestamp: timestamp(v["frame_timestamp"]),
    fps: optional(v, "fps", (x) => typeof x === "number" && Number.isFinite(x), "a number"),
    measured_fps: optional(v, "measured_fps", (x) => typeof x === "number" && Number.isFinite(x), "a number"),
    comes_from_video_file: optional(v, "comes_from_video_file", (x) => typeof x === "boolean", "true or false"),
  };
}

function timestamp(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) {
    const date = new Date(value * 1000);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value))) return value;
  throw malformed("frame_timestamp", "must be an ISO 8601 date and time or seconds since the epoch");
}

function optional<T>(v: Record<string, unknown>, key: string, test: (x: unknown) => boolean, what: string): T | null {
  const value = v[key];
  if (value === undefined || value === null) return null;
  if (!test(value)) throw malformed(key, `must be ${what} or null`);
  return value as T;
}

function malformed(field: string, message: string) {
  const path = field === "video_metadata" ? field : `video_metadata.${field}`;
  return invalidImageInput(`"${path}" ${message}`, { field: path });
}
