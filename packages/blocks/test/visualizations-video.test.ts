/**
 * Trace and Heatmap Visualization over several frames of one video (one MemoryVideoState, as a
 * video pipeline gives every frame's run): synthetic tracked boxes moving over a photo.
 */
import { describe, expect, it } from "vitest";
import { BlockRegistry, defineBlock, Detections, MemoryVideoState, WorkflowEngine, type Block, type BlockContext, type BlockParams, type ElementBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { blendTables } from "../src/visualizations/draw/canvas.js";
import { boxBlur, heatHues, hueColor } from "../src/visualizations/draw/heat.js";
import { heatmapVisualizationBlock, type HeatmapState } from "../src/visualizations/heatmap.js";
import { lineZoneVisualizationBlock } from "../src/visualizations/line_zone.js";
import { polygonZoneVisualizationBlock } from "../src/visualizations/polygon_zone.js";
import { referencePathVisualizationBlock } from "../src/visualizations/reference_path.js";
import { traceVisualizationBlock, type TraceState } from "../src/visualizations/trace.js";
import { newUnseenTracks } from "../src/video/unseen-tracks.js";
import { detectionsOnImage } from "../src/common/lineage.js";
import { photo } from "./image-fixtures.js";
import { changedPixels, pixel, PINK, plainImage, RED } from "./visualization-fixtures.js";

/** Boxes [x1, y1, x2, y2, tracker id] (class 0); `ids` false leaves them untracked. */
function boxes(rows: readonly (readonly number[])[], ids = true): Detections {
  const d = new Detections({
    image: { width: 810, height: 1080 },
    xyxy: rows.flatMap((r) => r.slice(0, 4)),
    confidence: rows.map(() => 0.9),
    classId: rows.map(() => 0),
    className: rows.map(() => "person"),
  });
  return ids ? d.withTrackerIds(rows.map((r) => r[4] ?? null)) : d;
}

/** Runs one frame of `block` with its defaults under `params`, in `store` as step "viz". */
async function frame<P extends BlockParams>(block: ElementBlock<P>, store: MemoryVideoState, params: Partial<P>): Promise<WorkflowImage> {
  const defaults = Object.fromEntries(Object.entries(block.manifest.fields).map(([name, spec]) => [name, spec.default]));
  const ctx: BlockContext = { signal: new AbortController().signal, step: "viz", index: [0], services: { videoState: store } };
  return ((await block.run({ ...defaults, ...params } as P, ctx)) as { image: WorkflowImage }).image;
}

/** Track 1 (centre moving right 40 px a frame from (120, 300)) and track 2 (from (120, 700)), frame n. */
function movingTracks(n: number): Detections {
  const x = 120 + 40 * n;
  return boxes([
    [x - 20, 280, x + 20, 320, 1],
    [x - 20, 680, x + 20, 720, 2],
  ]);
}

describe.skipIf(missing("trace and heatmap visualizations", { photos: ["bus.jpg"] }))("trace and heatmap visualizations over frames", () => {
  it("trace: each track's last trace_length centres joined in its colour; older ones and other videos not", async () => {
    const store = new MemoryVideoState();
    const image = await photo("bus.jpg", "camera-1");
    const params = { image, color_axis: "TRACK", trace_length: 3, thickness: 1 };
    const first = await frame(traceVisualizationBlock, store, { ...params, predictions: movingTracks(0) });
    // One centre per track: nothing to join yet.
    expect(changedPixels(image, first)).toEqual([]);
    for (let n = 1; n < 4; n++) await frame(traceVisualizationBlock, store, { ...params, predictions: movingTracks(n) });
    const out = await frame(traceVisualizationBlock, store, { ...params, predictions: movingTracks(4) });
    // Frames 2..4 are kept: centres x 200, 240, 280. Track 1 in palette colour 1, track 2 in colour 2.
    for (const x of [200, 230, 270, 280]) {
      expect(pixel(out, x, 300)).toEqual(RED);
      expect(pixel(out, x, 700)).toEqual(PINK);
    }
    expect(pixel(out, 180, 300)).toEqual(pixel(image, 180, 300));
    expect(changedPixels(image, out).every(([x, y]) => x >= 200 && x <= 280 && (y === 300 || y === 700))).toBe(true);
    expect(changedPixels(image, out)).toHaveLength(2 * 81);
    const state = store.get<TraceState>("viz", "camera-1", () => ({ frame: -1, points: [] }));
    expect(state.frame).toBe(5);
    expect(state.points.map(([f]) => f)).toEqual([2, 2, 3, 3, 4, 4]);

    // Another video's frames start their own traces.
    const other = await photo("bus.jpg", "camera-2");
    expect(changedPixels(other, await frame(traceVisualizationBlock, store, { ...params, image: other, predictions: movingTracks(5) }))).toEqual([]);
  });

  it("trace: the state is JSON data; a store carried through JSON draws the same next frame", async () => {
    const store = new MemoryVideoState();
    const image = await photo("bus.jpg", "camera-1");
    for (let n = 0; n < 3; n++) await frame(traceVisualizationBlock, store, { image, predictions: movingTracks(n) });
    const carried = MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(store.toJSON())));
    const a = await frame(traceVisualizationBlock, store, { image, predictions: movingTracks(3) });
    const b = await frame(traceVisualizationBlock, carried, { image, predictions: movingTracks(3) });
    expect(changedPixels(a, b)).toEqual([]);
    expect(changedPixels(image, a).length).toBeGreaterThan(200);
  });

  it("trace: untracked predictions are refused, pending (-1) and null ids are not drawn", async () => {
    const store = new MemoryVideoState();
    const image = await photo("bus.jpg");
    await expect(frame(traceVisualizationBlock, store, { image, predictions: boxes([[0, 0, 10, 10]], false) })).rejects.toMatchObject({ code: "missing_tracker_id" });
    expect(changedPixels(image, await frame(traceVisualizationBlock, store, { image, predictions: boxes([], false) }))).toEqual([]);
    for (let n = 0; n < 3; n++) {
      const out = await frame(traceVisualizationBlock, store, { image, predictions: boxes([[100 + 40 * n, 100, 140 + 40 * n, 140, -1], [100, 500 + 40 * n, 140, 540 + 40 * n]]) });
      expect(changedPixels(image, out)).toEqual([]);
    }
  });

  it("heatmap: heat grows where a box stays, one frame's worth where a box passed; the hottest spot is top_hue (red)", async () => {
    const store = new MemoryVideoState();
    const image = await photo("bus.jpg", "camera-1");
    const frames = 6;
    let out = image;
    for (let n = 0; n < frames; n++) {
      // Untracked: every box heats. One stays at bottom-centre (400, 300); one moves 100 px a frame along y = 800.
      // A third box sits in the top-left corner, where the blur reflects at the image's border.
      const predictions = boxes([[380, 260, 420, 300], [100 + 100 * n, 760, 140 + 100 * n, 800], [0, 0, 20, 10]], false);
      out = await frame(heatmapVisualizationBlock, store, { image, predictions });
    }
    const state = store.get<HeatmapState>("viz", "camera-1", () => ({ width: 0, height: 0, heat: [], heated: null, positions: {}, unseen: newUnseenTracks() }));
    const heat = (x: number, y: number) => state.heat[y * state.width + x];
    expect(heat(400, 300)).toBe(frames);
    expect(heat(400, 300 + 40)).toBe(frames);
    expect(heat(400, 300 + 41)).toBe(0);
    expect(heat(120, 800)).toBe(1);
    expect(heat(520, 800)).toBe(1);
    // Where the box stayed the heat is the most: hue 0, red, blended at opacity 0.2.
    const [r, g, b] = pixel(image, 400, 300);
    expect(pixel(out, 400, 300)).toEqual([Math.round(51 + 0.8 * r!), Math.round(0.8 * g!), Math.round(0.8 * b!)]);
    // Where one box passed once, the hue is nearer blue: more blue than red in what was added.
    const [r2, , b2] = pixel(image, 120, 800);
    const [or2, , ob2] = pixel(out, 120, 800);
    expect(ob2! - 0.8 * b2!).toBeGreaterThan(or2! - 0.8 * r2!);
    // Only heated pixels change, each to its hue over the whole frame's blurred hues (the block works in a window around the heat).
    expect(changedPixels(image, out).every(([x, y]) => heat(x, y)! > 0)).toBe(true);
    const hues = boxBlur(heatHues(state.heat, 125, 0), 810, 1080, 25);
    const tables = Array.from({ length: 256 }, (_, hue) => blendTables(Uint8Array.from(hueColor(hue)), 0.2));
    let heated = 0;
    const wrong: number[] = [];
    for (let p = 0; p < state.heat.length; p++) {
      if (state.heat[p] === 0) continue;
      heated++;
      for (let c = 0; c < 3; c++) if (out.pixels.data[p * 3 + c] !== tables[hues[p]!]![c]![image.pixels.data[p * 3 + c]!]) wrong.push(p);
    }
    expect(heated).toBeGreaterThan(10_000);
    expect(wrong).toEqual([]);
  });

  it("heatmap: with tracked boxes and ignore_stationary, a track heats only in frames where it moved at least motion_threshold", async () => {
    const store = new MemoryVideoState();
    const image = await photo("bus.jpg", "camera-1");
    for (let n = 0; n < 4; n++) {
      // Track 1 creeps 10 px a frame (30 px over three frames, counted once it reaches 25); track 2 jumps 60 px a frame.
      const predictions = boxes([[380 + 10 * n, 260, 420 + 10 * n, 300, 1], [100 + 60 * n, 760, 140 + 60 * n, 800, 2]]);
      await frame(heatmapVisualizationBlock, store, { image, predictions, radius: 10, metadata: { video_identifier: "cam" } as never });
    }
    const state = store.get<HeatmapState>("viz", "cam", () => ({ width: 0, height: 0, heat: [], heated: null, positions: {}, unseen: newUnseenTracks() }));
    const heat = (x: number, y: number) => state.heat[y * state.width + x];
    // Track 2: not at its first sighting, then every frame.
    expect([120, 180, 240, 300].map((x) => heat(x, 800))).toEqual([0, 1, 1, 1]);
    // Track 1: recorded at 400, moved 10, 20 (below 25), then 30: heats at frame 3 only, and is remembered there.
    expect([400, 410, 420, 430].map((x) => heat(x, 300))).toEqual([0, 0, 1, 1]);
    expect(heat(440, 300)).toBe(1);
    expect(state.positions["1"]).toEqual([430, 300]);
    // Plain JSON data.
    expect(Array.isArray(state.heat)).toBe(true);
    expect(JSON.parse(JSON.stringify({ ...state, heat: [] }))).toEqual({ ...state, heat: [] });
  });
});

