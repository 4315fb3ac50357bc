/**
 * Roboflow's `trackers` family blocks (SORT, OC-SORT, BoT-SORT) on synthetic moving boxes: the
 * scenario of Roboflow's own unit tests, stable ids, occlusions within and beyond the lost buffer,
 * OC-SORT's recovery of an object that stopped while hidden, and state that survives a JSON round trip.
 */
import { describe, expect, it } from "vitest";
import { Detections, MemoryVideoState } from "@cvflow/engine";
import { inputLineage, WorkflowImage } from "@cvflow/vision";
import { estimateCameraMotion } from "../src/trackers/cmc.js";
import { botSortTrackerBlock } from "../src/trackers/trackers_botsort.js";
import { ocSortTrackerBlock } from "../src/trackers/trackers_ocsort.js";
import { sortTrackerBlock } from "../src/trackers/trackers_sort.js";
import { frame, stepContext } from "./video-fixtures.js";

type Box = [number, number, number, number];
type Block = typeof sortTrackerBlock | typeof ocSortTrackerBlock | typeof botSortTrackerBlock;

function detections(boxes: readonly Box[], confidence = 0.9): Detections {
  return new Detections({
    image: { width: 640, height: 480 },
    xyxy: boxes.flat(),
    confidence: boxes.map(() => confidence),
    classId: boxes.map(() => 1),
    className: boxes.map(() => "person"),
    detectionId: boxes.map((_, i) => `d${i}`),
    parentId: boxes.map(() => null),
  });
}

interface FrameOut {
  /** Tracker id of each input box (by its detection id), or null when the box is not in tracked_detections. */
  ids: (number | null)[];
  fresh: number[];
  seen: number[];
}

const idsOf = (d: Detections) => Array.from({ length: d.length }, (_, i) => d.trackerId(i)!);

/** Runs frames of boxes through `block` (one video at `fps`), with `params` over the manifest defaults. */
async function run(block: Block, frames: readonly Box[][], params: Record<string, unknown> = {}, fps: number | null = 30, store = new MemoryVideoState()): Promise<FrameOut[]> {
  const defaults = Object.fromEntries(Object.entries(block.manifest.fields).map(([k, f]) => [k, f.default]));
  const ctx = stepContext(store);
  const out: FrameOut[] = [];
  for (const [n, boxes] of frames.entries()) {
    const r = (await block.run({ ...defaults, ...params, image: frame("video", n, fps), detections: detections(boxes) } as never, ctx)) as Record<string, Detections>;
    const tracked = r["tracked_detections"]!;
    const byDetection = new Map(Array.from({ length: tracked.length }, (_, i) => [tracked.detectionId[i]!, tracked.trackerId(i)!]));
    out.push({ ids: boxes.map((_, i) => byDetection.get(`d${i}`) ?? null), fresh: idsOf(r["new_instances"]!), seen: idsOf(r["already_seen_instances"]!) });
    // What a video job carries between invocations: plain JSON data, nothing lost in the trip.
    expect(JSON.parse(JSON.stringify(store.toJSON()))).toEqual(store.toJSON());
  }
  return out;
}

/** A 40 × 80 box whose top-left corner moves by (dx, dy) a frame from (x, y). */
const mover = (x: number, y: number, dx: number, dy: number) => (f: number): Box => [x + dx * f, y + dy * f, x + dx * f + 40, y + dy * f + 80];

const BLOCKS: [string, Block][] = [
  ["SORT", sortTrackerBlock],
  ["OC-SORT", ocSortTrackerBlock],
  ["BoT-SORT", botSortTrackerBlock],
];

