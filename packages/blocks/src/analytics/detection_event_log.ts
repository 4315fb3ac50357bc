/**
 * Detection Event Log (v1): a log of the tracked objects a video has shown, as Roboflow's keeps it.
 * Each tracker id gets an event (class, first and last frame seen, their frame timestamps and
 * seconds since the video's first frame, frames seen); an event is pending until its object has
 * been seen on `frame_threshold` frames, then logged. Every `flush_interval` frames the events not
 * seen for more than `stale_frames` frames are dropped; the logged ones among them come out once
 * as `complete_events`. Frames are counted per step and video, from 1, by the block's own runs.
 */
import { defineBlock, TRACKER_ID_KEY, type Detections, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { BOX_KINDS, frameImageField } from "./analytics-fields.js";
import { frameOf } from "./video-frame.js";
import { stepState } from "../video/step-state.js";

/** One tracked object's event, in the shape the outputs give it. */
interface DetectionEvent {
  tracker_id: number;
  class_name: string;
  first_seen_frame: number;
  /** Seconds since the epoch: the frame's frame_timestamp. */
  first_seen_timestamp: number;
  last_seen_frame: number;
  last_seen_timestamp: number;
  /** Seconds since the video's first frame (by frame_timestamp). */
  first_seen_relative: number;
  last_seen_relative: number;
  frame_count: number;
}

interface EventLogState {
  /** Frames this step has run on for the video. */
  frames: number;
  /** The frame the last clean-up ran at (the first frame before any). */
  lastFlush: number;
  /** The video's first frame_timestamp, seconds since the epoch. */
  start: number;
  events: Record<string, DetectionEvent>;
}

type EventsById = Record<string, DetectionEvent>;

/** Drops the events unseen for more than `staleFrames`; returns the logged ones among them. */
function removeStale(state: EventLogState, staleFrames: number, threshold: number): EventsById {
  const complete: EventsById = {};
  for (const [id, event] of Object.entries(state.events)) {
    if (state.frames - event.last_seen_frame <= staleFrames) continue;
    delete state.events[id];
    if (event.frame_count >= threshold) complete[id] = event;
  }
  return complete;
}

function observe(state: EventLogState, detections: Detections, frame: { stamp: number; relative: number }): void {
  for (let i = 0; i < detections.length; i++) {
    const id = detections.trackerId(i);
    if (id === null) continue;
    const event = state.events[String(id)];
    if (event) {
      event.last_seen_frame = state.frames;
      event.last_seen_timestamp = frame.stamp;
      event.last_seen_relative = frame.relative;
      event.frame_count += 1;
      continue;
    }
    state.events[String(id)] = {
      tracker_id: id,
      class_name: detections.className[i]!,
      first_seen_frame: state.frames,
      first_seen_timestamp: frame.stamp,
      last_seen_frame: state.frames,
      last_seen_timestamp: frame.stamp,
      first_seen_relative: frame.relative,
      last_seen_relative: frame.relative,
      frame_count: 1,
    };
  }
}

/** Copies: the state's events change on later frames, an output must not. */
function eventLog(state: EventLogState, threshold: number) {
  const logged: EventsById = {};
  const pending: EventsById = {};
  for (const [id, event] of Object.entries(state.events)) (event.frame_count >= threshold ? logged : pending)[id] = { ...event };
  return { logged, pending };
}

const count = (description: string, defaultValue: number): FieldSpec => ({
  description,
  kinds: ["integer"],
  schema: { type: "integer", minimum: 1 },
  default: defaultValue,
});

interface EventLogParams {
  [key: string]: unknown;
  image: WorkflowImage;
  detections: Detections;
  frame_threshold: number;
  flush_interval: number;
  stale_frames: number;
}

export const detectionEventLogBlock = defineBlock<EventLogParams>({
  manifest: {
    type: "roboflow_core/detection_event_log@v1",
    name: "Detection Event Log",
    description: "Tracks detection events over time, logging when objects first appear and persist.",
    family: "analytics",
    stateful: true,
    fields: {
      image: frameImageField,
      detections: {
        description: "Tracked predictions (a tracker step's output); detections without a tracker id are not logged.",
        kinds: BOX_KINDS,
        required: true,
      },
      frame_threshold: count("Frames an object must be seen on before its event is logged.", 30),
      flush_interval: count("How often (in frames) events not seen for stale_frames frames are dropped.", 30),
      stale_frames: count("Frames unseen after which an event is dropped (at the next clean-up).", 300),
      reference_timestamp: {
        description: "Deprecated and unused (as in Roboflow): times come from the frames' frame_timestamp.",
        kinds: ["float"],
        schema: { type: ["number", "null"] },
        default: null,
      },
      fallback_fps: {
        description: "Roboflow's frame rate for frames without a frame_timestamp; every frame here has one, so it is unused.",
        kinds: ["float"],
        schema: { type: "number", exclusiveMinimum: 0 },
        default: 1.0,
      },
    },
    outputs: [
      { name: "event_log", kinds: ["dictionary"], description: '{"logged": {...}, "pending": {...}}: the events by tracker id.' },
      { name: "detections", kinds: BOX_KINDS, description: "The input detections, unchanged." },
      { name: "total_logged", kinds: ["integer"], description: "How many events are logged." },
      { name: "total_pending", kinds: ["integer"], description: "How many events are pending." },
      { name: "complete_events", kinds: ["dictionary"], description: "Logged events dropped in this frame's clean-up: objects that have left." },
    ],
  },
  run({ image, detections, frame_threshold: threshold, flush_interval, stale_frames }, ctx) {
    const metadata = image.videoMetadata;
    const stamp = Date.parse(metadata.frame_timestamp) / 1000;
    const state = stepState<EventLogState>(ctx, frameOf({ image }).videoId, () => ({
      frames: 0,
      lastFlush: 1,
      start: stamp,
      events: {},
    }));
    state.frames += 1;
    let complete: EventsById = {};
    if (state.frames - state.lastFlush >= flush_interval) {
      complete = removeStale(state, stale_frames, threshold);
      state.lastFlush = state.frames;
    }
    if (TRACKER_ID_KEY in detections.data) observe(state, detections, { stamp, relative: stamp - state.start });
    const log = eventLog(state, threshold);
    return {
      event_log: log,
      detections,
      total_logged: Object.keys(log.logged).length,
      total_pending: Object.keys(log.pending).length,
      complete_events: complete,
    };
  },
});
