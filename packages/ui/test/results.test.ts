/**
 * The pure parts of the results view on values the real service gave (test/fixtures, base64
 * images cut short): `npm start`, then on /work/shared/images/bus.jpg the demo detect-crop-classify
 * (sync run, and an async one's record), an inline instance segmentation -> crop -> detect run
 * (the specification is in its fixture), and detect-review-classify cancelled while it waited and
 * retried (its record: detection reused, the review waiting again). coco-rle-masks.json: masks
 * encoded by pycocotools (its `_how`), as Roboflow sends `rle_mask`; cvflow itself sends polygons.
 */
import { readFileSync } from "node:fs";
import type { RunRecord } from "@cvflow/wire";
import { DEFAULT_PALETTE } from "@cvflow/wire";
import { describe, expect, it } from "vitest";
import { backgroundCandidates, canvasSize, paletteColor, readDetections, rleMask, visibleDetections } from "../src/results/detections.js";
import { clipString, containerSummary, imageSummary, isLeaf } from "../src/results/json-text.js";
import { imagesIn, outputNode, outputRecords, type ImageValue, type OutputNode } from "../src/results/output-values.js";
import { tickLabel, ticks, timeline } from "../src/results/timeline.js";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8"));
const detectCropClassify = fixture("bus-detect-crop-classify.outputs.json").outputs[0] as Record<string, any>;
const segmentCropDetect = fixture("bus-segment-crop-detect.outputs.json").outputs[0] as Record<string, any>;
const record = fixture("detect-crop-classify.record.json") as RunRecord;
const retried = fixture("detect-review-classify-retried.record.json") as RunRecord;

const kinds = (node: OutputNode): unknown =>
  node.kind === "batch" ? node.items.map(kinds) : node.kind === "fields" ? Object.fromEntries(node.fields.map(([key, item]) => [key, kinds(item)])) : node.kind;

describe("output values", () => {
  it("tells images, detections, batches, objects holding them and plain JSON apart", () => {
    expect(Object.fromEntries(Object.entries(detectCropClassify).map(([name, value]) => [name, kinds(outputNode(value))]))).toEqual({
      detected: "detections",
      crop_classes: "json",
      relabelled: "detections",
      annotated: "image",
    });
    expect(Object.fromEntries(Object.entries(segmentCropDetect).map(([name, value]) => [name, kinds(outputNode(value))]))).toEqual({
      seg: "detections",
      crops: ["image", "image", "image", "image"],
      det2: Array(4).fill({ inference_id: "json", predictions: "detections", model_id: "json" }),
      det2own: Array(4).fill("detections"),
    });
    expect(kinds(outputNode(null))).toBe("json");
    expect(kinds(outputNode([null, detectCropClassify["annotated"]]))).toEqual(["json", "image"]);
  });

  it("finds every image of a record, nested batches included, in order", () => {
    const images = imagesIn(segmentCropDetect);
    expect(images).toHaveLength(4);
    expect(images.map((image) => image["parent_id"])).toEqual(segmentCropDetect["seg"].predictions.map((p: { detection_id: string }) => p.detection_id));
    expect(imagesIn(detectCropClassify)).toEqual([detectCropClassify["annotated"]]);
  });

  it("takes a run's list of records or one record", () => {
    expect(outputRecords([detectCropClassify])).toEqual([detectCropClassify]);
    expect(outputRecords(detectCropClassify)).toEqual([detectCropClassify]);
    expect(outputRecords([1])).toEqual([{ output: 1 }]);
  });
});

