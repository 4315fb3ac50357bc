/**
 * A camera pipeline runs for days and its trackers hand out ever larger ids: every stateful block's
 * video state must stop growing. Each block runs over synthetic frames of a 200 x 200 scene in
 * which a new object appears every 4 frames, crosses a line for 20 frames and vanishes (inside the
 * zone, as a person leaving a camera's view mid-zone does): 10 000 frames for the blocks that
 * forget an id after FORGET_AFTER_FRAMES (and the small ones), 2 000 for the trackers, whose state
 * settles within their lost-track buffer and first-sight cache. The JSON size of each block's video
 * state, sampled along the run, must stay flat once settled. Blocks whose state is one value or one
 * model per pixel (delta_filter, rate_limiter, motion_detection, background_subtraction) are left out.
 */
import { Detections, MemoryVideoState, type BlockParams, type ElementBlock } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { dataAggregatorBlock } from "../src/analytics/data_aggregator.js";
import { detectionEventLogBlock } from "../src/analytics/detection_event_log.js";
import { lineCounterV1Block, lineCounterV2Block } from "../src/analytics/line_counter.js";
import { pathDeviationV1Block, pathDeviationV2Block } from "../src/analytics/path_deviation.js";
import { timeInZoneV1Block, timeInZoneV2Block, timeInZoneV3Block } from "../src/analytics/time_in_zone.js";
import { velocityBlock } from "../src/analytics/velocity.js";
import { byteTrackerV1Block, byteTrackerV3Block } from "../src/trackers/byte_tracker.js";
import { stabilizeDetectionsBlock } from "../src/trackers/stabilize_detections.js";
import { trackClassLockBlock } from "../src/trackers/track_class_lock.js";
import { botSortTrackerBlock } from "../src/trackers/trackers_botsort.js";
import { byteTrackTrackerBlock } from "../src/trackers/trackers_bytetrack.js";
import { ocSortTrackerBlock } from "../src/trackers/trackers_ocsort.js";
import { sortTrackerBlock } from "../src/trackers/trackers_sort.js";
import { bufferBlock } from "../src/video/buffer.js";
import { frameDelayBlock } from "../src/video/frame_delay.js";
import { identifyOutliersBlock } from "../src/video/identify_outliers.js";
import { FORGET_AFTER_FRAMES } from "../src/video/unseen-tracks.js";
import { heatmapVisualizationBlock } from "../src/visualizations/heatmap.js";
import { traceVisualizationBlock } from "../src/visualizations/trace.js";
import { frameImage, frameMetadata, videoRunner } from "./analytics-fixtures.js";

const NEW_OBJECT_EVERY = 4;
const LIFE = 20;
const LINE = [[100, 0], [100, 200]];
/** The right part of the scene: objects enter it halfway through their life and vanish in it. */
const ZONE = [[90, 0], [200, 0], [200, 200], [90, 200]];

type Row = { box: [number, number, number, number]; id: number };

/** The objects of frame n: object k lives in frames [4k, 4k + 20), moving 2 px a frame right from x = 80, on row k mod 8. */
function scene(n: number): Row[] {
  const rows = [];
  for (let k = Math.max(0, Math.ceil((n - LIFE + 1) / NEW_OBJECT_EVERY)); k * NEW_OBJECT_EVERY <= n; k++) {
    const cx = 80 + 2 * (n - k * NEW_OBJECT_EVERY);
    const cy = 12 + (k % 8) * 24;
    rows.push({ box: [cx - 8, cy - 8, cx + 8, cy + 8] as Row["box"], id: k + 1 });
  }
  return rows;
}

/** The rows as a 200 x 200 frame's detections, with their ids as tracker ids or not yet tracked. */
function detections(rows: readonly Row[], withIds = true): Detections {
  const found = new Detections({
    image: { width: 200, height: 200 },
    xyxy: rows.flatMap((r) => r.box),
    confidence: rows.map(() => 0.9),
    classId: rows.map(() => 0),
    className: rows.map(() => "person"),
    detectionId: rows.map((_, i) => `d${i}`),
  });
  return withIds ? found.withTrackerIds(rows.map((r) => r.id)) : found;
}

