/** Pre- and post-processing without a model: contours, selection, transforms, label sources. */
import { describe, expect, test } from "vitest";
import type { BitMask } from "@cvflow/engine";
import type { ModelSpec } from "../src/models/types.js";
import { transcribeYamlNames } from "../src/models/label-yaml.js";
import { parseUltralyticsNames, readOnnxMetadata } from "../src/models/onnx-metadata.js";
import { classificationResult } from "../src/tasks/classification.js";
import { largestOuterContour } from "../src/tasks/contour.js";
import { Candidates, selectDetections } from "../src/tasks/detection.js";
import { freeNow } from "../src/tasks/free-now.js";
import { inputLength, prepareInput, toImageX, toImageY } from "../src/tasks/preprocess.js";

/** A mask stored for the whole image. */
function maskOf(rows: string[]): BitMask {
  const width = rows[0]!.length;
  return { width, height: rows.length, left: 0, top: 0, columns: width, rows: rows.length, data: Uint8Array.from(rows.join(""), (ch) => (ch === "#" ? 1 : 0)) };
}

describe("largestOuterContour", () => {
  test("a rectangle gives its four corners", () => {
    const contour = largestOuterContour(maskOf(["......", ".####.", ".####.", ".####.", "......"]));
    expect(new Set(contour.map(([x, y]) => `${x},${y}`))).toEqual(new Set(["1,1", "1,3", "4,3", "4,1"]));
  });

  test("the largest blob wins; holes and the other blobs are ignored", () => {
    const contour = largestOuterContour(maskOf(["##.......", "##.#####.", "...#...#.", "...#.#.#.", "...#####.", "........."]));
    const points = contour.map(([x, y]) => `${x},${y}`);
    expect(points).toEqual(expect.arrayContaining(["3,1", "7,1", "7,4", "3,4"]));
    expect(points.some((point) => point === "0,0" || point === "5,3")).toBe(false);
  });

  test("diagonal strokes, single pixels and empty masks", () => {
    expect(largestOuterContour(maskOf(["#...", ".#..", "..#.", "...."]))).toEqual(expect.arrayContaining([[0, 0], [2, 2]]));
    expect(largestOuterContour(maskOf(["...", ".#.", "..."]))).toEqual([[1, 1]]);
    expect(largestOuterContour(maskOf(["...", "..."]))).toEqual([]);
  });

  test("a mask stored for a window gives the contour in image coordinates", () => {
    // The window (2, 1)-(6, 4) of a 6x4 image: "...###" twice from row 2.
    const window = maskOf(["....", ".###", ".###"]);
    const mask = { ...window, width: 6, height: 4, left: 2, top: 1 };
    expect(new Set(largestOuterContour(mask).map(([x, y]) => `${x},${y}`))).toEqual(new Set(["3,2", "3,3", "5,3", "5,2"]));
  });
});

describe("selectDetections", () => {
  const classes = ["cat", "dog"];
  const candidates = new Candidates(100, 100);
  candidates.add(10, 10, 50, 50, 0.9, 0, 0);
  candidates.add(12, 12, 52, 52, 0.8, 1, 1); // overlaps the cat, other class
  candidates.add(11, 11, 51, 51, 0.7, 0, 2); // overlaps the cat, same class
  candidates.add(60, 60, 90, 90, 0.6, 1, 3);

  test("class-aware NMS keeps overlapping boxes of other classes; agnostic does not", () => {
    expect(selectDetections(candidates, classes, { iouThreshold: 0.5 })).toEqual([0, 1, 3]);
    expect(selectDetections(candidates, classes, { iouThreshold: 0.5, classAgnosticNms: true })).toEqual([0, 3]);
  });

  test("class filter after NMS, maxDetections, maxCandidates", () => {
    expect(selectDetections(candidates, classes, { classFilter: ["dog"] })).toEqual([1, 3]);
    expect(selectDetections(candidates, classes, { classFilter: ["dog"], classAgnosticNms: true })).toEqual([3]);
    expect(selectDetections(candidates, classes, { classFilter: [] })).toEqual([0, 1, 3]);
    expect(selectDetections(candidates, classes, { maxDetections: 1 })).toEqual([0]);
    expect(selectDetections(candidates, classes, { maxCandidates: 2 })).toEqual([0, 1]);
  });

  test("boxes are clipped to the image", () => {
    const clipped = new Candidates(40, 30);
    clipped.add(-5, -5, 50, 50, 0.9, 0, 0);
    expect(clipped.boxes).toEqual([0, 0, 40, 30]);
  });
});

