/**
 * What Roboflow's `trackers` family of blocks (roboflow_core/trackers_sort@v1, trackers_ocsort@v1,
 * trackers_botsort@v1, trackers_bytetrack@v1) share: an image whose video metadata names the video
 * and its fps, the frame's detections, `instances_cache_size`, and three outputs — the detections of
 * confirmed tracks with their tracker ids, and those split into first sightings and returning ones.
 * Each video has its own tracker, made on its first frame with that frame's parameters (later
 * changes have no effect, as Roboflow's block caches the tracker per video); a video without an fps
 * counts as 30 fps, as theirs does.
 */
import { defineBlock, DETECTION_KINDS, type Detections, type ElementBlock, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { stepState } from "../video/step-state.js";
import { newInstanceCache, splitByFirstSight, type InstanceCache } from "./instance-cache.js";

export type Box = [number, number, number, number];

/** The detections a frame's update keeps (indices into the frame's detections), each with its tracker id (-1: not confirmed). */
export interface FrameTracks {
  indices: number[];
  ids: number[];
}

export interface TrackerFamilyParams {
  [key: string]: unknown;
  image: WorkflowImage;
  detections: Detections;
  instances_cache_size: number;
}

interface FamilyState<T> {
  tracker: T;
  instances: InstanceCache;
}

const FPS_WHEN_UNKNOWN = 30;

export const integerField = (description: string, value: number): FieldSpec => ({
  description,
  kinds: ["integer"],
  schema: { type: ["integer", "null"] },
  default: value,
});

export const fractionField = (description: string, value: number): FieldSpec => ({
  description,
  kinds: ["float_zero_to_one"],
  schema: { type: ["number", "null"], minimum: 0, maximum: 1 },
  default: value,
});

export const booleanField = (description: string, value: boolean): FieldSpec => ({
  description,
  kinds: ["boolean"],
  schema: { type: "boolean" },
  default: value,
});

/** Frames a lost track survives: the buffer (counted at 30 fps) scaled to the video's fps, floored. */
export function framesWithoutUpdate(lostTrackBuffer: number, fps: number): number {
  return Math.floor((fps / 30) * lostTrackBuffer);
}

export function boxesOf(detections: Detections): Box[] {
  return Array.from({ length: detections.length }, (_, i) => detections.box(i));
}

export function trackerFamilyBlock<P extends TrackerFamilyParams, T>(spec: {
  type: string;
  name: string;
  description: string;
  fields: Record<string, FieldSpec>;
  /** A video's tracker, as JSON data, from the step's parameters on the video's first frame. */
  create(params: P, fps: number): T;
  update(tracker: T, params: P): FrameTracks;
}): ElementBlock<P> {
  return defineBlock<P>({
    manifest: {
      type: spec.type,
      name: spec.name,
      description: spec.description,
      family: "transformations",
      stateful: true,
      fields: {
        image: {
          description: "The video frame: its video metadata names the video (one tracker each) and its fps.",
          kinds: ["image"],
          required: true,
        },
        detections: { description: "The frame's detections to track.", kinds: DETECTION_KINDS, required: true },
        ...spec.fields,
        instances_cache_size: {
          description: "How many tracker ids are remembered (oldest forgotten first) to tell new instances from already seen ones.",
          schema: { type: "integer" },
          default: 16384,
        },
      },
      outputs: [
        { name: "tracked_detections", kinds: DETECTION_KINDS },
        { name: "new_instances", kinds: DETECTION_KINDS },
        { name: "already_seen_instances", kinds: DETECTION_KINDS },
      ],
    },
    run(p, ctx) {
      const meta = p.image.videoMetadata;
      const state = stepState<FamilyState<T>>(ctx, meta.video_identifier, () => ({
        tracker: spec.create(p, meta.fps || FPS_WHEN_UNKNOWN),
        instances: newInstanceCache(p.instances_cache_size),
      }));
      const { indices, ids } = spec.update(state.tracker, p);
      const confirmed = ids.flatMap((id, k) => (id === -1 ? [] : [k]));
      const tracked = p.detections.select(confirmed.map((k) => indices[k]!)).withTrackerIds(confirmed.map((k) => ids[k]!));
      const { fresh, seen } = splitByFirstSight(state.instances, tracked);
      return { tracked_detections: tracked, new_instances: fresh, already_seen_instances: seen };
    },
  });
}
