/**
 * A clip with a known ground truth, made by ffmpeg from the shared photos: on a grass background
 * (a strip of person.jpg's field, stretched), three cut-outs move along straight horizontal paths
 * at constant speeds, each in a band of its own so that they never overlap — the person of
 * person.jpg left to right, the dog of dog.jpg right to left, the horse of person.jpg left to right.
 * Each cut-out is its photo's yolov8n box (../shared/images/README.md's reference detections, to
 * the pixel) with a small margin, scaled, and pasted by ffmpeg's overlay at x = x0 + speed * n on
 * frame n: so the object's box on every frame is known (`objectBox`), and with it which frame its
 * centre passes a line or enters a zone.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { missing, sharedPhoto } from "@cvflow/vision/test-assets";
import { videoMissing } from "./video-assets.js";

export const CLIP = { width: 640, height: 576, fps: 10, frames: 80 } as const;

type Box = readonly [number, number, number, number];

export interface MovingObject {
  name: string;
  photo: string;
  /** The object's yolov8n box in its photo (x1, y1, x2, y2). */
  box: Box;
  /** Pixels of the photo kept around the box in the cut-out. */
  margin: number;
  scale: number;
  /** The cut-out's top-left corner on frame 0, and its motion in pixels per frame (x only). */
  x0: number;
  y0: number;
  speed: number;
}

// Sizes yolov8n-640 finds them at with confidence (the frame is 640 wide: the model sees it unscaled).
export const OBJECTS: readonly MovingObject[] = [
  { name: "person", photo: "person.jpg", box: [191, 100, 275, 375], margin: 6, scale: 0.42, x0: 4, y0: 4, speed: 7 },
  { name: "dog", photo: "dog.jpg", box: [132, 219, 308, 539], margin: 12, scale: 0.75, x0: 486, y0: 132, speed: -5 },
  { name: "horse", photo: "person.jpg", box: [407, 140, 600, 347], margin: 12, scale: 0.75, x0: 4, y0: 398, speed: 5 },
];

/** The background: person.jpg's grass below the animals' feet (x, y, width, height), stretched over the frame. */
const BACKGROUND = { photo: "person.jpg", crop: [260, 350, 380, 74] } as const;

/** The cut-out of `object`: where it is taken from its photo and its size on the frame. */
function cutOut(object: MovingObject) {
  const [x1, y1, x2, y2] = object.box;
  const crop = { x: x1 - object.margin, y: y1 - object.margin, width: x2 - x1 + 2 * object.margin, height: y2 - y1 + 2 * object.margin };
  return { crop, width: Math.round(crop.width * object.scale), height: Math.round(crop.height * object.scale) };
}

/** `object`'s box on frame `n` (from 0): its photo box moved and scaled with the cut-out. */
export function objectBox(object: MovingObject, n: number): Box {
  const { crop, width, height } = cutOut(object);
  const sx = width / crop.width;
  const sy = height / crop.height;
  const left = object.x0 + object.speed * n;
  const [x1, y1, x2, y2] = object.box;
  return [left + (x1 - crop.x) * sx, object.y0 + (y1 - crop.y) * sy, left + (x2 - crop.x) * sx, object.y0 + (y2 - crop.y) * sy];
}

export function objectCentre(object: MovingObject, n: number): [number, number] {
  const [x1, y1, x2, y2] = objectBox(object, n);
  return [(x1 + x2) / 2, (y1 + y2) / 2];
}

/** Why `suite` cannot run here (one line, printed), or undefined. */
export function movingObjectsUnavailable(suite: string): string | undefined {
  return videoMissing(suite) ?? missing(suite, { models: ["yolov8n-640"], photos: [...new Set([BACKGROUND.photo, ...OBJECTS.map((o) => o.photo)])] });
}

/** Writes the clip (H.264, CLIP.frames frames at CLIP.fps) into `dir` and answers its path. */
export function makeMovingObjectsClip(dir: string): string {
  const path = join(dir, "moving-objects.mp4");
  const [bx, by, bw, bh] = BACKGROUND.crop;
  const filters = [`[0:v]crop=${bw}:${bh}:${bx}:${by},scale=${CLIP.width}:${CLIP.height},setsar=1[s0]`];
  OBJECTS.forEach((object, i) => {
    const { crop, width, height } = cutOut(object);
    filters.push(`[${i + 1}:v]crop=${crop.width}:${crop.height}:${crop.x}:${crop.y},scale=${width}:${height}[o${i}]`);
    // n: the frame's number from 0; eof_action repeat: a still image overlaid on every frame.
    filters.push(`[s${i}][o${i}]overlay=x='${object.x0}+${object.speed}*n':y=${object.y0}:eof_action=repeat[s${i + 1}]`);
  });
  filters.push(`[s${OBJECTS.length}]format=yuv420p[out]`);
  const inputs = [BACKGROUND.photo, ...OBJECTS.map((o) => o.photo)].flatMap((photo) => ["-loop", "1", "-framerate", String(CLIP.fps), "-i", sharedPhoto(photo)]);
  execFileSync("ffmpeg", [
    "-v", "error", "-y", ...inputs,
    "-filter_complex", filters.join(";"), "-map", "[out]",
    "-frames:v", String(CLIP.frames), "-r", String(CLIP.fps), // One thread: the same bytes on every machine with this ffmpeg.
    "-c:v", "libx264", "-crf", "18", "-threads", "1", path,
  ]);
  return path;
}