describe.each(BLOCKS)("%s tracker block", (_name, block) => {
  it("passes Roboflow's unit-test scenario: ids from the second frame, the same three on the third, new then already seen", async () => {
    // Roboflow's conftest: three boxes moving 2 px a frame, a fourth that jumps away; fps 1.
    const frames: Box[][] = [
      [[10, 10, 20, 20], [21, 10, 31, 20], [31, 10, 41, 20], [100, 100, 110, 110]],
      [[12, 10, 22, 20], [23, 10, 33, 20], [33, 10, 43, 20], [110, 100, 120, 110]],
      [[14, 10, 24, 20], [25, 10, 35, 20], [35, 10, 45, 20]],
    ];
    const [first, second, third] = await run(block, frames, { minimum_consecutive_frames: 1, high_conf_det_threshold: 0.5 }, 1);
    expect(first!.ids).toEqual([null, null, null, null]);
    expect(new Set(second!.ids.slice(0, 3)).size).toBe(3);
    expect(second!.ids[3]).toBeNull();
    expect(third!.ids).toEqual(second!.ids.slice(0, 3));
    expect([second!.fresh.length, second!.seen.length, third!.fresh.length, third!.seen.length]).toEqual([3, 0, 0, 3]);
  });

  it("keeps one id per object when two pass each other", async () => {
    const a = mover(0, 100, 6, 0);
    const b = mover(400, 110, -6, 0);
    const out = await run(block, Array.from({ length: 60 }, (_, f) => [a(f), b(f)]));
    const [idA, idB] = out[5]!.ids;
    expect(idA).not.toBe(idB);
    for (const f of out.slice(5)) expect(f.ids).toEqual([idA, idB]);
  });

  it("keeps the id through an occlusion shorter than the lost buffer, and forgets it after a longer one", async () => {
    const a = mover(0, 100, 3, 1);
    const hidden = (from: number, to: number) => Array.from({ length: 40 }, (_, f) => (f >= from && f < to ? [] : [a(f)]));
    // lost_track_buffer 10 at 30 fps: a track may miss up to 9 frames (SORT, BoT-SORT) or 10 (OC-SORT).
    const short = await run(block, hidden(10, 18), { lost_track_buffer: 10 });
    const before = short[9]!.ids[0];
    expect(before).not.toBeNull();
    expect(short.slice(25).map((f) => f.ids[0])).toEqual(Array(15).fill(before));
    const long = await run(block, hidden(10, 25), { lost_track_buffer: 10 });
    const after = long.at(-1)!.ids[0];
    expect(after).not.toBeNull();
    expect(after).not.toBe(long[9]!.ids[0]);
    expect(long.at(-1)!.seen).toEqual([after]);
  });

  it("keeps the trackers of two videos apart, and a video's tracker survives the store's JSON round trip", async () => {
    const a = mover(0, 100, 4, 0);
    const frames = Array.from({ length: 12 }, (_, f) => [a(f)]);
    const whole = await run(block, frames);
    const store = new MemoryVideoState();
    await run(block, frames.slice(0, 6), {}, 30, store);
    const resumed = await run(block, frames.slice(6), {}, 30, MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(store.toJSON()))));
    expect(resumed.map((f) => f.ids)).toEqual(whole.slice(6).map((f) => f.ids));
  });
});

describe("OC-SORT's observation-centric recovery", () => {
  // Moving right 10 px a frame, the object is hidden for 4 frames while it turns back, and
  // reappears where it was last seen: the Kalman prediction has run ~40 px on (IoU with the
  // detection ~0.1), but its last observation overlaps the detection.
  const a = mover(100, 100, 10, 0);
  const frames: Box[][] = Array.from({ length: 24 }, (_, f) => (f < 12 ? [a(f)] : f < 16 ? [] : [a(11)]));

  it("keeps the id where SORT, matching predictions only, starts a new track", async () => {
    const oc = await run(ocSortTrackerBlock, frames);
    const id = oc[11]!.ids[0];
    expect(id).not.toBeNull();
    // Matched again at once (3 frames in a row are needed before the id is output again).
    expect(oc.slice(18).map((f) => f.ids[0])).toEqual(Array(6).fill(id));
    expect(oc.slice(16).flatMap((f) => f.fresh)).toEqual([]);

    const sort = await run(sortTrackerBlock, frames);
    const sortId = sort[11]!.ids[0];
    expect(sortId).not.toBeNull();
    expect(sort.at(-1)!.ids[0]).not.toBe(sortId);
  });
});

describe("BoT-SORT options", () => {
  it("gives first-frame tracks their id at once with instant_first_frame_activation", async () => {
    const a = mover(0, 100, 4, 0);
    const out = await run(botSortTrackerBlock, [[a(0)], [a(1)]], { instant_first_frame_activation: true });
    expect(out.map((f) => f.ids[0])).toEqual([0, 0]);
    expect(out.map((f) => f.fresh)).toEqual([[0], []]);
  });
});

