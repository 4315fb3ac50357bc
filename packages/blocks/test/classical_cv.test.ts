import { describe, expect, it } from "vitest";
import type { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { contoursDetectionBlock } from "../src/classical_cv/contours_detection.js";
import { convertGrayscaleBlock } from "../src/classical_cv/convert_grayscale.js";
import { imageBlurBlock } from "../src/classical_cv/image_blur.js";
import { gaussianKernel } from "../src/classical_cv/gaussian-blur.js";
import { grayOf } from "../src/classical_cv/grayscale.js";
import { imagePreprocessingBlock } from "../src/classical_cv/image_preprocessing.js";
import { otsuThreshold, thresholdBlock } from "../src/classical_cv/threshold.js";
import { runBlock } from "./detections-fixture.js";
import { grayImage, photo, rowsOf, synthetic } from "./image-fixtures.js";

async function imageOf(block: Parameters<typeof runBlock>[0], params: Record<string, unknown>): Promise<WorkflowImage> {
  return (await runBlock(block, params))["image"] as WorkflowImage;
}

const impulse = (size: number, value: number): WorkflowImage => grayImage(Array.from({ length: size }, (_, y) => Array.from({ length: size }, (_, x) => (x === (size >> 1) && y === (size >> 1) ? value : 0))));

describe("ConvertGrayscale", () => {
  it("weighs R, G, B as OpenCV's BGR2GRAY (0.299, 0.587, 0.114 in 14-bit fixed point)", async () => {
    const colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [100, 150, 200]];
    const image = synthetic(5, 1, 3, (x, _y, c) => colours[x]![c]!);
    const gray = await imageOf(convertGrayscaleBlock, { image });
    expect(gray.channels).toBe(1);
    // (255·4899 + 2^13) >> 14 = 76; 150; 29; 255; 0.299·100 + 0.587·150 + 0.114·200 = 140.75 -> 141.
    expect(rowsOf(gray)).toEqual([[76, 150, 29, 255, 141]]);
    expect(gray.lineage).toBe(image.lineage);
  });
});

