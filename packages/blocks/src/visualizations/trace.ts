/**
 * Trace Visualization: each tracked object's recent path, a polyline through its anchor in the
 * last `trace_length` frames, in its palette colour (supervision's TraceAnnotator).
 *
 * The history is the step's video state (per video_identifier, plain JSON): every anchor seen,
 * with the frame it was seen in, counting the frames this step drew on. As supervision's Trace
 * does, once more than `trace_length` frames hold anchors, those older than the last
 * `trace_length` frames are dropped. Detections without a tracker id (null, or supervision's
 * pending -1) are neither kept nor drawn.
 */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { invalidDrawing, invalidField } from "../errors.js";
import { anchorPoint, POSITIONS } from "./draw/anchors.js";
import { paintFor, painter } from "./draw/canvas.js";
import { polyline, type Point } from "./draw/shapes.js";
import {
  annotated,
  colorableFields,
  copyImageField,
  detectionColors,
  drawingSurface,
  IMAGE_OUTPUTS,
  imageField,
  predictionsField,
  type ColorableParams,
} from "./common/visualization-fields.js";
import { stepState } from "../video/step-state.js";

const TYPE = "roboflow_core/trace_visualization@v1";
const PENDING_TRACK_ID = -1;

interface TraceParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  position: string;
  trace_length: number;
  thickness: number;
}

/** [frame, tracker id, x, y] */
type TracePoint = [number, number, number, number];

export interface TraceState {
  /** The next frame's number, counting this step's frames of the video from 0. */
  frame: number;
  points: TracePoint[];
}

export const traceVisualizationBlock = defineBlock<TraceParams>({
  manifest: {
    type: TYPE,
    name: "Trace Visualization",
    description: "Draw traces based on detections tracking results.",
    family: "visualizations",
    stateful: true,
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS, "Tracked predictions (a tracker's output) whose paths are drawn."),
      ...colorableFields,
      position: {
        description: "The anchor of each detection the trace follows.",
        kinds: ["string"],
        schema: { enum: POSITIONS },
        default: "CENTER",
      },
      trace_length: {
        description: "How many of the latest frames a trace reaches back (at least 1).",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
        default: 30,
      },
      thickness: {
        description: "Thickness of the trace lines in pixels (at least 1).",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
        default: 1,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params, ctx) {
    const { image, predictions, trace_length, thickness } = params;
    if (!(trace_length >= 1) || !(thickness >= 1)) {
      throw invalidField(`trace_length and thickness must be at least 1, got ${trace_length} and ${thickness}`);
    }
    // An empty frame has nothing untracked, whether or not its tracker wrote the (empty) column.
    if (!predictions.data["tracker_id"] && predictions.length > 0) {
      throw invalidDrawing("missing_tracker_id", `${TYPE} needs tracked predictions: put a tracker step (e.g. roboflow_core/byte_tracker@v3) before it`);
    }
    const tracked = predictions.filter((i) => {
      const id = predictions.trackerId(i);
      return id !== null && id !== PENDING_TRACK_ID;
    });
    const state = stepState<TraceState>(ctx, image.videoMetadata.video_identifier, () => ({ frame: 0, points: [] }));
    recordFrame(state, tracked, params.position, trace_length);

    const pixels = drawingSurface(image, params.copy_image);
    const colors = detectionColors(tracked, params);
    for (let i = 0; i < tracked.length; i++) {
      const path = tracePath(state, tracked.trackerId(i)!);
      if (path.length > 1) polyline(painter(pixels, paintFor(pixels, colors[i]!)), path, false, thickness);
    }
    return annotated(image, pixels);
  },
});

/** supervision's Trace.put: this frame's anchors (single precision, as its float32 array keeps them) joined to the history, which is then trimmed. */
function recordFrame(state: TraceState, tracked: Detections, position: string, traceLength: number): void {
  const frame = state.frame;
  for (let i = 0; i < tracked.length; i++) {
    const [x, y] = anchorPoint(tracked, i, position);
    state.points.push([frame, tracked.trackerId(i)!, Math.fround(x), Math.fround(y)]);
  }
  const frames = new Set(state.points.map(([f]) => f));
  if (traceLength < frames.size) state.points = state.points.filter(([f]) => f >= frame - traceLength + 1);
  state.frame = frame + 1;
}

/** A track's kept anchors, oldest first, as int32 pixels (truncated). */
function tracePath(state: TraceState, trackerId: number): Point[] {
  return state.points.filter(([, id]) => id === trackerId).map(([, , x, y]) => [Math.trunc(x), Math.trunc(y)] as const);
}