interface Frame {
  n: number;
  metadata: ReturnType<typeof frameMetadata>;
  image: ReturnType<typeof frameImage>;
  /** The scene's boxes with their object's id as tracker id (what a tracker upstream gives). */
  tracks: Detections;
  /** The same boxes before any tracker. */
  raw: Detections;
}

/** A block, and its parameters for a frame. */
interface Case {
  name: string;
  block: ElementBlock<BlockParams>;
  params(frame: Frame): Record<string, unknown>;
}

const onTracks = (extra: Record<string, unknown> = {}) => (f: Frame) => ({ image: f.image, detections: f.tracks, ...extra });
const onMetadata = (extra: Record<string, unknown>) => (f: Frame) => ({ metadata: f.metadata, detections: f.tracks, ...extra });
const onRaw = (extra: Record<string, unknown> = {}) => (f: Frame) => ({ image: f.image, detections: f.raw, ...extra });

const TRACKERS: Case[] = [
  // Lost tracks go after lost_track_buffer; the first-sight cache is Roboflow's FIFO of
  // instances_cache_size ids (16 384 by default), made small here so that the run reaches it.
  { name: "byte_tracker@v1", block: byteTrackerV1Block, params: (f) => ({ metadata: f.metadata, detections: f.raw }) },
  { name: "byte_tracker@v3", block: byteTrackerV3Block, params: onRaw({ instances_cache_size: 200 }) },
  { name: "trackers_sort", block: sortTrackerBlock, params: onRaw({ instances_cache_size: 200 }) },
  { name: "trackers_ocsort", block: ocSortTrackerBlock, params: onRaw({ instances_cache_size: 200 }) },
  { name: "trackers_bytetrack", block: byteTrackTrackerBlock, params: onRaw({ instances_cache_size: 200 }) },
  { name: "trackers_botsort", block: botSortTrackerBlock, params: onRaw({ instances_cache_size: 200 }) },
];

const FORGETTING: Case[] = [
  { name: "stabilize_detections", block: stabilizeDetectionsBlock, params: onTracks() },
  { name: "track_class_lock", block: trackClassLockBlock, params: onTracks() },
  { name: "line_counter@v1", block: lineCounterV1Block, params: onMetadata({ line_segment: LINE }) },
  { name: "line_counter@v2", block: lineCounterV2Block, params: onTracks({ line_segment: LINE }) },
  { name: "time_in_zone@v1", block: timeInZoneV1Block, params: (f) => ({ ...onMetadata({ zone: ZONE })(f), image: f.image }) },
  { name: "time_in_zone@v2", block: timeInZoneV2Block, params: onTracks({ zone: ZONE }) },
  { name: "time_in_zone@v3", block: timeInZoneV3Block, params: onTracks({ zone: [ZONE] }) },
  { name: "velocity", block: velocityBlock, params: onTracks() },
  { name: "path_deviation@v1", block: pathDeviationV1Block, params: onMetadata({ reference_path: [[80, 12], [120, 12]] }) },
  { name: "path_deviation@v2", block: pathDeviationV2Block, params: onTracks({ reference_path: [[80, 12], [120, 12]] }) },
  { name: "detection_event_log", block: detectionEventLogBlock, params: onTracks() },
  { name: "trace", block: traceVisualizationBlock, params: (f) => ({ image: f.image, predictions: f.tracks }) },
  { name: "heatmap", block: heatmapVisualizationBlock, params: (f) => ({ image: f.image, predictions: f.tracks, ignore_stationary: true }) },
  { name: "buffer", block: bufferBlock, params: (f) => ({ data: f.n, length: 5 }) },
  { name: "frame_delay", block: frameDelayBlock, params: (f) => ({ image: f.image, data: f.n, offset: -3 }) },
  {
    name: "identify_outliers",
    block: identifyOutliersBlock,
    params: (f) => ({ embedding: [1, Math.sin(f.n), Math.cos(f.n), (f.n % 7) / 7] }),
  },
  {
    name: "data_aggregator",
    block: dataAggregatorBlock,
    params: (f) => ({ data: { id: f.n }, data_operations: {}, aggregation_mode: { id: ["sum", "values_counts"] }, interval_unit: "runs", interval: 100 }),
  },
];

function frameAt(n: number): Frame {
  const metadata = frameMetadata(n, { fps: 30, video: "camera-1" });
  const rows = scene(n);
  return { n, metadata, image: frameImage(metadata), tracks: detections(rows), raw: detections(rows, false) };
}