describe("prepareInput", () => {
  const spec = (resize: ModelSpec["preprocessing"]["resize"], channelOrder: "RGB" | "BGR" = "RGB"): ModelSpec => ({
    id: "t", aliases: [], task: "object-detection", files: {}, input: { width: 8, height: 8 }, decoder: "yolov8", classes: [],
    dynamicBatch: false, license: "", source: "",
    preprocessing: { resize, pad: 114, scale: 1 / 255, channelOrder, resizeShort: 8 },
  });
  // A 4×2 image: red left half, blue right half.
  const image = { width: 4, height: 2, channels: 3 as const, data: Uint8Array.from([255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255, 255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255]) };

  test("letterbox: centred, padded with 114, and the transform maps back", async () => {
    const out = new Float32Array(inputLength(spec("letterbox")));
    const t = await prepareInput(image, spec("letterbox"), out);
    expect(t).toEqual({ scaleX: 2, scaleY: 2, offsetX: 0, offsetY: 2 });
    expect([toImageX(t, 8), toImageY(t, 6)]).toEqual([4, 2]);
    expect(out[0]).toBeCloseTo(114 / 255); // top padding row
    expect(out[2 * 8]).toBeCloseTo(1); // red plane, first image row, left
    expect(out[64 + 2 * 8]).toBeCloseTo(0); // green plane
  });

  test("BGR puts blue in the first plane; center-crop keeps the middle", async () => {
    const out = new Float32Array(inputLength(spec("letterbox")));
    await prepareInput(image, spec("letterbox", "BGR"), out);
    expect(out[2 * 8]).toBeCloseTo(0);
    expect(out[2 * 8 + 7]).toBeCloseTo(1);
    const crop = await prepareInput(image, spec("center-crop"), new Float32Array(inputLength(spec("center-crop"))));
    expect([crop.scaleX, crop.scaleY, crop.offsetX]).toEqual([4, 4, -4]);
    expect(crop.offsetY).toBeCloseTo(0);
  });

  test("a batch slot is written where it belongs", async () => {
    const out = new Float32Array(2 * inputLength(spec("stretch")));
    await prepareInput(image, spec("stretch"), out, 1);
    expect(out.subarray(0, inputLength(spec("stretch"))).every((v) => v === 0)).toBe(true);
    expect(out[inputLength(spec("stretch"))]).toBeCloseTo(1);
  });

  test("the pad fills every value the pixels leave (buffers are reused): bands above and below, or left and right", async () => {
    for (const [picture, band] of [[image, [0, 1, 6, 7].map((row) => row * 8)], [{ ...image, width: 2, height: 4, data: image.data.slice() }, [0, 1, 6, 7]]] as const) {
      const out = new Float32Array(inputLength(spec("letterbox"))).fill(Number.NaN);
      await prepareInput(picture, spec("letterbox"), out);
      expect(out.some(Number.isNaN)).toBe(false);
      // Where the band starts (rows 0, 1, 6, 7 of a wide image; columns of a tall one), in each plane.
      for (const plane of [0, 64, 128]) for (const at of band) expect(out[plane + at]).toBe(Math.fround(114 / 255));
    }
  });

  test("frees the resized pixels it made, never the image's own", async () => {
    const own = { width: 8, height: 8, channels: 3 as const, data: new Uint8Array(192).fill(7) };
    await prepareInput(own, spec("stretch"), new Float32Array(inputLength(spec("stretch"))));
    expect([own.data.length, own.data[191]]).toEqual([192, 7]);
    const copy = image.data.slice();
    await prepareInput(image, spec("letterbox"), new Float32Array(inputLength(spec("letterbox"))));
    expect(image.data).toEqual(copy);
  });

  test("freeNow detaches a view's whole buffer, and leaves a view on part of one alone", () => {
    const whole = new Float32Array(16);
    freeNow(whole);
    expect([whole.length, whole.buffer.detached]).toEqual([0, true]);
    const part = new Float32Array(16).subarray(4);
    freeNow(part);
    expect([part.length, part.buffer.detached]).toEqual([12, false]);
  });

  test("one-channel pixels feed all three planes", async () => {
    const gray = { width: 2, height: 2, channels: 1 as const, data: Uint8Array.from([0, 51, 102, 255]) };
    const out = new Float32Array(inputLength(spec("stretch")));
    await prepareInput(gray, spec("stretch"), out);
    expect([out[0], out[64], out[128]]).toEqual([0, 0, 0]);
    expect(out[63]).toBeCloseTo(1);
    expect(out[127]).toBeCloseTo(1);
    expect(out[191]).toBeCloseTo(1);
  });
});

