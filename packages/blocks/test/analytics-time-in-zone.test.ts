import { serializeDetections, type Detections } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { timeInZoneV1Block, timeInZoneV2Block, timeInZoneV3Block } from "../src/analytics/time_in_zone.js";
import { frameImage, frameMetadata, tracked, videoRunner } from "./analytics-fixtures.js";

const SQUARE = [[100, 100], [100, 200], [200, 200], [200, 100]];
const at = (cx: number, cy: number, id: number) => ({ box: [cx - 10, cy - 10, cx + 10, cy + 10] as [number, number, number, number], id });

/** Track 1 goes out, in for frames 1-4, out at 5, back in at 6-7; track 2 stays in. Frames of a 4 fps file: 0.25 s apart, exactly. */
const PATH: [number, number][] = [[50, 150], [150, 150], [150, 150], [150, 150], [150, 150], [250, 150], [150, 150], [150, 150]];

/** Per frame: [tracker id, seconds in zone] of each output detection. */
async function timesAlongPath(options: Record<string, boolean>): Promise<[number | null, number][][]> {
  const { run } = videoRunner(timeInZoneV2Block);
  const frames: [number | null, number][][] = [];
  for (const [n, [x, y]] of PATH.entries()) {
    const out = await run({ ...options, zone: SQUARE, image: frameImage(frameMetadata(n, { fps: 4 })), detections: tracked([at(x, y, 1), at(160, 160, 2)]) });
    const timed = out["timed_detections"] as Detections;
    frames.push(Array.from({ length: timed.length }, (_, i) => [timed.trackerId(i), timed.data["time_in_zone"]![i] as number]));
  }
  return frames;
}

describe("time_in_zone", () => {
  it("v2 by default: time per track from its entry at frame_number / fps; out-of-zone detections left out and their time reset", async () => {
    expect(await timesAlongPath({})).toEqual([
      [[2, 0]],
      [[1, 0], [2, 0.25]],
      [[1, 0.25], [2, 0.5]],
      [[1, 0.5], [2, 0.75]],
      [[1, 0.75], [2, 1]],
      [[2, 1.25]],
      [[1, 0], [2, 1.5]],
      [[1, 0.25], [2, 1.75]],
    ]);
  });

  it("without reset, a track back in the zone counts from its first entry; keeping out-of-zone detections gives them 0 and forgets their entry", async () => {
    const noReset = await timesAlongPath({ reset_out_of_zone_detections: false });
    expect(noReset[5]).toEqual([[2, 1.25]]);
    expect(noReset[6]).toEqual([[1, 1.25], [2, 1.5]]);
    expect(noReset[7]).toEqual([[1, 1.5], [2, 1.75]]);

    const kept = await timesAlongPath({ remove_out_of_zone_detections: false, reset_out_of_zone_detections: false });
    expect(kept[0]).toEqual([[1, 0], [2, 0]]);
    expect(kept[5]).toEqual([[1, 0], [2, 1.25]]);
    expect(kept[6]).toEqual([[1, 0], [2, 1.5]]);
  });

  it("decides inside as supervision's filled polygon: boundary included, anchors rounded up to a pixel", async () => {
    const { run } = videoRunner(timeInZoneV2Block);
    const detections = tracked([
      { box: [99, 140, 100, 160], id: 1 }, // centre x 99.5 -> pixel 100: on the edge, inside
      { box: [190, 140, 210, 160], id: 2 }, // centre x 200: on the edge, inside
      { box: [200, 140, 201, 160], id: 3 }, // centre x 200.5 -> 201: outside
      { box: [90, 140, 108, 160], id: 4 }, // centre x 99: outside
    ]);
    const out = (await run({ zone: SQUARE, image: frameImage(frameMetadata(0)), detections }))["timed_detections"] as Detections;
    expect(out.detectionId).toEqual(["d0", "d1"]);
    const wire = serializeDetections(out).predictions;
    expect(wire.map((p) => [p["tracker_id"], p["time_in_zone"]])).toEqual([[1, 0], [2, 0]]);
  });

  it("v1 reads its `metadata` input; a stream's frame (not from a file) is timed by its frame_timestamp", async () => {
    const { run } = videoRunner(timeInZoneV1Block);
    const times: number[] = [];
    for (let n = 0; n < 3; n++) {
      // Frame numbers one apart at 4 fps (0.25 s), timestamps 0.5 s apart: the timestamps rule.
      const metadata = { ...frameMetadata(1000 + n, { fromFile: false }), frame_timestamp: new Date(Date.UTC(2024, 0, 1) + n * 500).toISOString(), fps: 4 };
      const out = await run({ zone: SQUARE, metadata, image: frameImage(frameMetadata(0, { video: "ignored" })), detections: tracked([at(150, 150, 9)]) });
      times.push((out["timed_detections"] as Detections).data["time_in_zone"]![0] as number);
    }
    expect(times).toEqual([0, 0.5, 1]);
    await expect(run({ zone: [[0, 0], [1, 1]], metadata: frameMetadata(0, { video: "new" }), detections: tracked([at(1, 1, 1)]) })).rejects.toMatchObject({
      code: "invalid_field",
      message: "roboflow_core/time_in_zone@v1 requires zone to be a list of at least 3 points",
    });
    await expect(run({ zone: SQUARE, metadata: frameMetadata(0, { video: "other" }), detections: tracked([at(1, 1, 1)], false) })).rejects.toMatchObject({
      code: "untracked_detections",
    });
  });

  it("v3 takes several zones (inside any is inside: time goes on across adjacent zones) or one polygon", async () => {
    const { run } = videoRunner(timeInZoneV3Block);
    const zones = [SQUARE, [[200, 100], [200, 200], [300, 200], [300, 100]]];
    const seconds: (number | undefined)[] = [];
    for (const [n, x] of [150, 250, 350].entries()) {
      const out = (await run({ zone: zones, image: frameImage(frameMetadata(n, { fps: 4 })), detections: tracked([at(x, 150, 3)]) }))["timed_detections"] as Detections;
      seconds.push(out.data["time_in_zone"]?.[0] as number | undefined);
    }
    expect(seconds).toEqual([0, 0.25, undefined]);

    const single = videoRunner(timeInZoneV3Block);
    const one = (await single.run({ zone: SQUARE, image: frameImage(frameMetadata(0)), detections: tracked([at(150, 150, 1), at(250, 150, 2)]) }))["timed_detections"] as Detections;
    expect(one.detectionId).toEqual(["d0"]);
    await expect(single.run({ zone: [SQUARE, [1, 2]], image: frameImage(frameMetadata(1)), detections: tracked([]) })).rejects.toMatchObject({ code: "invalid_field" });
  });
});
