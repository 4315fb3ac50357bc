/**
 * A segment's cache: what the worker's run of a frame saved comes back, through the replay's
 * checkpoints, as the same values (Detections included); steps that are not replayable run; a
 * replayable step the cache lacks is an error; a frame decoded to other pixels is told apart.
 */
import { describe, expect, it } from "vitest";
import { Detections } from "@cvflow/engine";
import { frameDigest, SegmentCache, SegmentCacheWriter } from "../src/video-step-cache.js";

const signal = new AbortController().signal;
const timing = { startedAt: 1, durationMs: 30, elements: 1, skipped: 0 };

describe("segment cache", () => {
  it("gives back a frame's cached step outputs, losslessly, for the replayable steps only", async () => {
    const detections = new Detections({ image: { width: 64, height: 48 }, xyxy: [1, 2, 30, 40], confidence: [0.9], classId: [0], className: ["person"], data: { tracker_id: [3] } });
    const writer = new SegmentCacheWriter();
    const pixels = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const { checkpoints, done } = writer.frame(7, frameDigest(pixels));
    await checkpoints.save("model", [{ predictions: detections }], timing, signal);
    expect(await checkpoints.restore("model", signal)).toBeUndefined();
    done();
    const cache = SegmentCache.parse(writer.bytes());
    expect([cache.has(7), cache.has(8)]).toEqual([true, false]);
    expect(cache.samePixels(7, frameDigest(pixels))).toBe(true);
    expect(cache.samePixels(7, frameDigest(new Uint8Array([1, 2, 3, 4, 5, 7])))).toBe(false);

    const replay = cache.checkpoints(7, new Set(["model", "filter"]));
    const restored = await replay.restore("model", signal);
    expect(restored?.timing).toEqual(timing);
    const [record] = restored!.output as [{ predictions: Detections }];
    expect(record.predictions).toBeInstanceOf(Detections);
    expect(record.predictions).toEqual(detections);
    expect(await replay.restore("tracker", signal)).toBeUndefined();
    await expect(replay.restore("filter", signal)).rejects.toThrow('no output of step "filter" for frame 7');
  });
});
