/**
 * The tracking chain as a user runs it, on a clip whose ground truth is known because the test
 * makes it (moving-objects-clip.ts): a workflow of yolov8n-640 -> byte_tracker@v3 ->
 * line_counter@v2 (centre anchor, and the default four corners) and time_in_zone@v3, run by
 * VideoPipeline on the clip file. The person walks right across the line, the dog left across
 * it, the horse passes below the line segment's end (it crosses the line's extension only).
 * Crossing and zone frames are the first frames whose constructed box is past the line / inside
 * the zone, within one frame (the detector's box is a few pixels off the photo's).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Detections } from "@cvflow/engine";
import { createWorkflowEngine } from "@cvflow/blocks";
import { createVisionModels } from "@cvflow/vision";
import { MODELS_DIR } from "@cvflow/vision/test-assets";
import { VideoPipeline } from "../src/index.js";
import { CLIP, makeMovingObjectsClip, movingObjectsUnavailable, objectBox, OBJECTS, type MovingObject } from "./moving-objects-clip.js";

const LINE_X = 320;
/** From the top edge down to just above the horse's band. */
const LINE = [[LINE_X, 0], [LINE_X, 396]];
const ZONE = { x1: 420, x2: 540, y2: 396 };

const WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [
    // class-agnostic NMS: the horse is now and then also a sheep on the same box.
    { type: "roboflow_core/roboflow_object_detection_model@v2", name: "detector", images: "$inputs.image", model_id: "yolov8n-640", confidence: 0.25, class_agnostic_nms: true },
    { type: "roboflow_core/byte_tracker@v3", name: "tracker", image: "$inputs.image", detections: "$steps.detector.predictions" },
    { type: "roboflow_core/line_counter@v2", name: "centre_line", image: "$inputs.image", detections: "$steps.tracker.tracked_detections", line_segment: LINE, triggering_anchor: "CENTER" },
    { type: "roboflow_core/line_counter@v2", name: "corner_line", image: "$inputs.image", detections: "$steps.tracker.tracked_detections", line_segment: LINE },
    {
      type: "roboflow_core/time_in_zone@v3",
      name: "zone",
      image: "$inputs.image",
      detections: "$steps.tracker.tracked_detections",
      zone: [[ZONE.x1, 0], [ZONE.x2, 0], [ZONE.x2, ZONE.y2], [ZONE.x1, ZONE.y2]],
    },
  ],
  outputs: [
    { type: "JsonField", name: "tracked", selector: "$steps.tracker.tracked_detections" },
    { type: "JsonField", name: "centre_line", selector: "$steps.centre_line.*" },
    { type: "JsonField", name: "corner_line", selector: "$steps.corner_line.*" },
    { type: "JsonField", name: "timed", selector: "$steps.zone.timed_detections" },
  ],
};

interface Counted {
  count_in: number;
  count_out: number;
  detections_in: Detections;
  detections_out: Detections;
}

interface FrameResult {
  /** The pipeline's frame number: from 1 (the clip's frame n is frame n + 1). */
  frame: number;
  tracked: Detections;
  centre_line: Counted;
  corner_line: Counted;
  timed: Detections;
}

const ids = (d: Detections) => Array.from({ length: d.length }, (_, i) => d.trackerId(i)!);

function iou(a: readonly number[], b: readonly number[]): number {
  const w = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!);
  const h = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!);
  if (w <= 0 || h <= 0) return 0;
  const area = (r: readonly number[]) => (r[2]! - r[0]!) * (r[3]! - r[1]!);
  return (w * h) / (area(a) + area(b) - w * h);
}

/** The pipeline frame number of the clip's first frame (n from 0) where `test` holds of `object`'s constructed box; undefined if none. */
function firstFrame(object: MovingObject, test: (box: readonly number[]) => boolean, from = 0): number | undefined {
  for (let n = from; n < CLIP.frames; n++) if (test(objectBox(object, n))) return n + 1;
  return undefined;
}

const centreX = (b: readonly number[]) => (b[0]! + b[2]!) / 2;
const centreY = (b: readonly number[]) => (b[1]! + b[3]!) / 2;
const inZone = (b: readonly number[]) => centreX(b) >= ZONE.x1 && centreX(b) <= ZONE.x2 && centreY(b) <= ZONE.y2;
const [PERSON, DOG, HORSE] = OBJECTS as [MovingObject, MovingObject, MovingObject];

