/**
 * Line Counter (v1, v2): counts tracked objects crossing a line segment, in each direction, over
 * the frames of a video (line-zone.ts). v1 reads the video from a `metadata` input; v2 from the
 * frame image and also returns the detections that crossed in this frame.
 */
import { defineBlock, type BlockServices, type Detections, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { BOX_KINDS, frameImageField, trackedDetectionsField, videoMetadataField } from "./analytics-fields.js";
import { crossLine, LINE_CORNER_ANCHORS, newLineZone, type LineZoneState } from "./line-zone.js";
import { trackerIds } from "./tracked.js";
import { frameOf } from "./video-frame.js";
import { ANCHOR_POSITIONS, readLineSegment } from "./zone-geometry.js";

const lineSegmentField: FieldSpec = {
  description:
    "The line: two points [[x1, y1], [x2, y2]]. Objects crossing it one way count as in, the other way as out. " +
    "Taken from a video's first frame.",
  kinds: ["list_of_values"],
  schema: { type: "array" },
  required: true,
};

function anchorField(defaultValue: string | null): FieldSpec {
  return {
    description:
      "The point of each box that must cross the line for the object to count" +
      (defaultValue === null ? "; none: all four corners must (supervision's default)." : "."),
    kinds: ["string"],
    schema: defaultValue === null ? { enum: [...ANCHOR_POSITIONS, null] } : { enum: [...ANCHOR_POSITIONS] },
    default: defaultValue,
  };
}

const COUNT_OUTPUTS = [
  { name: "count_in", kinds: ["integer"], description: "Objects that crossed the line in the in direction, since the video's first frame." },
  { name: "count_out", kinds: ["integer"], description: "Objects that crossed the line in the out direction, since the video's first frame." },
] as const;

interface LineCounterParams {
  [key: string]: unknown;
  detections: Detections;
  line_segment: unknown;
  triggering_anchor: string | null;
}

/** The step's line for this video (fixed by its first frame, as Roboflow's), counted one more frame. */
function count(type: string, videoId: string, params: LineCounterParams, step: string, videoState: NonNullable<BlockServices["videoState"]>) {
  const ids = trackerIds(params.detections, type);
  const state = videoState.get<LineZoneState>(step, videoId, () =>
    newLineZone(readLineSegment(params.line_segment, type), params.triggering_anchor === null ? LINE_CORNER_ANCHORS : [params.triggering_anchor]),
  );
  return { state, ...crossLine(state, params.detections, ids) };
}

const V1 = "roboflow_core/line_counter@v1";
export const lineCounterV1Block = defineBlock<LineCounterParams & { metadata: unknown }>({
  manifest: {
    type: V1,
    name: "Line Counter",
    description: "Count detections passing a line.",
    family: "analytics",
    stateful: true,
    fields: {
      metadata: videoMetadataField,
      detections: trackedDetectionsField,
      line_segment: lineSegmentField,
      triggering_anchor: anchorField("CENTER"),
    },
    outputs: COUNT_OUTPUTS,
  },
  run(params, ctx) {
    const { state } = count(V1, frameOf({ metadata: params.metadata }).videoId, params, ctx.step, ctx.services.videoState!);
    return { count_in: state.countIn, count_out: state.countOut };
  },
});

const V2 = "roboflow_core/line_counter@v2";
export const lineCounterV2Block = defineBlock<LineCounterParams & { image: WorkflowImage }>({
  manifest: {
    type: V2,
    name: "Line Counter",
    description: "Count detections passing a line.",
    family: "analytics",
    stateful: true,
    fields: {
      image: frameImageField,
      detections: trackedDetectionsField,
      line_segment: lineSegmentField,
      triggering_anchor: anchorField(null),
    },
    outputs: [
      ...COUNT_OUTPUTS,
      { name: "detections_in", kinds: BOX_KINDS, description: "The detections that crossed in, in this frame." },
      { name: "detections_out", kinds: BOX_KINDS, description: "The detections that crossed out, in this frame." },
    ],
  },
  run(params, ctx) {
    const { state, crossedIn, crossedOut } = count(V2, frameOf({ image: params.image }).videoId, params, ctx.step, ctx.services.videoState!);
    return {
      count_in: state.countIn,
      count_out: state.countOut,
      detections_in: params.detections.filter((i) => crossedIn[i]!),
      detections_out: params.detections.filter((i) => crossedOut[i]!),
    };
  },
});