describe("ImageBlur", () => {
  it("defaults to a 5 x 5 gaussian", () => {
    const { fields } = imageBlurBlock.manifest;
    expect([fields["blur_type"]!.default, fields["kernel_size"]!.default]).toEqual(["gaussian", 5]);
  });

  it("averages over the window, reflecting at the edges (BORDER_REFLECT_101)", async () => {
    // A 90 in the middle of a 3 x 3 image: the corner's window sees it 4 times (rows 1,0,1 x cols 1,0,1), an edge's twice.
    const out = await imageOf(imageBlurBlock, { image: impulse(3, 90), blur_type: "average", kernel_size: 3 });
    expect(rowsOf(out)).toEqual([
      [40, 20, 40],
      [20, 10, 20],
      [40, 20, 40],
    ]);
  });

  it("gaussian 3 x 3 is [1 2 1]ᵀ[1 2 1] / 16, rounded half up", async () => {
    // 100 · 2/16 = 12.5 -> 13, 100 · 1/16 = 6.25 -> 6, 100 · 4/16 = 25.
    const out = await imageOf(imageBlurBlock, { image: impulse(5, 100), blur_type: "gaussian", kernel_size: 3 });
    expect(rowsOf(out)).toEqual([
      [0, 0, 0, 0, 0],
      [0, 6, 13, 6, 0],
      [0, 13, 25, 13, 0],
      [0, 6, 13, 6, 0],
      [0, 0, 0, 0, 0],
    ]);
  });

  it("gaussian 5 x 5 (sigma 0) is OpenCV's [1 4 6 4 1] / 16 kernel", async () => {
    const out = rowsOf(await imageOf(imageBlurBlock, { image: impulse(9, 255) }));
    // 255 · 36/256 = 35.86 -> 36; 255 · 24/256 = 23.9 -> 24; 255 · 1/256 -> 1; beyond the kernel 0.
    expect([out[4]![4], out[4]![3], out[3]![3], out[2]![2], out[1]![1]]).toEqual([36, 24, 16, 1, 0]);
  });

  it("median takes the middle value, replicating the edges", async () => {
    const image = grayImage([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    // Top-left window: 1 x4, 2 x2, 4 x2, 5 -> 1 1 1 1 2 2 4 4 5, median 2; top-right: 2 2 3 3 3 3 5 6 6 -> 3;
    // bottom-left: 4 4 5 7 7 7 7 8 8 -> 7; bottom-right: 5 6 6 8 8 9 9 9 9 -> 8.
    expect(rowsOf(await imageOf(imageBlurBlock, { image, blur_type: "median", kernel_size: 3 }))).toEqual([
      [2, 3, 3],
      [4, 5, 6],
      [7, 7, 8],
    ]);
  });

  it("bilateral leaves flat colour alone and works on RGB", async () => {
    const flat = synthetic(6, 6, 3, (_x, _y, c) => 40 + c * 60);
    const out = await imageOf(imageBlurBlock, { image: flat, blur_type: "bilateral", kernel_size: 5 });
    expect(Buffer.from(out.pixels.data).equals(Buffer.from(flat.pixels.data))).toBe(true);
  });

  it("refuses an even kernel for gaussian and median", async () => {
    await expect(imageOf(imageBlurBlock, { image: impulse(3, 1), kernel_size: 4 })).rejects.toThrow(/odd/);
    await expect(imageOf(imageBlurBlock, { image: impulse(3, 1), blur_type: "median", kernel_size: 2 })).rejects.toThrow(/odd/);
  });
});

describe("Threshold", () => {
  const ramp = grayImage([[0, 100, 127, 128, 200, 255]]);
  const apply = async (threshold_type: string, extra: Record<string, unknown> = {}): Promise<number[]> =>
    rowsOf(await imageOf(thresholdBlock, { image: ramp, threshold_type, thresh_value: 127, ...extra }))[0]!;

  it("applies OpenCV's fixed threshold types (pixel > thresh)", async () => {
    expect(await apply("binary")).toEqual([0, 0, 0, 255, 255, 255]);
    expect(await apply("binary_inv")).toEqual([255, 255, 255, 0, 0, 0]);
    expect(await apply("trunc")).toEqual([0, 100, 127, 127, 127, 127]);
    expect(await apply("tozero")).toEqual([0, 0, 0, 128, 200, 255]);
    expect(await apply("tozero_inv")).toEqual([0, 100, 127, 0, 0, 0]);
    expect(await apply("binary", { max_value: 200 })).toEqual([0, 0, 0, 200, 200, 200]);
  });

  it("otsu splits a two-level image at the lower level", async () => {
    const twoLevels = grayImage([[50, 50, 200, 200], [50, 200, 50, 200]]);
    expect(otsuThreshold(twoLevels.pixels.data)).toBe(50);
    expect(rowsOf(await imageOf(thresholdBlock, { image: twoLevels, threshold_type: "otsu", thresh_value: 0 }))).toEqual([
      [0, 0, 255, 255],
      [0, 255, 0, 255],
    ]);
  });

  it("adaptive_mean compares each pixel with its 11 x 11 mean minus 2", async () => {
    // A 95 in a field of 100: its window mean is (120·100 + 95) / 121 = 99.96 -> 100, and 95 - 100 <= -2.
    const image = synthetic(15, 15, 1, (x, y) => (x === 7 && y === 7 ? 95 : 100));
    const out = rowsOf(await imageOf(thresholdBlock, { image, threshold_type: "adaptive_mean", thresh_value: 0 }));
    expect(out[7]![7]).toBe(0);
    expect(out.flat().filter((v) => v === 255)).toHaveLength(15 * 15 - 1);
  });

  it("adaptive_gaussian weighs the 11 x 11 window with OpenCV's 8-bit quantised sigma-2 kernel", async () => {
    // 256 · exp(-d² / 8) / 4.986 for d = 5..1: 2.25, 6.95, 16.67, 31.14, 45.31; with the rounding
    // error carried along: 2, 7, 17, 31, 45, and the centre takes the rest: 256 - 2 · 102 = 52.
    expect(gaussianKernel(11)).toEqual([2, 7, 17, 31, 45, 52, 45, 31, 17, 7, 2]);
    const image = synthetic(15, 15, 1, (x, y) => (x === 7 && y === 7 ? 90 : 100));
    const out = rowsOf(await imageOf(thresholdBlock, { image, threshold_type: "adaptive_gaussian", thresh_value: 0 }));
    // The dark pixel's weighted mean is 100 - 10 · 52² / 65536 = 99.6 -> 100.
    expect(out[7]![7]).toBe(0);
    expect(out[7]![6]).toBe(255);
  });

  it("converts a colour image to grayscale first", async () => {
    const red = synthetic(2, 1, 3, (_x, _y, c) => (c === 0 ? 255 : 0));
    const out = await imageOf(thresholdBlock, { image: red, threshold_type: "binary", thresh_value: 75 });
    expect(out.channels).toBe(1);
    expect(rowsOf(out)).toEqual([[255, 255]]); // gray 76 > 75
  });
});

describe("ImagePreprocessing", () => {
  const sixCells = grayImage([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it("flips vertically, horizontally or both", async () => {
    const flip = async (flip_type: string): Promise<number[][]> => rowsOf(await imageOf(imagePreprocessingBlock, { image: sixCells, task_type: "flip", flip_type }));
    expect(await flip("vertical")).toEqual([[4, 5, 6], [1, 2, 3]]);
    expect(await flip("horizontal")).toEqual([[3, 2, 1], [6, 5, 4]]);
    expect(await flip("both")).toEqual([[6, 5, 4], [3, 2, 1]]);
  });

  it("resizes by area: a 2x shrink averages 2 x 2 blocks, ties rounded up as OpenCV's fast path does", async () => {
    const image = grayImage([
      [10, 11, 1, 1],
      [12, 14, 0, 0],
      [0, 1, 1, 1],
      [0, 0, 1, 2],
    ]);
    // 47/4 = 11.75 -> 12; 2/4 = 0.5 -> 1; 1/4 -> 0; 5/4 -> 1.
    expect(rowsOf(await imageOf(imagePreprocessingBlock, { image, task_type: "resize", width: 2, height: 2 }))).toEqual([
      [12, 1],
      [0, 1],
    ]);
  });

  it("resizes by area with partial coverage, and enlarges by repeating pixels", async () => {
    // 3 -> 2: out0 = 2/3·30 + 1/3·60 = 40, out1 = 1/3·60 + 2/3·90 = 80.
    expect(rowsOf(await imageOf(imagePreprocessingBlock, { image: grayImage([[30, 60, 90]]), task_type: "resize", width: 2, height: 1 }))).toEqual([[40, 80]]);
    expect(rowsOf(await imageOf(imagePreprocessingBlock, { image: grayImage([[10, 50]]), task_type: "resize", width: 4, height: 1 }))).toEqual([[10, 10, 50, 50]]);
  });

  it("keeps the aspect ratio when a side is missing", async () => {
    const image = synthetic(8, 4, 3, () => 7);
    const out = await imageOf(imagePreprocessingBlock, { image, task_type: "resize", width: null, height: 2 });
    expect([out.width, out.height]).toEqual([4, 2]);
  });

  it("rotates as OpenCV does about (w // 2, h // 2): positive is counter-clockwise, on an enlarged canvas", async () => {
    const image = grayImage([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    // 90°: dst(x, y) = src(4 - y, x) — the integer centre shifts the picture a pixel: row 0 falls outside (black).
    expect(rowsOf(await imageOf(imagePreprocessingBlock, { image, task_type: "rotate", rotation_degrees: 90 }))).toEqual([
      [0, 0],
      [4, 8],
      [3, 7],
      [2, 6],
    ]);
    // 180°: dst(x, y) = src(4 - x, 2 - y).
    expect(rowsOf(await imageOf(imagePreprocessingBlock, { image, task_type: "rotate", rotation_degrees: 180 }))).toEqual([
      [0, 0, 0, 0],
      [0, 8, 7, 6],
    ]);
  });
});

describe("ContoursDetection", () => {
  const canvas = (width: number, height: number, on: (x: number, y: number) => boolean): WorkflowImage => synthetic(width, height, 1, (x, y) => (on(x, y) ? 255 : 0));
  const contoursOf = async (image: WorkflowImage, extra: Record<string, unknown> = {}) =>
    (await runBlock(contoursDetectionBlock, { image, ...extra })) as { image: WorkflowImage; contours: number[][][]; hierarchy: number[][][] | null; number_contours: number };

  it("keeps only the corners of straight runs (CHAIN_APPROX_SIMPLE), starting top-left and going down", async () => {
    expect((await contoursOf(canvas(4, 4, (x, y) => x < 2 && y < 2))).contours).toEqual([[[0, 0], [0, 1], [1, 1], [1, 0]]]);
    const block = await contoursOf(canvas(20, 20, (x, y) => x >= 2 && x <= 11 && y >= 3 && y <= 12));
    expect(block.contours).toEqual([[[2, 3], [2, 12], [11, 12], [11, 3]]]);
    expect((await contoursOf(canvas(5, 5, (x, y) => x === 2 && y === 2))).contours).toEqual([[[2, 2]]]);
  });

  it("finds outer contours only: a square inside a hollow square is not one; diagonal pixels connect", async () => {
    const ring = (x: number, y: number): boolean => x >= 2 && x <= 17 && y >= 2 && y <= 17 && !(x >= 5 && x <= 14 && y >= 5 && y <= 14);
    const inner = (x: number, y: number): boolean => x >= 8 && x <= 11 && y >= 8 && y <= 11;
    const blob = (x: number, y: number): boolean => x >= 4 && x <= 6 && y >= 22 && y <= 24;
    const diagonal = (x: number, y: number): boolean => (x === 12 && y === 22) || (x === 13 && y === 23);
    const out = await contoursOf(canvas(20, 28, (x, y) => ring(x, y) || inner(x, y) || blob(x, y) || diagonal(x, y)));
    expect(out.number_contours).toBe(3);
    // Last found first: the diagonal pair, the blob, then the ring.
    expect(out.contours[0]).toEqual([[12, 22], [13, 23]]);
    expect(out.contours[2]).toEqual([[2, 2], [2, 17], [17, 17], [17, 2]]);
    expect(out.hierarchy).toEqual([[[1, -1, -1, -1], [2, 0, -1, -1], [-1, 1, -1, -1]]]);
  });

  it("draws on raw_image when given, else on the thresholded image, in the chosen colour", async () => {
    const binary = canvas(20, 20, (x, y) => x >= 5 && x <= 14 && y >= 5 && y <= 14);
    const raw = synthetic(20, 20, 3, () => 90);
    const onRaw = (await contoursOf(binary, { raw_image: raw, line_thickness: 1, line_color: "#00FF00" })).image;
    const at = (image: WorkflowImage, x: number, y: number): number[] => Array.from(image.pixels.data.subarray((y * 20 + x) * 3, (y * 20 + x) * 3 + 3));
    expect(at(onRaw, 5, 9)).toEqual([0, 255, 0]);
    expect(at(onRaw, 9, 9)).toEqual([90, 90, 90]);
    expect(onRaw.lineage).toBe(raw.lineage);
    const onBinary = (await contoursOf(binary)).image;
    expect(onBinary.channels).toBe(3);
    expect(at(onBinary, 5, 9)).toEqual([255, 0, 255]); // default magenta
    expect(at(onBinary, 9, 9)).toEqual([255, 255, 255]);
  });

  it("reports no contours on an empty image, hierarchy null as OpenCV's", async () => {
    const out = await contoursOf(canvas(5, 5, () => false));
    expect([out.number_contours, out.contours, out.hierarchy]).toEqual([0, [], null]);
  });

  it.skipIf(missing("contours on dogs.jpg", { photos: ["roboflow/dogs.jpg"] }))("finds OpenCV's 27 contours on dogs.jpg after grayscale, default blur, threshold 200 binary_inv", async () => {
    const dogs = await photo("roboflow/dogs.jpg");
    const gray = await imageOf(convertGrayscaleBlock, { image: dogs });
    const blurred = await imageOf(imageBlurBlock, { image: gray });
    const thresholded = await imageOf(thresholdBlock, { image: blurred, thresh_value: 200, threshold_type: "binary_inv" });
    const out = await contoursOf(thresholded, { raw_image: dogs, line_thickness: 5 });
    expect(out.number_contours).toBe(27);
    expect(out.contours).toHaveLength(27);
    expect([out.image.width, out.image.height]).toEqual([640, 427]);
  });
});

describe("grayscale", () => {
  it("rounds as OpenCV's cvtColor RGB2GRAY (python3-opencv 4.6 gave these for the same RGB pixels)", () => {
    const pixels: [number, number, number][] = [[188, 87, 37], [255, 255, 255], [0, 0, 0], [12, 200, 99], [250, 3, 128], [77, 77, 78]];
    expect(pixels.map(([r, g, b]) => grayOf(r, g, b))).toEqual([112, 255, 0, 132, 91, 77]);
  });
});
