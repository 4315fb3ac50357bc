/**
 * byte_tracker@v3 on real detections: yolov8n's people on the first 100 frames of
 * ../shared/videos/vtest.avi (10 fps), from vtest-fixtures.ts as the other trackers' tests take them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { MemoryVideoState, type Detections } from "@cvflow/engine";
import { byteTrackerV3Block } from "../src/trackers/byte_tracker.js";
import { trackCentres, vtestFrames, vtestUnavailable, type TrackCentres } from "./vtest-fixtures.js";

const FRAMES = 100;

describe.skipIf(vtestUnavailable("byte_tracker on vtest.avi"))("byte_tracker@v3 on vtest.avi", () => {
  const frames: TrackCentres[] = [];
  const fresh: number[][] = [];

  beforeAll(async () => {
    const { images, people } = await vtestFrames(FRAMES);
    const ctx = { signal: new AbortController().signal, step: "tracker", index: [], services: { videoState: new MemoryVideoState() } };
    const defaults = Object.fromEntries(Object.entries(byteTrackerV3Block.manifest.fields).map(([k, f]) => [k, f.default]));
    for (let n = 0; n < FRAMES; n++) {
      const out = (await byteTrackerV3Block.run({ ...defaults, image: images[n]!, detections: people[n]! } as never, ctx)) as Record<string, Detections>;
      frames.push(trackCentres(out["tracked_detections"]!));
      const fr = out["new_instances"]!;
      fresh.push(Array.from({ length: fr.length }, (_, i) => fr.trackerId(i)!));
    }
  }, 300_000);

  /** The id of the track whose centre on frame `n` lies within 40 px of `at`. */
  function idNear(n: number, at: [number, number]): number | undefined {
    const hit = Object.entries(frames[n]!).find(([, [x, y]]) => Math.hypot(x - at[0], y - at[1]) < 40);
    return hit && Number(hit[0]);
  }

  // Hand-checked on frames 0, 15, 30, 45, 60, 75, 90 and 99 (centres in pixels of the 768 x 576 frame).
  const PEOPLE: { who: string; path: [number, [number, number]][] }[] = [
    { who: "the walker at the left at frame 0, crossing to the lamp post", path: [[0, [268, 264]], [20, [380, 234]], [40, [409, 224]]] },
    { who: "the first of the pair entering at the right around frame 12", path: [[12, [753, 352]], [45, [590, 260]], [99, [503, 185]]] },
    { who: "the second of that pair, from frame 18", path: [[18, [753, 330]], [45, [560, 265]], [99, [527, 187]]] },
    { who: "the walker entering at the right around frame 41", path: [[41, [750, 336]], [60, [630, 290]], [99, [602, 196]]] },
  ];

  it.each(PEOPLE)("$who keeps one tracker id", ({ path }) => {
    const [first, ...rest] = path;
    const id = idNear(first![0], first![1]);
    expect(id).toBeDefined();
    for (const [n, at] of rest) expect(idNear(n, at), `frame ${n}`).toBe(id);
    // ...and on every frame between its first and last checkpoint but for brief misses (< 10% of them).
    const span = path.at(-1)![0] - first![0] + 1;
    const present = frames.slice(first![0], path.at(-1)![0] + 1).filter((f) => f[id!]).length;
    expect(present / span).toBeGreaterThan(0.9);
  });

  it("gives about one id per person: at most 4 more ids than the 8 people the 100 frames show", () => {
    // 8 people appear; the group passing the lamp post (frames 20-65) occludes each other, which
    // is where ByteTrack (IoU only, no appearance) may restart a track: 4 such restarts at most.
    const ids = new Set(frames.flatMap((f) => Object.keys(f).map(Number)));
    expect(ids.size).toBeLessThanOrEqual(12);
    // Every id is new exactly once, the frame it is first output.
    expect(fresh.flat().sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
  });
});
