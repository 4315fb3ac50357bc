/**
 * Heatmap Visualization: heat accumulates where detections' anchors have been — each frame, every
 * pixel within `radius` of an anchor gains 1 — and the heated pixels are tinted from `low_hue`
 * (least heat) to `top_hue` (most), blurred, at `opacity` (supervision's HeatMapAnnotator).
 *
 * With `ignore_stationary` and tracked predictions, as Roboflow's block: a track adds heat only in
 * frames where its anchor is at least `motion_threshold` pixels from where it last counted as
 * moving (its first sighting only records where it is); untracked detections (a null tracker id)
 * add none. The heat and those positions are the step's video state, per `metadata`'s
 * video_identifier (else the image's), as plain JSON data. Roboflow's block forgets a position
 * not updated for 60 s of wall-clock time (a stationary track's too); wall time would make a replay
 * or a segmented video job differ, so here a tracker id unseen for FORGET_AFTER_FRAMES frames is
 * forgotten (unseen-tracks.ts: its tracker has dropped it long before), which keeps a stream's
 * state bounded without changing any frame's heat while the track is alive.
 */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { VideoMetadata, WorkflowImage } from "@cvflow/vision";
import { invalidField } from "../errors.js";
import { anchorPoint, BOX_POSITIONS } from "./draw/anchors.js";
import { blendPixel, blendTables, paintFor } from "./draw/canvas.js";
import { boxBlur, heatHues, hueColor } from "./draw/heat.js";
import { disc } from "./draw/shapes.js";
import { annotated, copyImageField, drawingSurface, IMAGE_OUTPUTS, imageField, predictionsField } from "./common/visualization-fields.js";
import { stepState } from "../video/step-state.js";
import { forgetUnseen, newUnseenTracks, type UnseenTracks } from "../video/unseen-tracks.js";

interface HeatmapParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  metadata: VideoMetadata | null;
  position: string;
  opacity: number;
  radius: number;
  kernel_size: number;
  top_hue: number;
  low_hue: number;
  ignore_stationary: boolean;
  motion_threshold: number;
}

export interface HeatmapState {
  width: number;
  height: number;
  /** Row-major, one count per pixel: in how many frames an anchor's circle covered it. */
  heat: number[];
  /** The smallest box [x0, y0, x1, y1] (inclusive) holding every heated pixel; null before any heat. */
  heated: [number, number, number, number] | null;
  /** Per tracker id, where its anchor was when it last counted as moving. */
  positions: Record<string, [number, number]>;
  unseen: UnseenTracks;
}

const integer = (description: string, value: number) => ({ description, kinds: ["integer"], schema: { type: "integer" }, default: value }) as const;