describe("detections", () => {
  it("reads boxes from their centre, in the image's pixels, coloured by class as the server draws them", () => {
    const read = readDetections(detectCropClassify["detected"]);
    expect([read.width, read.height, read.parentIds]).toEqual([810, 1080, ["image"]]);
    expect(read.items).toHaveLength(5);
    const [person] = read.items;
    const raw = detectCropClassify["detected"].predictions[0];
    expect(person!.x1).toBeCloseTo(raw.x - raw.width / 2, 9);
    expect(person!.x2).toBeCloseTo(raw.x + raw.width / 2, 9);
    expect(person!.y1).toBeCloseTo(628.3952789306641 - 502.0083923339844 / 2, 9);
    expect(person!.label).toBe("person 0.90");
    expect(read.items.map((item) => item.color)).toEqual(["#a351fb", "#a351fb", "#a351fb", "#d1d435", "#a351fb"]);
    // Class ids beyond the palette wrap around it: the relabelled crops' ImageNet classes.
    const relabelled = readDetections(detectCropClassify["relabelled"]);
    expect(relabelled.items.map((item) => item.classId)).toEqual([745, 148, 568, 705, 996]);
    expect(relabelled.items.map((item) => item.color)).toEqual([745, 148, 568, 705, 996].map((id) => `#${DEFAULT_PALETTE[id % 21]}`));
    expect(paletteColor(-1)).toBe(`#${DEFAULT_PALETTE[20]}`);
  });

  it("hides those below the slider's confidence", () => {
    const read = readDetections(detectCropClassify["detected"]);
    expect(visibleDetections(read.items, 0)).toHaveLength(5);
    expect(visibleDetections(read.items, 0.5).map((item) => item.confidence.toFixed(4))).toEqual(["0.8993", "0.8982", "0.8901", "0.8168"]);
    expect(visibleDetections(read.items, 0.9)).toHaveLength(0);
  });

  it("reads instance masks' polygons and keypoints with their confidence", () => {
    const read = readDetections(segmentCropDetect["seg"]);
    expect(read.items.map((item) => item.polygon?.length)).toEqual(segmentCropDetect["seg"].predictions.map((p: { points: unknown[] }) => p.points.length));
    expect(read.items[0]!.polygon![0]).toEqual(segmentCropDetect["seg"].predictions[0].points[0]);
    // The wire format the engine writes for keypoints (no keypoint model ships here to give a real one).
    const keypoints = readDetections({
      image: { width: 100, height: 80 },
      predictions: [{ x: 50, y: 40, width: 20, height: 30, confidence: 0.7, class: "person", class_id: 0, detection_id: "d", keypoints: [{ x: 48, y: 30, confidence: 0.25, class_id: 0, class: "nose" }, { x: "no" }] }],
    });
    expect(keypoints.items[0]!.keypoints).toEqual([{ x: 48, y: 30, confidence: 0.25, name: "nose" }]);
  });

  it("draws over the image they were made on: the input they name, a crop in its own coordinates, else the outputs' images", () => {
    const annotated = detectCropClassify["annotated"] as ImageValue;
    expect(backgroundCandidates(readDetections(detectCropClassify["detected"]), ["image"], [annotated])).toEqual([
      { source: "input", name: "image" },
      { source: "output", image: annotated },
    ]);
    // Without the inputs (a sync run keeps none): the annotated copy, which has the input's size.
    expect(backgroundCandidates(readDetections(detectCropClassify["detected"]), [], [annotated])).toEqual([{ source: "output", image: annotated }]);
    // Detections in a crop's own coordinates name the crop's detection as parent: that crop first.
    const crops = imagesIn(segmentCropDetect);
    const inCrop = readDetections(segmentCropDetect["det2own"][1]);
    expect([inCrop.width, inCrop.height]).toEqual([187, 516]);
    const candidates = backgroundCandidates(inCrop, ["image"], crops);
    expect(candidates[0]).toEqual({ source: "output", image: crops[1] });
    expect(candidates[1]).toEqual({ source: "input", name: "image" });
    expect(candidates).toHaveLength(1 + 1 + 3);
    // Of two inputs, neither named by the detections: neither is guessed.
    expect(backgroundCandidates(readDetections(detectCropClassify["detected"]), ["left", "right"], [])).toEqual([]);
  });

  it("sizes a blank to the detections' image, or to their boxes when the value names no size", () => {
    expect(canvasSize(readDetections(detectCropClassify["detected"]))).toEqual({ width: 810, height: 1080 });
    expect(canvasSize(readDetections({ image: { width: null, height: null }, predictions: [{ x: 10, y: 10, width: 10, height: 6 }] }))).toEqual({ width: 15, height: 13 });
  });
});

