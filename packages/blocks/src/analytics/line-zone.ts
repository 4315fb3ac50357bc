/**
 * Counting tracked objects that cross a line segment, as supervision's LineZone counts them (the
 * line counter blocks use it): an object is on the line's left or right when all its triggering
 * anchors are, and only while they lie between the two perpendiculars through the segment's ends;
 * a track that is seen on one side and then on the other has crossed, once per change of side.
 * The state is plain JSON data, kept per step and video. supervision keeps every tracker id's side
 * forever; here an id unseen for FORGET_AFTER_FRAMES frames is forgotten (unseen-tracks.ts: its
 * tracker has dropped it long before), so a stream's state stays bounded.
 */
import type { Detections } from "@cvflow/engine";
import { forgetUnseen, newUnseenTracks, type UnseenTracks } from "../video/unseen-tracks.js";
import { anchorsOf, type Point } from "./zone-geometry.js";

/** supervision's default anchors for a line: the four corners of the box. */
export const LINE_CORNER_ANCHORS = ["TOP_LEFT", "TOP_RIGHT", "BOTTOM_LEFT", "BOTTOM_RIGHT"] as const;

export interface LineZoneState {
  line: [Point, Point];
  anchors: string[];
  /** Per tracker id: the sides it was last seen on (true: left, the "in" side), the latest last; at most 2. */
  sides: Record<string, boolean[]>;
  unseen: UnseenTracks;
  countIn: number;
  countOut: number;
}

export function newLineZone(line: [Point, Point], anchors: readonly string[]): LineZoneState {
  return { line, anchors: [...anchors], sides: {}, unseen: newUnseenTracks(), countIn: 0, countOut: 0 };
}

/** z of (b - a) x (p - a): negative when p is on the left of a -> b in image coordinates (y down). */
function cross(a: Point, b: Point, p: Point): number {
  return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
}

/**
 * Updates the counts with one frame's detections and says which of them crossed in and which out
 * in this frame. Detections without a tracker id are not followed.
 */
export function crossLine(state: LineZoneState, detections: Detections, ids: readonly (number | null)[]): { crossedIn: boolean[]; crossedOut: boolean[] } {
  const crossedIn = new Array<boolean>(detections.length).fill(false);
  const crossedOut = new Array<boolean>(detections.length).fill(false);
  for (const id of forgetUnseen(state.unseen, ids)) delete state.sides[id];
  const [start, end] = state.line;
  const length = Math.hypot(end[0] - start[0], end[1] - start[1]);
  // The perpendiculars through each end, as unit steps: an anchor is within the segment's reach
  // when it lies on the same side of both.
  const nx = -(end[1] - start[1]) / length;
  const ny = (end[0] - start[0]) / length;
  const startLimit: [Point, Point] = [start, [start[0] + nx, start[1] + ny]];
  const endLimit: [Point, Point] = [end, [end[0] - nx, end[1] - ny]];
  for (let i = 0; i < detections.length; i++) {
    const id = ids[i];
    if (id === null || id === undefined) continue;
    const anchors = anchorsOf(detections, i, state.anchors);
    const withinReach = anchors.every((p) => cross(...startLimit, p) > 0 === cross(...endLimit, p) > 0);
    if (!withinReach) continue;
    const left = anchors.map((p) => cross(start, end, p) < 0);
    // Anchors on both sides: the object is on the line, neither side.
    if (left.some((l) => l) && left.some((l) => !l)) continue;
    const side = left[0]!;
    const history = (state.sides[String(id)] ??= []);
    history.push(side);
    if (history.length > 2) history.shift();
    if (history.length < 2 || history[0] === side) continue;
    if (side) {
      state.countIn++;
      crossedIn[i] = true;
    } else {
      state.countOut++;
      crossedOut[i] = true;
    }
  }
  return { crossedIn, crossedOut };
}
