import { describe, expect, it } from "vitest";
import { newByteTrack, trackerIdsFor, updateByteTrack, type ByteTrackParams } from "../src/trackers/bytetrack.js";

type Box = [number, number, number, number];
const PARAMS: ByteTrackParams = { trackActivationThreshold: 0.25, lostTrackBuffer: 30, minimumMatchingThreshold: 0.8, minimumConsecutiveFrames: 1, frameRate: 30 };

/** Runs frames of boxes (all at confidence 0.9) through a tracker; each frame's ids, in box order. */
function track(frames: readonly Box[][], params: Partial<ByteTrackParams> = {}, score = 0.9): number[][] {
  const state = newByteTrack({ ...PARAMS, ...params });
  return frames.map((boxes) => {
    const tracks = updateByteTrack(state, boxes, boxes.map(() => score));
    // The state is plain data: what a video job stores between invocations is enough to go on.
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    return trackerIdsFor(boxes, tracks);
  });
}

/** A 40 x 80 box whose top-left corner moves by (dx, dy) a frame from (x, y). */
const mover = (x: number, y: number, dx: number, dy: number) => (f: number): Box => [x + dx * f, y + dy * f, x + dx * f + 40, y + dy * f + 80];

describe("ByteTrack (supervision's algorithm)", () => {
  it("keeps one id per moving object, including when they pass each other", () => {
    const a = mover(0, 100, 6, 0);
    const b = mover(400, 110, -6, 0);
    const ids = track(Array.from({ length: 60 }, (_, f) => [a(f), b(f)]));
    expect(ids[0]).toEqual([1, 2]);
    // On the frames where the boxes overlap both are still detected; ids never swap.
    for (const frame of ids) expect(frame).toEqual([1, 2]);
  });

  it("keeps the id through an occlusion shorter than the lost buffer, and gives a later newcomer a new id", () => {
    const a = mover(0, 100, 5, 2);
    const frames = Array.from({ length: 40 }, (_, f) => (f >= 10 && f < 20 ? [] : [a(f)]));
    frames[30] = [a(30), [500, 300, 560, 400]];
    frames[31] = [a(31), [501, 300, 561, 400]];
    const ids = track(frames);
    expect(ids.slice(0, 10).flat()).toEqual(Array(10).fill(1));
    expect(ids.slice(10, 20).flat()).toEqual([]);
    expect(ids.slice(20, 30).flat()).toEqual(Array(10).fill(1));
    // A track born after the first frame is output from its second frame on, with the next id.
    expect(ids[30]).toEqual([1, -1]);
    expect(ids[31]).toEqual([1, 2]);
  });

  it("forgets a track lost for longer than lost_track_buffer, scaled by the frame rate", () => {
    const a = mover(0, 100, 2, 0);
    const frames = (gap: number) => Array.from({ length: 12 + gap }, (_, f) => (f >= 5 && f < 5 + gap ? [] : [a(f)]));
    // 10 frames at 30 fps; at 15 fps the buffer is 5 frames, and a track is out of the lost list one
    // frame after it is removed (as in sv.ByteTrack): gone after 7 empty frames, not after 6.
    expect(track(frames(7), { lostTrackBuffer: 10 }).at(-1)).toEqual([1]);
    expect(track(frames(6), { lostTrackBuffer: 10, frameRate: 15 }).at(-1)).toEqual([1]);
    expect(track(frames(7), { lostTrackBuffer: 10, frameRate: 15 }).at(-1)).toEqual([2]);
  });

  it("gives ids only after minimum_consecutive_frames matched frames", () => {
    const a = mover(0, 100, 3, 0);
    const ids = track(Array.from({ length: 5 }, (_, f) => [a(f)]), { minimumConsecutiveFrames: 3 });
    expect(ids.flat()).toEqual([-1, -1, -1, 1, 1]);
  });

  it("starts no track from detections under the activation threshold + 0.1", () => {
    const a = mover(0, 100, 3, 0);
    expect(track(Array.from({ length: 5 }, (_, f) => [a(f)]), {}, 0.3).flat()).toEqual([-1, -1, -1, -1, -1]);
  });
});