describe("BoT-SORT camera motion compensation (sparse optical flow)", () => {
  const WORLD = { width: 520, height: 400 };
  // A smooth random texture (value noise on an 8 px grid, two octaves): the scene the camera films.
  const world = (() => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 255;
    const grid = (cell: number) => {
      const cols = Math.ceil(WORLD.width / cell) + 2;
      const values = Array.from({ length: cols * (Math.ceil(WORLD.height / cell) + 2) }, random);
      return (x: number, y: number) => {
        const gx = x / cell;
        const gy = y / cell;
        const x0 = Math.floor(gx);
        const y0 = Math.floor(gy);
        const at = (i: number, j: number) => values[j * cols + i]!;
        const top = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * (gx - x0);
        const bottom = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * (gx - x0);
        return top + (bottom - top) * (gy - y0);
      };
    };
    const coarse = grid(16);
    const fine = grid(8);
    return (x: number, y: number) => 0.6 * coarse(x, y) + 0.4 * fine(x, y);
  })();

  /** The 320 × 240 view of the world from camera offset (ox, oy), as frame n of "pan". */
  function view(n: number, ox: number, oy: number): WorkflowImage {
    const width = 320;
    const height = 240;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = Math.round(world(x + ox, y + oy));
        data.set([v, v, v], (y * width + x) * 3);
      }
    }
    const videoMetadata = { video_identifier: "pan", frame_number: n, frame_timestamp: "2025-01-01T00:00:00Z", fps: 30, measured_fps: null, comes_from_video_file: true };
    return new WorkflowImage({ data, width, height, channels: 3 }, { ...inputLineage(`pan-${n}`), videoMetadata });
  }

  it("measures a camera shift to within half a pixel", () => {
    const first = estimateCameraMotion(null, view(0, 100, 80).pixels, 2, []);
    expect(first.affine).toBeNull();
    const { affine } = estimateCameraMotion(first.next, view(1, 112, 73).pixels, 2, [[100, 100, 140, 180]]);
    // The scene moves left 12 px and down 7 px in the picture.
    const [a, b, tx, c, d, ty] = affine as [number, number, number, number, number, number];
    expect(Math.abs(a - 1) + Math.abs(b) + Math.abs(c) + Math.abs(d - 1)).toBeLessThan(0.01);
    expect(Math.abs(tx + 12)).toBeLessThan(0.5);
    expect(Math.abs(ty - 7)).toBeLessThan(0.5);
  });

  it("keeps an object's id through a shaking camera where BoT-SORT without it loses the object", async () => {
    // The object stands still in the world; the camera jumps ±18 px sideways every frame.
    const offsets = Array.from({ length: 12 }, (_, n) => 100 + (n % 2 === 0 ? 0 : 18));
    const objectAt = (ox: number): Box => [220 - ox, 120, 250 - ox, 180];
    const runShaking = async (enable_cmc: boolean) => {
      const defaults = Object.fromEntries(Object.entries(botSortTrackerBlock.manifest.fields).map(([k, f]) => [k, f.default]));
      const ctx = stepContext();
      const ids: (number | null)[] = [];
      for (const [n, ox] of offsets.entries()) {
        const r = (await botSortTrackerBlock.run({ ...defaults, enable_cmc, image: view(n, ox, 80), detections: detections([objectAt(ox)]) } as never, ctx)) as Record<string, Detections>;
        ids.push(r["tracked_detections"]!.length ? r["tracked_detections"]!.trackerId(0) : null);
      }
      return ids;
    };
    const compensated = await runShaking(true);
    expect(compensated.slice(1)).toEqual(Array(11).fill(compensated[1]));
    expect(compensated[1]).not.toBeNull();
    // Without compensation the box jumps 18 px of its 30 px width each frame: never matched, never confirmed.
    expect(new Set(await runShaking(false))).toEqual(new Set([null]));
  });

  it("answers a 400 naming the method it has for cmc methods it lacks", async () => {
    const defaults = Object.fromEntries(Object.entries(botSortTrackerBlock.manifest.fields).map(([k, f]) => [k, f.default]));
    const attempt = async () => botSortTrackerBlock.run({ ...defaults, enable_cmc: true, cmc_method: "orb", image: view(0, 0, 0), detections: detections([]) } as never, stepContext());
    await expect(attempt()).rejects.toMatchObject({ code: "invalid_field", status: 400, message: expect.stringContaining("sparseOptFlow") });
  });
});
