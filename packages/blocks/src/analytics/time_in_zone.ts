/**
 * Time in Zone (v1, v2, v3): each tracked detection's seconds inside a polygon zone so far, in a
 * `time_in_zone` data column (time-in-zone-tracking.ts). v1 reads the video from a `metadata`
 * input, v2 and v3 from the frame image; v1 and v2 take one polygon, fixed by a video's first
 * frame, v3 one or several (inside any counts), read on every frame.
 */
import { defineBlock, type BlockContext, type Detections, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { BOX_KINDS, frameImageField, trackedDetectionsField, videoMetadataField } from "./analytics-fields.js";
import { fillPolygon, insideZones, type FilledPolygon } from "./polygon-zone.js";
import { newZoneTimes, timeInZone, type ZoneTimes } from "./time-in-zone-tracking.js";
import { trackerIds } from "./tracked.js";
import { frameOf, type VideoFrame } from "./video-frame.js";
import { ANCHOR_POSITIONS, readPolygon, readPolygons, type Point } from "./zone-geometry.js";
import { stepState } from "../video/step-state.js";

interface TimeInZoneParams {
  [key: string]: unknown;
  detections: Detections;
  zone: unknown;
  triggering_anchor: string;
  remove_out_of_zone_detections: boolean;
  reset_out_of_zone_detections: boolean;
}

function fields(video: Record<string, FieldSpec>, zoneDescription: string): Record<string, FieldSpec> {
  return {
    ...video,
    detections: trackedDetectionsField,
    zone: { description: zoneDescription, kinds: ["list_of_values"], schema: { type: "array" }, required: true },
    triggering_anchor: {
      description: "The point of each box that must be inside the zone for the object to be in it.",
      kinds: ["string"],
      schema: { enum: [...ANCHOR_POSITIONS] },
      default: "CENTER",
    },
    remove_out_of_zone_detections: {
      description: "Leave detections outside the zone out of the output (true), or keep them with time_in_zone 0 (false).",
      kinds: ["boolean"],
      schema: { type: "boolean" },
      default: true,
    },
    reset_out_of_zone_detections: {
      description: "Start an object's time again from 0 when it comes back into the zone after leaving it.",
      kinds: ["boolean"],
      schema: { type: "boolean" },
      default: true,
    },
  };
}

const OUTPUTS = [
  { name: "timed_detections", kinds: BOX_KINDS, description: "The detections with time_in_zone: seconds each has been in the zone." },
] as const;

const POLYGON = "The zone: a polygon, at least 3 points [[x, y], ...]. Taken from a video's first frame.";

interface FixedZoneState extends ZoneTimes {
  zone: Point[];
  anchor: string;
}

/** v1 and v2: the polygon and anchor are the ones the video's first frame gave. */
function runFixedZone(type: string, frame: VideoFrame, params: TimeInZoneParams, ctx: BlockContext) {
  const ids = trackerIds(params.detections, type);
  const state = stepState<FixedZoneState>(ctx, frame.videoId, () => ({
    zone: readPolygon(params.zone, type),
    anchor: params.triggering_anchor,
    ...newZoneTimes(),
  }));
  const inside = insideZones([fillPolygon(state.zone)], params.detections, [state.anchor]);
  return { timed_detections: timeInZone(state, params.detections, ids, inside, frame.seconds, options(params)) };
}

function options(params: TimeInZoneParams) {
  return { removeOutOfZone: params.remove_out_of_zone_detections, resetOutOfZone: params.reset_out_of_zone_detections };
}

const V1 = "roboflow_core/time_in_zone@v1";
export const timeInZoneV1Block = defineBlock<TimeInZoneParams & { image: WorkflowImage; metadata: unknown }>({
  manifest: {
    type: V1,
    name: "Time in Zone",
    description: "Track object time in zone.",
    family: "analytics",
    stateful: true,
    fields: fields({ image: frameImageField, metadata: videoMetadataField }, POLYGON),
    outputs: OUTPUTS,
  },
  run: (params, ctx) => runFixedZone(V1, frameOf({ metadata: params.metadata }), params, ctx),
});

const V2 = "roboflow_core/time_in_zone@v2";
export const timeInZoneV2Block = defineBlock<TimeInZoneParams & { image: WorkflowImage }>({
  manifest: {
    type: V2,
    name: "Time in Zone",
    description: "Track object time in zone.",
    family: "analytics",
    stateful: true,
    fields: fields({ image: frameImageField }, POLYGON),
    outputs: OUTPUTS,
  },
  run: (params, ctx) => runFixedZone(V2, frameOf({ image: params.image }), params, ctx),
});

const V3 = "roboflow_core/time_in_zone@v3";
export const timeInZoneV3Block = defineBlock<TimeInZoneParams & { image: WorkflowImage }>({
  manifest: {
    type: V3,
    name: "Time in Zone",
    description: "Track object time in zone.",
    family: "analytics",
    stateful: true,
    fields: fields(
      { image: frameImageField },
      "The zone: one polygon [[x, y], ...] or several [[[x, y], ...], ...]; an object inside any of them is in the zone.",
    ),
    outputs: OUTPUTS,
  },
  run(params, ctx) {
    const frame = frameOf({ image: params.image });
    const ids = trackerIds(params.detections, V3);
    const zones: FilledPolygon[] = readPolygons(params.zone, V3).map(fillPolygon);
    const times = stepState<ZoneTimes>(ctx, frame.videoId, newZoneTimes);
    const inside = insideZones(zones, params.detections, [params.triggering_anchor]);
    return { timed_detections: timeInZone(times, params.detections, ids, inside, frame.seconds, options(params)) };
  },
});
