/**
 * Path Deviation (v1, v2): how far each tracked object's path so far strays from a reference path,
 * as the discrete Fréchet distance (frechet.ts) between the object's anchor points, one per frame
 * it was seen, and the reference's points, in pixels, in a `path_deviation` data column. v1 reads
 * the video from a `metadata` input, v2 from the frame image. The paths are kept per tracker id,
 * per step and video.
 *
 * Bounded on a stream, where Roboflow's block keeps every id's whole path forever: an id unseen
 * for FORGET_AFTER_FRAMES frames is forgotten (unseen-tracks.ts: its tracker has dropped it long
 * before), and a track keeps its last MAX_PATH_POINTS points. The distance never needs them (each
 * frame extends the track's last row of the dynamic programme); only a reference path that changes
 * mid-video recomputes the rows from the kept points, so a track longer than that is then measured
 * from its last MAX_PATH_POINTS points.
 */
import { defineBlock, type BlockContext, type Detections, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { anchorPoint } from "../visualizations/draw/anchors.js";
import { BOX_KINDS, frameImageField, trackedDetectionsField, videoMetadataField } from "./analytics-fields.js";
import { frechetLastRow, frechetRow } from "./frechet.js";
import { trackerIds } from "./tracked.js";
import { frameOf, type VideoFrame } from "./video-frame.js";
import { ANCHOR_POSITIONS, readPath, type Point } from "./zone-geometry.js";
import { stepState } from "../video/step-state.js";
import { forgetUnseen, newUnseenTracks, type UnseenTracks } from "../video/unseen-tracks.js";

/** The data column holding each detection's Fréchet distance (Roboflow's PATH_DEVIATION key). */
const PATH_DEVIATION_KEY = "path_deviation";

/** The points a track keeps to recompute its row against a new reference path (about 5 minutes at 30 fps). */
const MAX_PATH_POINTS = 10_000;

interface TrackPath {
  points: Point[];
  /** The last row of the distance's dynamic programme against the state's reference. */
  row: number[];
}

interface PathsState {
  /** The reference the rows were computed against: a new one (a step input may change) recomputes them. */
  reference: Point[];
  tracks: Record<string, TrackPath>;
  unseen: UnseenTracks;
}

interface PathDeviationParams {
  [key: string]: unknown;
  detections: Detections;
  triggering_anchor: string;
  reference_path: unknown;
}

const sameReference = (a: readonly Point[], b: readonly Point[]): boolean =>
  a.length === b.length && a.every((p, i) => p[0] === b[i]![0] && p[1] === b[i]![1]);

function deviations(type: string, frame: VideoFrame, params: PathDeviationParams, ctx: BlockContext) {
  const { detections, triggering_anchor: anchor } = params;
  const ids = trackerIds(detections, type);
  const reference = readPath(params.reference_path, type);
  const state = stepState<PathsState>(ctx, frame.videoId, () => ({ reference, tracks: {}, unseen: newUnseenTracks() }));
  for (const id of forgetUnseen(state.unseen, ids)) delete state.tracks[id];
  if (!sameReference(state.reference, reference)) {
    state.reference = reference;
    for (const track of Object.values(state.tracks)) track.row = frechetLastRow(track.points, reference);
  }
  const distances = ids.map((id, i) => {
    const point = anchorPoint(detections, i, anchor);
    // A detection no tracker followed has no past: its path is this one point.
    if (id === null) return frechetRow(null, point, reference).at(-1)!;
    const track = state.tracks[String(id)];
    if (track) {
      track.points.push(point);
      if (track.points.length > MAX_PATH_POINTS) track.points.shift();
      track.row = frechetRow(track.row, point, reference);
      return track.row.at(-1)!;
    }
    const row = frechetRow(null, point, reference);
    state.tracks[String(id)] = { points: [point], row };
    return row.at(-1)!;
  });
  return { path_deviation_detections: detections.withData(PATH_DEVIATION_KEY, distances) };
}

function fields(video: Record<string, FieldSpec>): Record<string, FieldSpec> {
  return {
    ...video,
    detections: trackedDetectionsField,
    triggering_anchor: {
      description: "The point of each box whose positions, frame after frame, make the object's path.",
      kinds: ["string"],
      schema: { enum: [...ANCHOR_POSITIONS] },
      default: "CENTER",
    },
    reference_path: {
      description: "The path objects should follow: at least 2 points [[x, y], ...], in order.",
      kinds: ["list_of_values"],
      schema: { type: "array" },
      required: true,
    },
  };
}

const OUTPUTS = [
  {
    name: "path_deviation_detections",
    kinds: BOX_KINDS,
    description: "The detections with path_deviation: the Fréchet distance (pixels) of the object's path so far from the reference path.",
  },
] as const;

const V1 = "roboflow_core/path_deviation_analytics@v1";
export const pathDeviationV1Block = defineBlock<PathDeviationParams & { metadata: unknown }>({
  manifest: {
    type: V1,
    name: "Path Deviation",
    description: "Calculate Fréchet distance of object from the reference path.",
    family: "analytics",
    stateful: true,
    fields: fields({ metadata: videoMetadataField }),
    outputs: OUTPUTS,
  },
  run: (params, ctx) => deviations(V1, frameOf({ metadata: params.metadata }), params, ctx),
});

const V2 = "roboflow_core/path_deviation_analytics@v2";
export const pathDeviationV2Block = defineBlock<PathDeviationParams & { image: WorkflowImage }>({
  manifest: {
    type: V2,
    name: "Path Deviation",
    description: "Calculate Fréchet distance of object from the reference path.",
    family: "analytics",
    stateful: true,
    fields: fields({ image: frameImageField }),
    outputs: OUTPUTS,
  },
  run: (params, ctx) => deviations(V2, frameOf({ image: params.image }), params, ctx),
});