const stateSize = (store: MemoryVideoState): number => JSON.stringify(store.toJSON()).length;

/**
 * Runs the cases over `frames` frames and samples each state's JSON size every `every` frames;
 * per case, the largest settled sample (from frame `settled` on) over the smallest, and the last over the first.
 */
async function growth(cases: readonly Case[], frames: number, every: number, settled: number) {
  const runners = cases.map((c) => ({ ...c, runner: videoRunner(c.block) }));
  const sizes = new Map<string, { at: number; size: number }[]>(cases.map((c) => [c.name, []]));
  for (let n = 0; n < frames; n++) {
    const frame = frameAt(n);
    for (const { params, runner } of runners) await runner.run(params(frame));
    if ((n + 1) % every === 0) for (const { name, runner } of runners) sizes.get(name)!.push({ at: n + 1, size: stateSize(runner.videoState) });
  }
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  return [...sizes].map(([name, samples]) => {
    const steady = samples.filter((s) => s.at >= settled).map((s) => s.size);
    return { name, settledSpread: ratio(Math.max(...steady), Math.min(...steady)), lastOverFirst: ratio(samples.at(-1)!.size, samples[0]!.size) };
  });
}

describe("video state stays bounded on a long stream", () => {
  it("the trackers' state stops growing while new objects keep coming (2 000 frames, 500 ids)", async () => {
    // Settled once the first-sight cache (200 ids, an id every 4 frames) is full.
    for (const { name, settledSpread, lastOverFirst } of await growth(TRACKERS, 2000, 500, 1000)) {
      expect(settledSpread, name).toBeLessThanOrEqual(1.1);
      expect(lastOverFirst, name).toBeLessThanOrEqual(1.5);
    }
  }, 30_000);

  it("every other stateful block's state stops growing while new tracker ids keep coming (10 000 frames, 2 500 ids)", async () => {
    // Settled past FORGET_AFTER_FRAMES and a sweep: from then on a block keeps the ids of the last
    // 3 000 to 3 300 frames, as many at frame 10 000 as at 4 000 (where a block keeping every id
    // would hold two and a half times as many).
    for (const { name, settledSpread, lastOverFirst } of await growth(FORGETTING, 10_000, 2000, 4000)) {
      expect(settledSpread, name).toBeLessThanOrEqual(1.15);
      expect(lastOverFirst, name).toBeLessThanOrEqual(2);
    }
  }, 60_000);

  it("a tracker id keeps its state through a gap its tracker could bridge, and is forgotten after FORGET_AFTER_FRAMES frames", async () => {
    // Track 1 is seen left of the line (x < 100), then vanishes for
    // `gap` frames (other tracks come and go), then comes back on the right.
    async function afterGap(gap: number) {
      const counter = videoRunner(lineCounterV2Block);
      const velocity = videoRunner(velocityBlock);
      let n = 0;
      const step = async (rows: Row[]) => {
        const image = frameImage(frameMetadata(n++, { fps: 30 }));
        const line = await counter.run({ image, detections: detections(rows), line_segment: LINE });
        const moved = await velocity.run({ image, detections: detections(rows) });
        return { countIn: line["count_in"] as number, countOut: line["count_out"] as number, velocity: moved["velocity_detections"] as Detections };
      };
      await step([{ box: [88, 10, 98, 20], id: 1 }]);
      for (let i = 0; i < gap; i++) await step([{ box: [10, 100, 20, 110], id: 1000 + Math.floor(i / 50) }]);
      const back = await step([{ box: [102, 10, 112, 20], id: 1 }]);
      return { crossed: back.countIn + back.countOut, speed: back.velocity.data["speed"] as number[] };
    }
    const bridged = await afterGap(FORGET_AFTER_FRAMES - 100);
    // Seen on the left, back on the right: one crossing; its velocity is measured from where it was.
    expect(bridged.crossed).toBe(1);
    expect(bridged.speed[0]).toBeGreaterThan(0);
    const forgotten = await afterGap(FORGET_AFTER_FRAMES + 400);
    // Forgotten: a first sighting, no crossing, no velocity.
    expect(forgotten).toEqual({ crossed: 0, speed: [0] });
  });
});