/** One box 20 px wide centred at ($inputs.x, 30), tracker id 7. */
const movingTracked = defineBlock<{ image: WorkflowImage; x: number }>({
  manifest: {
    type: "test/moving_tracked@v1",
    name: "Moving tracked box",
    description: "One tracked box where x says.",
    family: "models",
    fields: { image: { kinds: ["image"], required: true }, x: { kinds: ["integer"], required: true } },
    outputs: [{ name: "predictions", kinds: ["object_detection_prediction"] }],
  },
  run: ({ image, x }) => ({ predictions: detectionsOnImage({ xyxy: [x - 10, 20, x + 10, 40], confidence: [0.9], classId: [0], className: ["thing"] }, image).withTrackerIds([7]) }),
});

describe("trace, heatmap and zones in a workflow", () => {
  const blocks = [movingTracked, polygonZoneVisualizationBlock, lineZoneVisualizationBlock, referencePathVisualizationBlock, traceVisualizationBlock, heatmapVisualizationBlock];
  const engine = new WorkflowEngine({ registry: new BlockRegistry(blocks as Block[]) });
  const definition = {
    version: "1.0",
    inputs: [
      { type: "WorkflowImage", name: "image" },
      { type: "WorkflowVideoMetadata", name: "video_metadata" },
      { type: "WorkflowParameter", name: "x" },
    ],
    steps: [
      { type: "test/moving_tracked@v1", name: "tracked", image: "$inputs.image", x: "$inputs.x" },
      { type: "roboflow_core/polygon_zone_visualization@v1", name: "zone", image: "$inputs.image", zone: [[0, 50], [79, 50], [79, 59], [0, 59]] },
      { type: "roboflow_core/line_counter_visualization@v1", name: "line", image: "$steps.zone.image", zone: [[0, 5], [79, 5]], count_in: 1, text_scale: 0.3 },
      { type: "roboflow_core/reference_path_visualization@v1", name: "path", image: "$steps.line.image", reference_path: [[0, 45], [79, 45]], thickness: 1 },
      { type: "roboflow_core/trace_visualization@v1", name: "trace", image: "$steps.path.image", predictions: "$steps.tracked.predictions", color_axis: "TRACK" },
      { type: "HeatmapVisualization", name: "heat", image: "$steps.trace.image", predictions: "$steps.tracked.predictions", metadata: "$inputs.video_metadata", radius: 5, kernel_size: 3, motion_threshold: 15 },
    ],
    outputs: [{ type: "JsonField", name: "image", selector: "$steps.heat.image" }],
  };

  it("runs frame after frame in one video state: the trace follows the box, the heat where it moved", async () => {
    const store = new MemoryVideoState();
    let out: WorkflowImage | undefined;
    for (const [n, x] of [10, 30, 50].entries()) {
      const metadata = { video_identifier: "cam-9", frame_number: n, frame_timestamp: new Date(n * 100).toISOString(), fps: 10 };
      const run = await engine.run(definition, { image: plainImage(80, 60), video_metadata: metadata, x }, { serialize: false, services: { videoState: store } });
      out = run.outputs[0]!["image"] as WorkflowImage;
    }
    // The trace joins the centres (10, 30), (30, 30), (50, 30) in tracker 7's colour (palette colour 7).
    expect(pixel(out!, 20, 30)).toEqual(pixel(out!, 40, 30));
    expect(pixel(out!, 20, 30)).not.toEqual([10, 20, 30]);
    // The heat is kept under the metadata's video: bottom-centre anchors (30, 40) and (50, 40) heated, (10, 40) only recorded.
    const heat = store.get<HeatmapState>("heat", "cam-9", () => ({ width: 0, height: 0, heat: [], heated: null, positions: {}, unseen: newUnseenTracks() }));
    expect([10, 30, 50].map((x) => heat.heat[40 * 80 + x])).toEqual([0, 1, 1]);
    // The zone and the path: the zone's rows gained colour, the path's row is its green.
    expect(pixel(out!, 40, 55)).not.toEqual([10, 20, 30]);
    expect(pixel(out!, 5, 45)).toEqual([0x5b, 0xb5, 0x73]);
  });
});