export const heatmapVisualizationBlock = defineBlock<HeatmapParams>({
  manifest: {
    type: "roboflow_core/heatmap_visualization@v1",
    aliases: ["HeatmapVisualization"],
    name: "Heatmap Visualization",
    description: "Draw a heatmap based on detections in an image.",
    family: "visualizations",
    stateful: true,
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField([...DETECTION_KINDS, "rle_instance_segmentation_prediction"]),
      metadata: {
        description: "Video metadata whose video_identifier keeps one heatmap per video (else the image's video).",
        kinds: ["video_metadata"],
        schema: { type: "null" },
        default: null,
      },
      position: {
        description: "The anchor of each detection that heats its surroundings.",
        kinds: ["string"],
        schema: { enum: BOX_POSITIONS },
        default: "BOTTOM_CENTER",
      },
      opacity: {
        description: "Opacity of the heat overlay, between 0 and 1.",
        kinds: ["float"],
        schema: { type: "number" },
        default: 0.2,
      },
      radius: integer("Radius of the circle each anchor heats, in pixels.", 40),
      kernel_size: integer("Size of the box blur over the heat's hues, in pixels.", 25),
      top_hue: integer("Hue of the most heat (OpenCV hue, 0..180 per turn): 0 is red.", 0),
      low_hue: integer("Hue of the least heat: 125 is blue.", 125),
      ignore_stationary: {
        description: "With tracked predictions, only moving objects add heat.",
        kinds: ["boolean"],
        schema: { type: "boolean" },
        default: true,
      },
      motion_threshold: integer("How far, in pixels, a track's anchor must move to count as moving.", 25),
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params, ctx) {
    const { image, predictions } = params;
    if (!(params.radius >= 0) || !(params.kernel_size >= 1)) {
      throw invalidField(`radius must be at least 0 and kernel_size at least 1, got ${params.radius} and ${params.kernel_size}`);
    }
    const { width, height } = image;
    const videoId = params.metadata?.video_identifier ?? image.videoMetadata.video_identifier;
    const state = stepState<HeatmapState>(ctx, videoId, () => emptyHeat(width, height));
    // supervision sizes its heat to the first frame; a video whose frame size changes starts over.
    if (state.width !== width || state.height !== height) Object.assign(state, emptyHeat(width, height), { positions: state.positions, unseen: state.unseen });

    const heated = params.ignore_stationary && predictions.data["tracker_id"] ? movingDetections(state, predictions, params) : predictions;
    addHeat(state, heated, params.position, params.radius);

    const pixels = drawingSurface(image, params.copy_image);
    if (!state.heated) return annotated(image, pixels);
    // Only heated pixels are drawn, and their blurred hue reaches kernel_size around them: the
    // work is done in that window (a window's reflected border is the image's where they meet).
    const [x0, y0, x1, y1] = state.heated;
    const k = params.kernel_size;
    const [left, top] = [Math.max(0, x0 - k), Math.max(0, y0 - k)];
    const [right, bottom] = [Math.min(width - 1, x1 + k), Math.min(height - 1, y1 + k)];
    const windowWidth = right - left + 1;
    const windowHeat = new Float64Array(windowWidth * (bottom - top + 1));
    for (let y = top; y <= bottom; y++) {
      for (let x = left; x <= right; x++) windowHeat[(y - top) * windowWidth + x - left] = state.heat[y * width + x]!;
    }
    const hues = boxBlur(heatHues(windowHeat, params.low_hue, params.top_hue), windowWidth, bottom - top + 1, k);
    const tables = new Map<number, Uint8Array[]>();
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        // supervision tests heat.astype(uint8) > 0, which misses counts that are multiples of 256; any heat counts here.
        if (state.heat[y * width + x] === 0) continue;
        const hue = hues[(y - top) * windowWidth + x - left]!;
        let table = tables.get(hue);
        if (!table) tables.set(hue, (table = blendTables(paintFor(pixels, hueColor(hue)), params.opacity)));
        blendPixel(pixels.data, (y * width + x) * pixels.channels, table);
      }
    }
    return annotated(image, pixels);
  },
});

function emptyHeat(width: number, height: number): HeatmapState {
  return { width, height, heat: new Array<number>(width * height).fill(0), heated: null, positions: {}, unseen: newUnseenTracks() };
}

/** The detections whose track moved at least motion_threshold since it last counted as moving; records new tracks. */
function movingDetections(state: HeatmapState, predictions: Detections, params: HeatmapParams): Detections {
  const moving = new Set<number>();
  const ids = Array.from({ length: predictions.length }, (_, i) => predictions.trackerId(i));
  for (const id of forgetUnseen(state.unseen, ids)) delete state.positions[id];
  for (let i = 0; i < predictions.length; i++) {
    const id = predictions.trackerId(i);
    if (id === null) continue;
    const [x, y] = anchorPoint(predictions, i, params.position);
    const last = state.positions[id];
    if (last && Math.hypot(x - last[0], y - last[1]) < params.motion_threshold) continue;
    if (last) moving.add(i);
    state.positions[id] = [x, y];
  }
  return predictions.filter((i) => moving.has(i));
}

/** This frame's circles (their union: a pixel under two gains 1) added to the heat. */
function addHeat(state: HeatmapState, detections: Detections, position: string, radius: number): void {
  const { width, height, heat } = state;
  // The pixels this frame heats, marked so that a pixel under two circles counts once.
  const covered = new Uint8Array(width * height);
  for (let i = 0; i < detections.length; i++) {
    const [x, y] = anchorPoint(detections, i, position);
    disc(
      (row, from, to) => {
        if (row < 0 || row >= height) return;
        const [x0, x1] = [Math.max(0, from), Math.min(width - 1, to)];
        if (x0 > x1) return;
        for (let c = x0; c <= x1; c++) {
          const p = row * width + c;
          if (covered[p]) continue;
          covered[p] = 1;
          heat[p] = heat[p]! + 1;
        }
        const box = state.heated;
        state.heated = box ? [Math.min(box[0], x0), Math.min(box[1], row), Math.max(box[2], x1), Math.max(box[3], row)] : [x0, row, x1, row];
      },
      Math.trunc(x),
      Math.trunc(y),
      radius,
    );
  }
}
