import { BlockRegistry, Detections, MemoryVideoState, WorkflowCompileError, WorkflowEngine, type Block, type BlockContext } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { byteTrackerV3Block } from "../src/trackers/byte_tracker.js";
import { stabilizeDetectionsBlock } from "../src/trackers/stabilize_detections.js";
import { trackClassLockBlock } from "../src/trackers/track_class_lock.js";
import { frameImage, frameMetadata } from "./analytics-fixtures.js";

type Box = [number, number, number, number];
type Row = { cls: string; conf: number; id?: number | null; box?: Box };

const CLASS_IDS: Record<string, number> = { cat: 0, dog: 1, bird: 2 };
const HOME: Box = [0, 0, 40, 40];

function frame(rows: Row[]): Detections {
  return new Detections({
    image: { width: 640, height: 480 },
    xyxy: rows.flatMap((r) => r.box ?? HOME),
    confidence: rows.map((r) => r.conf),
    classId: rows.map((r) => CLASS_IDS[r.cls]!),
    className: rows.map((r) => r.cls),
  }).withTrackerIds(rows.map((r) => (r.id === undefined ? 7 : r.id)));
}

/** Smaller knobs than the defaults, so that each rule shows in a few frames. */
const KNOBS = { min_votes: 4, vote_confidence: 0.8, lead_margin: 2, switch_after: 3, state_ttl: 6, reattach_window: 3, reattach_iou: 0.3 };

function classLock(knobs: Partial<typeof KNOBS> = {}, store = new MemoryVideoState()) {
  const ctx: BlockContext = { signal: new AbortController().signal, step: "lock", index: [0], services: { videoState: store } };
  let n = 0;
  return {
    store,
    /** One frame of `video`; returns each detection's [class name, class id, confidence, locked]. */
    run(rows: Row[] | Detections, video = "video-1") {
      const detections = Array.isArray(rows) ? frame(rows) : rows;
      const out = trackClassLockBlock.run({ image: frameImage(frameMetadata(n++, { video })), detections, ...KNOBS, ...knobs }, ctx) as { tracked_detections: Detections };
      const d = out.tracked_detections;
      return Array.from({ length: d.length }, (_, i) => [d.className[i], d.classId[i], Math.round(d.confidence[i]! * 1e9) / 1e9, d.data["class_locked"]![i]]);
    },
  };
}

const tracks = (store: MemoryVideoState) => (store.toJSON()["lock"]!["video-1"] as { tracks: { trackerId: number }[] }).tracks.map((t) => t.trackerId);

