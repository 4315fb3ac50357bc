/**
 * Track Class Lock (roboflow_core/track_class_lock@v1): each tracked object keeps one class once
 * its votes settle (class-votes.ts), so a model flickering between similar classes labels the
 * object the same every frame. A locked detection gets the locked class name and id and the mean
 * confidence of the votes behind it; every detection gets a boolean `class_locked` data column.
 * Detections without a tracker id (or with a negative one) pass unchanged and unlocked. State is
 * per step and video; Roboflow also caps its blocks' videos at 256 (least recently seen dropped),
 * which is the video state store's business here, not this block's.
 */
import { defineBlock, DETECTION_KINDS, type Detections, type FieldSpec, type Problem } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { frameImageField } from "../analytics/analytics-fields.js";
import { trackerIds } from "../analytics/tracked.js";
import { invalidField } from "../errors.js";
import { stepState, videoOf } from "../video/step-state.js";
import { beginFrame, endFrame, newClassLockState, observe, type ClassLockParams, type ClassLockState } from "./class-votes.js";

const TYPE = "roboflow_core/track_class_lock@v1";

interface TrackClassLockParams {
  [key: string]: unknown;
  image: WorkflowImage;
  detections: Detections;
  min_votes: number;
  vote_confidence: number;
  lead_margin: number;
  switch_after: number;
  state_ttl: number;
  reattach_window: number;
  reattach_iou: number;
}

const countField = (description: string, value: number, minimum: number): FieldSpec => ({
  description,
  kinds: ["integer"],
  schema: { type: "integer", minimum },
  default: value,
});

const fractionField = (description: string, value: number): FieldSpec => ({
  description,
  kinds: ["float_zero_to_one"],
  schema: { type: "number", minimum: 0, maximum: 1 },
  default: value,
});

const DEFAULT_STATE_TTL = 300;
const DEFAULT_REATTACH_WINDOW = 30;

const windowBeyondTtl = (reattachWindow: number, stateTtl: number): string =>
  `reattach_window (${reattachWindow}) must not exceed state_ttl (${stateTtl}): a lost track is forgotten after state_ttl frames, so it could never be re-attached later`;

/** The bounds the schema sets on literals, checked again at run time for values that came through selectors. */
function checkedParams(p: TrackClassLockParams): ClassLockParams {
  const counts: [string, number, number][] = [
    ["min_votes", p.min_votes, 1],
    ["lead_margin", p.lead_margin, 0],
    ["switch_after", p.switch_after, 1],
    ["state_ttl", p.state_ttl, 1],
    ["reattach_window", p.reattach_window, 0],
  ];
  for (const [name, value, minimum] of counts) {
    if (!(Number.isInteger(value) && value >= minimum)) throw invalidField(`${TYPE} requires ${name} to be an integer >= ${minimum}, got ${value}`);
  }
  for (const [name, value] of [["vote_confidence", p.vote_confidence], ["reattach_iou", p.reattach_iou]] as const) {
    if (!(typeof value === "number" && value >= 0 && value <= 1)) throw invalidField(`${TYPE} requires ${name} within [0, 1], got ${value}`);
  }
  if (p.reattach_window > p.state_ttl) throw invalidField(`${TYPE}: ${windowBeyondTtl(p.reattach_window, p.state_ttl)}`);
  return {
    minVotes: p.min_votes,
    voteConfidence: p.vote_confidence,
    leadMargin: p.lead_margin,
    switchAfter: p.switch_after,
    stateTtl: p.state_ttl,
    reattachWindow: p.reattach_window,
    reattachIou: p.reattach_iou,
  };
}

export const trackClassLockBlock = defineBlock<TrackClassLockParams>({
  manifest: {
    type: TYPE,
    name: "Track Class Lock",
    description: "Lock the class of each tracked object by majority voting to eliminate class flicker.",
    family: "transformations",
    stateful: true,
    fields: {
      image: frameImageField,
      detections: {
        description: "Tracked predictions (a tracker step's output): each detection's tracker_id names the object whose class is voted on.",
        kinds: DETECTION_KINDS,
        required: true,
      },
      min_votes: countField("Qualifying votes a class needs before a track is first locked to it.", 10, 1),
      vote_confidence: fractionField("Confidence a frame needs to count: as a vote before the lock, towards a challenger's streak after it.", 0.8),
      lead_margin: countField("Votes by which the leading class must beat the next one to lock.", 3, 0),
      switch_after: countField("Consecutive qualifying frames of one other class that change a locked class (any other frame restarts the count).", 15, 1),
      state_ttl: countField("Frames after which the state of a track not seen since is forgotten.", DEFAULT_STATE_TTL, 1),
      reattach_window: countField(
        "A new tracker id appearing where a locked track was lost at most this many frames ago takes its lock and votes over (0: never).",
        DEFAULT_REATTACH_WINDOW,
        0,
      ),
      reattach_iou: fractionField("IoU a new detection needs with a lost locked track's last box to take its lock over.", 0.3),
    },
    outputs: [{ name: "tracked_detections", kinds: DETECTION_KINDS }],
  },
  validate(step): Problem[] {
    const stateTtl = step["state_ttl"] ?? DEFAULT_STATE_TTL;
    const reattachWindow = step["reattach_window"] ?? DEFAULT_REATTACH_WINDOW;
    return typeof stateTtl === "number" && typeof reattachWindow === "number" && reattachWindow > stateTtl
      ? [{ property: "reattach_window", message: windowBeyondTtl(reattachWindow, stateTtl) }]
      : [];
  },
  run(p, ctx) {
    const params = checkedParams(p);
    const { detections } = p;
    const ids = trackerIds(detections, TYPE);
    const state = stepState<ClassLockState>(ctx, videoOf(p.image), newClassLockState);
    beginFrame(state);
    const active = new Set(ids.filter((id): id is number => id !== null && id >= 0));
    const className = [...detections.className];
    const classId = [...detections.classId];
    const confidence = [...detections.confidence];
    const locked = ids.map((id, i) => {
      if (id === null || id < 0) return false;
      const label = observe(state, { trackerId: id, box: detections.box(i), className: className[i]!, classId: classId[i]!, confidence: confidence[i]! }, active, params);
      if (!label) return false;
      className[i] = label.className;
      if (label.classId !== undefined) classId[i] = label.classId;
      confidence[i] = label.confidence;
      return true;
    });
    endFrame(state, params.stateTtl);
    return { tracked_detections: detections.with({ className, classId, confidence }).withData("class_locked", locked) };
  },
});