test("softmax sorts every class; multi-label is a sigmoid per class", () => {
  const single = classificationResult(Float32Array.from([0, 2, 1]), ["a", "b", "c"], false, 10, 20);
  expect(single.scores.map((s) => s.className)).toEqual(["b", "c", "a"]);
  expect(single.scores.reduce((sum, s) => sum + s.confidence, 0)).toBeCloseTo(1);
  const multi = classificationResult(Float32Array.from([0, 2]), ["a", "b"], true, 10, 20);
  expect(multi.scores.map((s) => s.confidence)).toEqual([1 / (1 + Math.exp(-2)), 0.5]);
});

test("classes come most confident first, equal ones in class order, as a stable sort gives them", () => {
  const logits = Float32Array.from({ length: 1000 }, (_, i) => [3, -1, 0.5][i % 3]! + (i % 7 === 0 ? 0 : (i % 11) / 10));
  const classes = Array.from({ length: 1000 }, (_, i) => `c${i}`);
  for (const multiLabel of [false, true]) {
    const { scores } = classificationResult(logits, classes, multiLabel, 1, 1);
    const expected = [...scores].sort((a, b) => a.classId - b.classId).sort((a, b) => b.confidence - a.confidence);
    expect(scores.map((s) => s.classId)).toEqual(expected.map((s) => s.classId));
    expect(new Set(scores.map((s) => s.classId)).size).toBe(1000);
    expect(scores.every((s) => s.className === `c${s.classId}`)).toBe(true);
  }
});

test("ONNX metadata_props are read off the protobuf; Ultralytics names parse", () => {
  const text = (value: string) => [...new TextEncoder().encode(value)];
  const entry = (key: string, value: string) => {
    const body = [0x0a, key.length, ...text(key), 0x12, value.length, ...text(value)];
    return [0x72, body.length, ...body]; // field 14, length-delimited
  };
  const graph = [0x3a, 3, 1, 2, 3]; // field 7, skipped
  const model = Uint8Array.from([0x08, 7, ...graph, ...entry("names", "{0: 'person', 1: \"people's\"}"), ...entry("stride", "32")]);
  const props = readOnnxMetadata(model);
  expect(props).toEqual({ names: "{0: 'person', 1: \"people's\"}", stride: "32" });
  expect(parseUltralyticsNames(props["names"]!)).toEqual(["person", "people's"]);
  expect(() => readOnnxMetadata(Uint8Array.from([0x72, 9, 1]))).toThrow(/not an ONNX file/);
});

test("label lists transcribe from a dataset YAML's names block", () => {
  expect(transcribeYamlNames("path: x\nnames:\n  0: person\n  1: 'hair drier'\n  2: jack-o'-lantern\n\ndownload: y\n")).toBe("person\nhair drier\njack-o'-lantern\n");
  expect(() => transcribeYamlNames("nc: 3\n")).toThrow(/names/);
});