describe("track_class_lock@v1", () => {
  it("declares Roboflow's id, fields, defaults and output", () => {
    const { manifest } = trackClassLockBlock;
    expect([manifest.type, manifest.name, manifest.family]).toEqual(["roboflow_core/track_class_lock@v1", "Track Class Lock", "transformations"]);
    const defaults = Object.fromEntries(Object.entries(manifest.fields).map(([name, spec]) => [name, spec.default]));
    expect(defaults).toEqual({
      image: undefined,
      detections: undefined,
      min_votes: 10,
      vote_confidence: 0.8,
      lead_margin: 3,
      switch_after: 15,
      state_ttl: 300,
      reattach_window: 30,
      reattach_iou: 0.3,
    });
    expect(manifest.fields["switch_after"]!.schema).toEqual({ type: "integer", minimum: 1 });
    expect(manifest.outputs).toEqual([{ name: "tracked_detections", kinds: ["object_detection_prediction", "instance_segmentation_prediction", "keypoint_detection_prediction"] }]);
  });

  it("refuses at compile time a reattach_window beyond state_ttl (given, or the default 300)", () => {
    const validate = trackClassLockBlock.validate!;
    expect(validate({ state_ttl: 10, reattach_window: 30 })).toEqual([{ property: "reattach_window", message: expect.stringContaining("must not exceed state_ttl (10)") }]);
    expect(validate({ reattach_window: 301 })).toHaveLength(1);
    expect(validate({ reattach_window: 300 })).toEqual([]);
    expect(validate({ state_ttl: "$inputs.ttl", reattach_window: 30 })).toEqual([]);
  });

  it("compiles after a tracker and a stabilizer; a definition with reattach_window beyond state_ttl fails to compile at that field", () => {
    const engine = new WorkflowEngine({ registry: new BlockRegistry([byteTrackerV3Block, stabilizeDetectionsBlock, trackClassLockBlock] as Block[]) });
    const definition = (lock: Record<string, unknown>) => ({
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }, { type: "WorkflowBatchInput", name: "detections", kind: ["object_detection_prediction"] }],
      steps: [
        { type: "roboflow_core/byte_tracker@v3", name: "tracker", image: "$inputs.image", detections: "$inputs.detections" },
        { type: "roboflow_core/stabilize_detections@v1", name: "stable", image: "$inputs.image", detections: "$steps.tracker.tracked_detections" },
        { type: "roboflow_core/track_class_lock@v1", name: "lock", image: "$inputs.image", detections: "$steps.stable.tracked_detections", ...lock },
      ],
      outputs: [{ type: "JsonField", name: "locked", selector: "$steps.lock.tracked_detections" }],
    });
    expect(() => engine.compile(definition({ state_ttl: 40, reattach_window: 40 }))).not.toThrow();
    let error: unknown;
    try {
      engine.compile(definition({ state_ttl: 20, reattach_window: 40 }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkflowCompileError);
    expect((error as WorkflowCompileError).issues[0]).toMatchObject({ property: "reattach_window" });
  });

  it("locks a class once it has min_votes qualifying votes and leads by lead_margin; the lock reports their mean confidence", () => {
    const { run } = classLock();
    const cat = (conf: number): Row[] => [{ cls: "cat", conf }];
    // cat 3 votes, dog 1, then cat 4 vs dog 1 (lead 3 >= 2): locked on the fifth frame.
    expect([run(cat(0.9)), run(cat(0.85)), run(cat(0.95)), run([{ cls: "dog", conf: 0.9 }])].map((r) => r[0]![3])).toEqual([false, false, false, false]);
    expect(run(cat(0.9))).toEqual([["cat", 0, 0.9, true]]);
    // A contrary frame while locked is relabelled, its confidence the votes' mean (0.9); the input is left as it was.
    const contrary = frame([{ cls: "dog", conf: 0.99 }]);
    expect(run(contrary)).toEqual([["cat", 0, 0.9, true]]);
    expect([contrary.className[0], contrary.classId[0], contrary.data["class_locked"]]).toEqual(["dog", 1, undefined]);
  });

  it("does not lock while the lead is short of lead_margin, nor on frames below vote_confidence (a frame at it counts)", () => {
    const { run } = classLock();
    for (const cls of ["cat", "dog", "cat", "dog", "cat", "dog", "cat"]) run([{ cls, conf: 0.9 }]);
    // cat 4, dog 3: lead 1.
    expect(run([{ cls: "bird", conf: 0.5 }])).toEqual([["bird", 2, 0.5, false]]);
    expect(run([{ cls: "cat", conf: 0.79 }])[0]![3]).toBe(false);
    // cat 5, dog 3: locked, mean of (0.9, 0.9, 0.9, 0.9, 0.8).
    expect(run([{ cls: "cat", conf: 0.8 }])).toEqual([["cat", 0, 0.88, true]]);
  });

  it("switches a lock only after switch_after consecutive qualifying frames of one challenger, counting that streak alone", () => {
    const { run } = classLock();
    for (let i = 0; i < 4; i++) run([{ cls: "cat", conf: 0.9 }]);
    const dog = (conf: number): Row[] => [{ cls: "dog", conf }];
    // Streaks broken by the locked class, by a frame below vote_confidence and by another challenger.
    run(dog(0.9)), run(dog(0.9)), run([{ cls: "cat", conf: 0.9 }]);
    run(dog(0.9)), run(dog(0.9)), run(dog(0.5));
    run(dog(0.9)), run(dog(0.9)), run([{ cls: "bird", conf: 0.9 }]);
    expect(run(dog(0.9))).toEqual([["cat", 0, 0.9, true]]);
    expect(run(dog(0.95))).toEqual([["cat", 0, 0.9, true]]);
    // The third dog in a row switches: dog's tallies are the streak's, mean (0.9, 0.95, 1.0).
    expect(run(dog(1.0))).toEqual([["dog", 1, 0.95, true]]);
    expect(run([{ cls: "cat", conf: 0.9 }])).toEqual([["dog", 1, 0.95, true]]);
  });

  it("re-attaches a locked track's lock to a new tracker id where it was lost, within reattach_window frames and at IoU >= reattach_iou", () => {
    const locked = () => {
      const lock = classLock();
      for (let i = 0; i < 4; i++) lock.run([{ cls: "cat", conf: 0.9 }]);
      return lock;
    };
    // [10, 0, 50, 40] against [0, 0, 40, 40]: IoU 1200 / 2000 = 0.6; [30, 0, 70, 40]: 400 / 2800 = 0.14.
    const near: Row[] = [{ cls: "dog", conf: 0.9, id: 8, box: [10, 0, 50, 40] }];
    const far: Row[] = [{ cls: "dog", conf: 0.9, id: 8, box: [30, 0, 70, 40] }];

    // The window counts frames since the track was last seen, the returning frame included: 2 empty frames, then 3.
    const within = locked();
    for (let i = 0; i < 2; i++) within.run([]);
    expect(within.run(near)).toEqual([["cat", 0, 0.9, true]]);
    expect(tracks(within.store)).toEqual([8]);

    const beyond = locked();
    for (let i = 0; i < 3; i++) beyond.run([]);
    expect(beyond.run(near)).toEqual([["dog", 1, 0.9, false]]);

    const away = locked();
    away.run([]);
    expect(away.run(far)).toEqual([["dog", 1, 0.9, false]]);

    const disabled = classLock({ reattach_window: 0 });
    for (let i = 0; i < 4; i++) disabled.run([{ cls: "cat", conf: 0.9 }]);
    disabled.run([]);
    expect(disabled.run(near)).toEqual([["dog", 1, 0.9, false]]);
  });

  it("never takes the lock of a track still in the frame, and re-attaches to the lost track overlapping most (the earlier made on a tie)", () => {
    const twoLocked = () => {
      const lock = classLock({ reattach_iou: 0.2 });
      for (let i = 0; i < 4; i++) lock.run([{ cls: "cat", conf: 0.9, id: 1 }, { cls: "bird", conf: 0.9, id: 2, box: [50, 0, 90, 40] }]);
      return lock;
    };
    const active = twoLocked();
    // Track 1 is still here: the new id 3 on top of it starts voting afresh.
    expect(active.run([{ cls: "cat", conf: 0.9, id: 1 }, { cls: "dog", conf: 0.9, id: 3, box: [2, 0, 42, 40] }])).toEqual([
      ["cat", 0, 0.9, true],
      ["dog", 1, 0.9, false],
    ]);
    // Both lost: [20, 0, 80, 40] has IoU 800 / 3200 = 0.25 with track 1's last box, 1200 / 2800 = 0.43 with track 2's.
    const nearer = twoLocked();
    nearer.run([]);
    expect(nearer.run([{ cls: "dog", conf: 0.9, id: 4, box: [20, 0, 80, 40] }])).toEqual([["bird", 2, 0.9, true]]);
    // [15, 0, 75, 40]: 1000 / 3000 with each; track 1 was made first.
    const tie = twoLocked();
    tie.run([]);
    expect(tie.run([{ cls: "dog", conf: 0.9, id: 4, box: [15, 0, 75, 40] }])).toEqual([["cat", 0, 0.9, true]]);
    expect(tracks(tie.store)).toEqual([2, 4]);
  });

  it("forgets a track unseen for more than state_ttl frames", () => {
    const { run, store } = classLock();
    run([{ cls: "cat", conf: 0.9, id: 1 }, { cls: "cat", conf: 0.9, id: 2 }]);
    for (let i = 0; i < 6; i++) run([{ cls: "cat", conf: 0.9, id: 2 }]);
    expect(tracks(store)).toEqual([1, 2]);
    run([{ cls: "cat", conf: 0.9, id: 2 }]);
    expect(tracks(store)).toEqual([2]);
  });

  it("refuses untracked detections; passes an empty frame and detections without (or with a negative) tracker id unlocked", () => {
    const { run } = classLock();
    const untracked = new Detections({ image: { width: 1, height: 1 }, xyxy: HOME, confidence: [0.9], classId: [0], className: ["cat"] });
    expect(() => run(untracked)).toThrow(expect.objectContaining({ code: "untracked_detections" }));
    expect(run(Detections.empty({ width: 1, height: 1 }))).toEqual([]);
    for (let i = 0; i < 5; i++) expect(run([{ cls: "cat", conf: 0.9, id: null }, { cls: "cat", conf: 0.9, id: -1 }])).toEqual([["cat", 0, 0.9, false], ["cat", 0, 0.9, false]]);
  });

  it("checks again at run time the bounds a selector could bypass", () => {
    const bad = [{ min_votes: 0 }, { vote_confidence: 1.1 }, { lead_margin: -1 }, { switch_after: 0 }, { state_ttl: 0 }, { reattach_window: -1 }, { reattach_iou: -0.1 }, { reattach_window: 7, state_ttl: 6 }];
    for (const knobs of bad) expect(() => classLock(knobs).run([{ cls: "cat", conf: 0.9 }])).toThrow(expect.objectContaining({ code: "invalid_field" }));
  });

  it("keeps each video's votes apart", () => {
    const { run } = classLock();
    for (let i = 0; i < 4; i++) run([{ cls: "cat", conf: 0.9 }], "a");
    expect(run([{ cls: "dog", conf: 0.9 }], "b")).toEqual([["dog", 1, 0.9, false]]);
    expect(run([{ cls: "dog", conf: 0.9 }], "a")).toEqual([["cat", 0, 0.9, true]]);
  });

  it("keeps its state as JSON: a store restored mid-video goes on as the original does (integer-like class names keep their vote order)", () => {
    const original = classLock({ lead_margin: 0, min_votes: 2 });
    const names = (rows: Row[]): Detections => frame(rows).with({ className: rows.map((r) => (r.cls === "cat" ? "10" : "2")) });
    original.run(names([{ cls: "cat", conf: 0.9 }]));
    original.run(names([{ cls: "cat", conf: 0.9 }, { cls: "dog", conf: 0.9, id: 9 }]));
    const restored = classLock({ lead_margin: 0, min_votes: 2 }, MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(original.store.toJSON()))));
    const rest: Row[][] = [[{ cls: "dog", conf: 0.9, id: 9 }], [{ cls: "cat", conf: 0.85 }], [{ cls: "dog", conf: 0.9 }], [], [{ cls: "dog", conf: 0.9, id: 11, box: [5, 0, 45, 40] }]];
    const outputs = rest.map((rows) => restored.run(names(rows)));
    expect(outputs).toEqual(rest.map((rows) => original.run(names(rows))));
    // Id 11 takes over the lost lock of 7 (made before 9, which is as near): class "10".
    expect(outputs.at(-1)).toEqual([["10", 0, 0.9, true]]);
    expect(restored.store.toJSON()).toEqual(original.store.toJSON());
  });
});