describe("timeline", () => {
  it("puts every step on one axis from the run's start to its end", () => {
    const { totalMs, bars, ticks: marks } = timeline(record, Date.parse(record.finishedAt!) + 60_000);
    expect(totalMs).toBe(record.elapsedMs);
    expect(bars.map((bar) => bar.name)).toEqual(record.steps.map((step) => step.name));
    const detection = bars[0]!;
    const origin = Date.parse(record.startedAt!);
    expect(detection.left).toBeCloseTo(((Date.parse(record.steps[0]!.startedAt!) - origin) / totalMs) * 100, 9);
    expect(detection.spanMs).toBe(Date.parse(record.steps[0]!.finishedAt!) - Date.parse(record.steps[0]!.startedAt!));
    expect(detection.durationMs).toBe(845.9);
    // The last bar ends at or before the axis' end; none is reused in a first attempt.
    expect(Math.max(...bars.map((bar) => bar.left! + bar.width!))).toBeLessThanOrEqual(100);
    expect(bars.every((bar) => !bar.reused && bar.status === "succeeded")).toBe(true);
    expect(marks).toEqual([0, 500, 1000, 1500]);
  });

  it("marks steps a retry reused, grows a waiting step's bar to now, and leaves steps that never started without a bar", () => {
    const review = retried.steps.find((step) => step.name === "review")!;
    const now = Date.parse(review.startedAt!) + 1000;
    const { totalMs, bars } = timeline(retried, now);
    expect(totalMs).toBe(now - Date.parse(retried.startedAt!));
    const byName = Object.fromEntries(bars.map((bar) => [bar.name, bar]));
    expect(byName["detection"]).toMatchObject({ reused: true, status: "succeeded" });
    expect(byName["review"]).toMatchObject({ reused: false, status: "waiting", spanMs: 1000 });
    expect(byName["review"]!.left! + byName["review"]!.width!).toBeCloseTo(100, 9);
    expect(byName["crops"]).toEqual({ name: "crops", block: "roboflow_core/dynamic_crop@v1", status: "pending", reused: false });
  });

  it("picks round marks, at most six, and labels them with the digits that tell them apart", () => {
    expect(ticks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(12_345)).toEqual([0, 5000, 10000]);
    for (const total of [3, 77, 999, 1573, 60_001, 3_600_000]) expect(ticks(total).length).toBeLessThanOrEqual(7);
    expect(ticks(3).map(tickLabel)).toEqual(["0 ms", "0.5 ms", "1 ms", "1.5 ms", "2 ms", "2.5 ms", "3 ms"]);
    expect([tickLabel(250), tickLabel(1500), tickLabel(2000), tickLabel(125_000)]).toEqual(["250 ms", "1.5 s", "2 s", "2 min 5 s"]);
  });
});

describe("json text", () => {
  it("never shows an image's base64, clips long strings and summarizes containers", () => {
    const annotated = detectCropClassify["annotated"];
    expect(isLeaf(annotated)).toBe(true);
    expect(imageSummary(annotated)).toBe("image, base64, 36 B");
    expect(imageSummary({ type: "url", value: "https://bucket.example/x.jpg" })).toBe("image, url https://bucket.example/x.jpg");
    expect(clipString("x".repeat(500))).toEqual({ shown: "x".repeat(160), clipped: 340 });
    expect(clipString("short")).toEqual({ shown: "short", clipped: 0 });
    expect([containerSummary(detectCropClassify["crop_classes"]), containerSummary(detectCropClassify["detected"]), containerSummary([1])]).toEqual(["[5 items]", "{2 keys}", "[1 item]"]);
  });
});

describe("run-length masks", () => {
  const rle = fixture("coco-rle-masks.json");

  it("decodes pycocotools' compressed counts into the mask it encoded, row by row", () => {
    const mask = rleMask(rle.small.rle_mask)!;
    expect([mask.width, mask.height]).toEqual([5, 6]);
    expect(Array.from(mask.pixels)).toEqual((rle.small.mask as number[][]).flat());
    // Plain counts, as a list: 1 outside, 2 inside, down the first column of a 3x2 image.
    expect(Array.from(rleMask({ size: [3, 2], counts: [1, 2, 3] })!.pixels)).toEqual([0, 0, 1, 0, 1, 0]);
  });

  it("decodes long runs (several characters each, deltas from two runs back) to the same area and box", () => {
    const { pixels, width, height } = rleMask(rle.large.rle_mask)!;
    expect(pixels.reduce((sum, p) => sum + p, 0)).toBe(rle.large.area);
    const inside = [...pixels.keys()].filter((i) => pixels[i] === 1);
    const xs = inside.map((i) => i % width);
    const ys = inside.map((i) => Math.floor(i / width));
    const [x, y, w, h] = rle.large.bbox;
    expect([Math.min(...xs), Math.min(...ys), Math.max(...xs) + 1 - Math.min(...xs), Math.max(...ys) + 1 - Math.min(...ys), height]).toEqual([x, y, w, h, 300]);
  });

  it("reads a prediction's rle_mask and refuses what is no mask", () => {
    const read = readDetections({ image: { width: 5, height: 6 }, predictions: [{ x: 2, y: 3, width: 2, height: 3, confidence: 0.5, class: "a", class_id: 1, rle_mask: rle.small.rle_mask }] });
    expect(read.items[0]!.mask!.pixels.reduce((sum, p) => sum + p, 0)).toBe(7);
    expect([rleMask(undefined), rleMask({ size: [0, 4], counts: [] }), rleMask({ size: [2, 2], counts: ["x"] })]).toEqual([undefined, undefined, undefined]);
  });
});