describe.skipIf(movingObjectsUnavailable("tracking chain on a made clip"))("yolov8n -> byte_tracker -> line_counter, time_in_zone on a clip of moving cut-outs", () => {
  let dir: string;
  const results: FrameResult[] = [];
  /** Per object, its tracker id on each frame (the tracked box it overlaps most, IoU >= 0.5). */
  const idOf = new Map<MovingObject, (number | undefined)[]>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cvflow-moving-"));
    const clip = makeMovingObjectsClip(dir);
    const models = createVisionModels({ modelsDir: MODELS_DIR });
    const pipeline = VideoPipeline.initWithWorkflow({
      videoReference: clip,
      workflow: WORKFLOW,
      engine: createWorkflowEngine({ models }),
      models,
      onPrediction: (result, frame) => void results.push({ frame: frame.frameId, ...result } as unknown as FrameResult),
    });
    pipeline.start();
    await pipeline.join();
    for (const object of OBJECTS) {
      idOf.set(
        object,
        results.map(({ frame, tracked }) => {
          const truth = objectBox(object, frame - 1);
          const best = Array.from({ length: tracked.length }, (_, i) => i).sort((a, b) => iou(tracked.box(b), truth) - iou(tracked.box(a), truth))[0];
          return best !== undefined && iou(tracked.box(best), truth) >= 0.5 ? tracked.trackerId(best)! : undefined;
        }),
      );
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const idOfObject = (object: MovingObject) => idOf.get(object)![0]!;

  it("runs every frame, in order", () => {
    expect(results.map((r) => r.frame)).toEqual(Array.from({ length: CLIP.frames }, (_, n) => n + 1));
  });

  it.each(OBJECTS.map((object) => [object.name, object] as const))("the %s is tracked on every frame under one id", (_, object) => {
    const perFrame = idOf.get(object)!;
    expect(perFrame[0]).toBeTypeOf("number");
    expect(perFrame).toEqual(perFrame.map(() => perFrame[0]));
  });

  it("three objects, three tracker ids: no other track ever appears", () => {
    const objectIds = OBJECTS.map(idOfObject);
    expect(new Set(objectIds).size).toBe(3);
    expect([...new Set(results.flatMap((r) => ids(r.tracked)))].sort()).toEqual([...objectIds].sort());
  });

  /** Frames on which `line` reported a crossing, with the ids that crossed in and out. */
  function crossings(line: "centre_line" | "corner_line") {
    return results
      .filter((r) => r[line].detections_in.length + r[line].detections_out.length > 0)
      .map((r) => ({ frame: r.frame, in: ids(r[line].detections_in), out: ids(r[line].detections_out) }));
  }

  // The line runs down the frame (start at the top): its "in" side is the one where
  // (end - start) x (p - start) < 0, supervision's rule — here x > 320: walking right is in.
  it("line_counter, centre anchor: the person counted in and the dog out, once each, on the frame its centre passes; the horse never", () => {
    const personAt = firstFrame(PERSON, (b) => centreX(b) > LINE_X)!;
    const dogAt = firstFrame(DOG, (b) => centreX(b) < LINE_X)!;
    expect(firstFrame(HORSE, (b) => centreX(b) > LINE_X)).toBeDefined(); // it does cross the line's extension
    const seen = crossings("centre_line");
    expect(seen.map(({ in: i, out }) => ({ in: i, out }))).toEqual([
      { in: [idOfObject(PERSON)], out: [] },
      { in: [], out: [idOfObject(DOG)] },
    ]);
    expect(Math.abs(seen[0]!.frame - personAt)).toBeLessThanOrEqual(1);
    expect(Math.abs(seen[1]!.frame - dogAt)).toBeLessThanOrEqual(1);
    // The counts: 0 before each crossing, 1 from it to the end.
    for (const r of results) {
      expect(r.centre_line.count_in, `frame ${r.frame}`).toBe(r.frame >= seen[0]!.frame ? 1 : 0);
      expect(r.centre_line.count_out, `frame ${r.frame}`).toBe(r.frame >= seen[1]!.frame ? 1 : 0);
    }
  });

  it("line_counter, default anchors (all four corners): each counted once, when its whole box is past the line", () => {
    const personAt = firstFrame(PERSON, (b) => b[0]! > LINE_X)!;
    const dogAt = firstFrame(DOG, (b) => b[2]! < LINE_X)!;
    const seen = crossings("corner_line");
    expect(seen.map(({ in: i, out }) => ({ in: i, out }))).toEqual([
      { in: [idOfObject(PERSON)], out: [] },
      { in: [], out: [idOfObject(DOG)] },
    ]);
    expect(Math.abs(seen[0]!.frame - personAt)).toBeLessThanOrEqual(1);
    expect(Math.abs(seen[1]!.frame - dogAt)).toBeLessThanOrEqual(1);
    expect(results.at(-1)!.corner_line).toMatchObject({ count_in: 1, count_out: 1 });
  });

  it.each([["person", PERSON], ["dog", DOG]] as const)("time_in_zone: the %s's time grows by 1/fps a frame from its entry, and it is left out once it has left", (_, object) => {
    const id = idOfObject(object);
    const entered = firstFrame(object, inZone)!;
    const left = firstFrame(object, (b) => !inZone(b), entered)!;
    const inside = results.filter((r) => ids(r.timed).includes(id));
    const first = inside[0]!.frame;
    const last = inside.at(-1)!.frame;
    expect(Math.abs(first - entered)).toBeLessThanOrEqual(1);
    expect(Math.abs(last + 1 - left)).toBeLessThanOrEqual(1);
    // One stay, frame after frame, timed from the first frame inside.
    expect(inside.map((r) => r.frame)).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i));
    for (const r of inside) {
      const seconds = r.timed.data["time_in_zone"]![ids(r.timed).indexOf(id)] as number;
      expect(seconds, `frame ${r.frame}`).toBeCloseTo((r.frame - first) / CLIP.fps, 9);
    }
  });

  it("time_in_zone: the horse, below the zone, never has a time", () => {
    expect(firstFrame(HORSE, inZone)).toBeUndefined();
    expect(results.some((r) => ids(r.timed).includes(idOfObject(HORSE)))).toBe(false);
  });
});
