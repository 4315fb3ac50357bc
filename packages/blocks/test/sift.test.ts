/**
 * SIFT (sift@v1), SIFT Comparison (v1, v2) and Stitch Images against OpenCV's own SIFT, matchers,
 * drawing and homography (python3-opencv, run in the test on the very pixels our blocks get, written
 * to a temp file), and against Roboflow's unit-test expectation: dogs.jpg (Roboflow's own test
 * image, 640 x 427) against its 180° rotation gives 443 good matches (ratio 0.7).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inputLineage, WorkflowImage, type RawPixels } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { drawMatches } from "../src/classical_cv/sift-drawing.js";
import { siftBlock, type KeypointRecord } from "../src/classical_cv/sift.js";
import { siftComparisonV1Block, siftComparisonV2Block } from "../src/classical_cv/sift_comparison.js";
import { detectSift } from "../src/classical_cv/sift-features.js";
import { stitchImagesBlock } from "../src/transformations/stitch_images.js";
import { runBlock } from "./detections-fixture.js";
import { photo } from "./image-fixtures.js";
import { missingOpenCvPython, runOpenCvPython } from "./opencv-python.js";

const dir = mkdtempSync(join(tmpdir(), "cvflow-sift-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Our RGB pixels in a file python reads back as OpenCV's BGR image. */
function pixelFile(pixels: RawPixels, name: string) {
  const file = join(dir, name);
  writeFileSync(file, pixels.data);
  return { file, width: pixels.width, height: pixels.height };
}

const PY_LOAD = `
import sys, json, hashlib, cv2, numpy as np
args = json.load(sys.stdin)
def load(p): return np.fromfile(p["file"], np.uint8).reshape(p["height"], p["width"], 3)[:, :, ::-1].copy()
def rgb_fingerprint(bgr): rgb = np.ascontiguousarray(bgr[:, :, ::-1]); return [int(rgb.sum(dtype=np.int64)), hashlib.sha256(rgb.tobytes()).hexdigest()[:16], rgb.shape[1], rgb.shape[0]]
def keypoints(records): return [cv2.KeyPoint(k["pt"][0], k["pt"][1], k["size"], k["angle"], k["response"], k["octave"]) for k in records]
`;

/** OpenCV's SIFT of both images, and its FLANN and BF ratio-test counts (0.7) between them. */
const PY_SIFT = `${PY_LOAD}
a, b = load(args["a"]), load(args["b"])
sift = cv2.SIFT_create()
ka, da = sift.detectAndCompute(a, None)
kb, db = sift.detectAndCompute(b, None)
def count(matches): return sum(1 for m, n in matches if m.distance < 0.7 * n.distance)
flann = cv2.FlannBasedMatcher(dict(algorithm=1, trees=5), dict(checks=50)).knnMatch(da, db, k=2)
bf = cv2.BFMatcher(cv2.NORM_L2).knnMatch(da, db, k=2)
print(json.dumps({"keypoints": [[k.pt[0], k.pt[1], k.size, k.angle, k.response, k.octave] for k in ka], "descriptors": da.tolist(), "flann": count(flann), "bf": count(bf), "count_b": len(kb)}))
`;

/** cv2.drawKeypoints(gray, keypoints, None) in a fresh process (its random colours from the default seed). */
const PY_DRAW_KEYPOINTS = `${PY_LOAD}
gray = cv2.cvtColor(load(args["a"]), cv2.COLOR_BGR2GRAY)
print(json.dumps(rgb_fingerprint(cv2.drawKeypoints(gray, keypoints(args["keypoints"]), None))))
`;

/** cv2.drawMatchesKnn as sift_comparison@v2 calls it for BFMatcher, in a fresh process. */
const PY_DRAW_MATCHES = `${PY_LOAD}
a, b = load(args["a"]), load(args["b"])
ka, kb = keypoints(args["keypoints_a"]), keypoints(args["keypoints_b"])
matches = [[cv2.DMatch(q, t, 0.0)] for q, t in args["matches"]]
print(json.dumps(rgb_fingerprint(cv2.drawMatchesKnn(a, ka, b, kb, matches, None, flags=cv2.DrawMatchesFlags_NOT_DRAW_SINGLE_POINTS))))
`;

/** cv2.drawMatchesKnn as sift_comparison@v2 calls it for FlannBasedMatcher (every keypoint red, matches green). */
const PY_DRAW_MATCHES_FLANN = `${PY_LOAD}
a, b = load(args["a"]), load(args["b"])
ka, kb = keypoints(args["keypoints_a"]), keypoints(args["keypoints_b"])
matches = [[cv2.DMatch(q, t, 0.0)] for q, t in args["matches"]]
print(json.dumps(rgb_fingerprint(cv2.drawMatchesKnn(a, ka, b, kb, matches, None, matchColor=(0, 255, 0), singlePointColor=(0, 0, 255), flags=cv2.DrawMatchesFlags_DEFAULT))))
`;

/** Roboflow's stitching steps with OpenCV's functions (SIFT, BFMatcher k=2, ratio 0.75, RANSAC 3 px, warpPerspective, paste). */
const PY_STITCH = `${PY_LOAD}
one, two = load(args["a"]), load(args["b"])
sift = cv2.SIFT_create()
k1, d1 = sift.detectAndCompute(one, None)
k2, d2 = sift.detectAndCompute(two, None)
good = [m for m, n in cv2.BFMatcher_create().knnMatch(d1, d2, k=2) if m.distance < 0.75 * n.distance]
p1 = np.float32([k1[m.queryIdx].pt for m in good]).reshape(-1, 1, 2)
p2 = np.float32([k2[m.trainIdx].pt for m in good]).reshape(-1, 1, 2)
left_first = np.mean([k.pt[0] for k in k1]) < np.mean([k.pt[0] for k in k2])
src, dst, moving, still = (p1, p2, one, two) if left_first else (p2, p1, two, one)
H, _ = cv2.findHomography(src, dst, cv2.RANSAC, 3)
hs, ws = still.shape[:2]
hm, wm = moving.shape[:2]
corners = cv2.perspectiveTransform(np.float32([[0, 0], [0, hm], [wm, hm], [wm, 0]]).reshape(-1, 1, 2), H)
xmin, ymin = np.int32(corners.min(axis=0).ravel())
xmax, ymax = np.int32(corners.max(axis=0).ravel())
xmax, ymax = max(xmax, ws), max(ymax, hs)
tx, ty = max(0, -xmin), max(0, -ymin)
out = cv2.warpPerspective(moving, np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]]) @ H, (xmax - xmin, ymax - ymin))
if tx + ws <= out.shape[1] and ty + hs <= out.shape[0]: out[ty:ty + hs, tx:tx + ws] = still
np.ascontiguousarray(out[:, :, ::-1]).tofile(args["out"])
print(json.dumps({"matches": len(good), "image": rgb_fingerprint(out)}))
`;

const rgbFingerprint = (p: RawPixels) => [p.data.reduce((s, v) => s + v, 0), createHash("sha256").update(p.data).digest("hex").slice(0, 16), p.width, p.height];

function rotated180(image: WorkflowImage, id: string): WorkflowImage {
  const { data, width, height } = image.pixels;
  const out = new Uint8Array(data.length);
  const n = width * height;
  for (let i = 0; i < n; i++) out.set(data.subarray(i * 3, i * 3 + 3), (n - 1 - i) * 3);
  return new WorkflowImage({ data: out, width, height, channels: 3 }, inputLineage(id));
}

interface PySift {
  keypoints: [number, number, number, number, number, number][];
  descriptors: number[][];
  flann: number;
  bf: number;
  count_b: number;
}

const skip = missing("SIFT against OpenCV", { photos: ["roboflow/dogs.jpg", "horses.jpg"] }) ?? missingOpenCvPython("SIFT against OpenCV");

describe.skipIf(skip)("SIFT against OpenCV's", () => {
  it("finds OpenCV's keypoints and descriptors on dogs.jpg, draws them as cv2.drawKeypoints; v1 gives Roboflow's 443 matches (± 1 %) against the rotated image", { timeout: 60_000 }, async () => {
    const dogs = await photo("roboflow/dogs.jpg", "dogs");
    const upsideDown = rotated180(dogs, "upside_down");
    const ref = runOpenCvPython(PY_SIFT, { a: pixelFile(dogs.pixels, "dogs.rgb"), b: pixelFile(upsideDown.pixels, "dogs-180.rgb") }) as PySift;
    // OpenCV 4.6 here: 488 and 495 keypoints, 443 good matches by both matchers (Roboflow's test says 443).
    expect([ref.keypoints.length, ref.count_b, ref.flann, ref.bf]).toEqual([488, 495, 443, 443]);

    const out = await runBlock(siftBlock, { image: dogs });
    const keypoints = out["keypoints"] as { pt: [number, number]; size: number; angle: number; response: number; octave: number; class_id: number }[];
    const descriptors = out["descriptors"] as number[][];
    expect(keypoints.length).toBe(ref.keypoints.length);
    expect(descriptors.every((row) => row.length === 128)).toBe(true);
    expect(keypoints[0]).toMatchObject({ class_id: -1 });
    // Keypoint for keypoint in OpenCV's order: position and size to 1e-3 px, angle to 0.01°, response to 1e-5, octave exact;
    // descriptors within 1. (Our pyramid is opencv-js 4.12's, the reference's python3-opencv 4.6's: the doubling is
    // identical, but their float GaussianBlurs differ by up to 6e-5 (of 255) at about 37 % of pixels. That moves the odd
    // keypoint by ~1e-5 px — enough, at x = 325.25, to round its descriptor window to another pixel; on coffee.png
    // ~8 % of keypoints move by up to 1e-2 px, the same points.)
    let same = 0;
    let identicalDescriptors = 0;
    let within1 = 0;
    ref.keypoints.forEach(([x, y, size, angle, response, octave], i) => {
      const k = keypoints[i]!;
      const close = Math.abs(k.pt[0] - x) < 1e-3 && Math.abs(k.pt[1] - y) < 1e-3 && Math.abs(k.size - size) < 1e-3 && Math.abs(k.angle - angle) < 0.01 && Math.abs(k.response - response) < 1e-5 && k.octave === octave;
      if (!close) return;
      same++;
      const diff = Math.max(...descriptors[i]!.map((v, j) => Math.abs(v - ref.descriptors[i]![j]!)));
      if (diff === 0) identicalDescriptors++;
      if (diff <= 1) within1++;
    });
    expect(same).toBeGreaterThanOrEqual(Math.ceil(0.99 * ref.keypoints.length));
    expect(within1).toBeGreaterThanOrEqual(Math.ceil(0.99 * same));
    expect(identicalDescriptors).toBeGreaterThanOrEqual(Math.ceil(0.95 * same));

    const rotatedOut = await runBlock(siftBlock, { image: upsideDown });
    const v1 = await runBlock(siftComparisonV1Block, { descriptor_1: descriptors, descriptor_2: rotatedOut["descriptors"] });
    // Roboflow's test: 443. Ours within 1 % of it (keypoints differ as above).
    expect(v1["images_match"]).toBe(true);
    expect(Math.abs((v1["good_matches_count"] as number) - 443)).toBeLessThanOrEqual(4);

    // The SIFT block's drawing is cv2.drawKeypoints' on the gray image, pixel for pixel.
    const drawnRef = runOpenCvPython(PY_DRAW_KEYPOINTS, { a: pixelFile(dogs.pixels, "dogs.rgb"), keypoints });
    expect(rgbFingerprint((out["image"] as WorkflowImage).pixels)).toEqual(drawnRef);
  });

  it("v2 on the images: 443 matches (± 1 %), keypoints, and the drawings cv2.drawMatchesKnn makes (BFMatcher's and FLANN's calls), pixel for pixel", { timeout: 60_000 }, async () => {
    const dogs = await photo("roboflow/dogs.jpg", "dogs");
    const upsideDown = rotated180(dogs, "upside_down");
    const out = await runBlock(siftComparisonV2Block, { input_1: dogs, input_2: upsideDown, matcher: "BFMatcher", visualize: true });
    expect(out["images_match"]).toBe(true);
    expect(Math.abs((out["good_matches_count"] as number) - 443)).toBeLessThanOrEqual(4);
    const k1 = out["keypoints_1"] as { pt: [number, number] }[];
    const k2 = out["keypoints_2"] as { pt: [number, number] }[];
    // OpenCV: 488 and 495 (above); within 1 %.
    expect(Math.abs(k1.length - 488)).toBeLessThanOrEqual(5);
    expect(Math.abs(k2.length - 495)).toBeLessThanOrEqual(5);
    const sizes = ["visualization_1", "visualization_2", "visualization_matches"].map((name) => [(out[name] as WorkflowImage).width, (out[name] as WorkflowImage).height]);
    expect(sizes).toEqual([[640, 427], [640, 427], [1280, 427]]);
    // The matches drawn are the good ones: the pairs a plain brute-force ratio test finds in the descriptors.
    const descriptors1 = out["descriptors_1"] as number[][];
    const descriptors2 = out["descriptors_2"] as number[][];
    const matches = goodPairs(descriptors1, descriptors2, 0.7);
    expect(matches.length).toBe(out["good_matches_count"]);
    const ref = runOpenCvPython(PY_DRAW_MATCHES, { a: pixelFile(dogs.pixels, "dogs.rgb"), b: pixelFile(upsideDown.pixels, "dogs-180.rgb"), keypoints_a: k1, keypoints_b: k2, matches });
    expect(rgbFingerprint((out["visualization_matches"] as WorkflowImage).pixels)).toEqual(ref);
    // FlannBasedMatcher's drawing (the default), on the same keypoints and matches.
    const asKeypoints = (records: KeypointRecord[]) => records.map(({ pt: [x, y], size, angle, response, octave }) => ({ x, y, size, angle, response, octave }));
    const flannDrawing = await drawMatches(dogs.pixels, asKeypoints(out["keypoints_1"] as KeypointRecord[]), upsideDown.pixels, asKeypoints(out["keypoints_2"] as KeypointRecord[]), matches.map(([queryIdx, trainIdx]) => ({ queryIdx, trainIdx, distance: 0 })), "single_points_and_green_matches");
    const flannRef = runOpenCvPython(PY_DRAW_MATCHES_FLANN, { a: pixelFile(dogs.pixels, "dogs.rgb"), b: pixelFile(upsideDown.pixels, "dogs-180.rgb"), keypoints_a: k1, keypoints_b: k2, matches });
    expect(rgbFingerprint(flannDrawing)).toEqual(flannRef);

    // Descriptors in: no keypoints, no drawings; a ratio of 0.5 keeps fewer.
    const fromDescriptors = await runBlock(siftComparisonV2Block, { input_1: descriptors1, input_2: descriptors2, ratio_threshold: 0.5, visualize: true });
    expect(fromDescriptors["good_matches_count"]).toBe(goodPairs(descriptors1, descriptors2, 0.5).length);
    expect(fromDescriptors["good_matches_count"]).toBeLessThan(out["good_matches_count"] as number);
    expect([fromDescriptors["keypoints_1"], fromDescriptors["visualization_1"], fromDescriptors["visualization_matches"]]).toEqual([null, null, null]);
    expect(fromDescriptors["descriptors_1"]).toBe(descriptors1);
  });

  it("stitches two overlapping crops of horses.jpg as OpenCV's steps do", { timeout: 60_000 }, async () => {
    const horses = await photo("horses.jpg", "horses");
    // 773 x 512: the left 400 columns and the right 523 (columns 250..772), 150 in common. (Roboflow's
    // warps the image whose keypoints' mean x is smaller: here the left one, which makes a panorama.)
    const left = horses.crop(0, 0, 400, 512, "left");
    const right = horses.crop(250, 0, 773, 512, "right");
    const refFile = join(dir, "stitched.rgb");
    const ref = runOpenCvPython(PY_STITCH, { a: pixelFile(left.pixels, "left.rgb"), b: pixelFile(right.pixels, "right.rgb"), out: refFile }) as { image: [number, string, number, number] };
    const out = await runBlock(stitchImagesBlock, { image1: left, image2: right });
    const stitched = out["stitched_image"] as WorkflowImage;
    expect(stitched.lineage.parentId).toBe("left + right");
    const [, , refWidth, refHeight] = ref.image;
    expect([stitched.width, stitched.height]).toEqual([refWidth, refHeight]);
    // The canvas is about the photo's size: the right crop placed ~250 px right of the left one.
    expect(Math.abs(stitched.width - 773)).toBeLessThanOrEqual(3);
    const theirs = new Uint8Array(await import("node:fs").then((fs) => fs.readFileSync(refFile)));
    let off = 0;
    stitched.pixels.data.forEach((v, i) => {
      if (Math.abs(v - theirs[i]!) > 2) off++;
    });
    // Same matches, same RANSAC seed: the same homography up to float noise — at most 0.5 % of values more than 2 apart.
    expect(off / theirs.length).toBeLessThan(0.005);
  });

  it("gives no stitched image for k = 1 (no second neighbour) and refuses k = 0", async () => {
    const horses = await photo("horses.jpg", "horses");
    const small = new WorkflowImage(horses.pixels, inputLineage("h"));
    expect(await runBlock(stitchImagesBlock, { image1: small, image2: small, count_of_best_matches_per_query_descriptor: 1 })).toEqual({ stitched_image: null });
    await expect(runBlock(stitchImagesBlock, { image1: small, image2: small, count_of_best_matches_per_query_descriptor: 0 })).rejects.toMatchObject({ code: "invalid_field" });
  });
});

describe("SIFT without photos", () => {
  it("finds nothing on a flat image: no descriptors (None), comparison 0 and no match", async () => {
    const flat = new WorkflowImage({ data: new Uint8Array(64 * 48 * 3).fill(128), width: 64, height: 48, channels: 3 }, inputLineage("flat"));
    const out = await runBlock(siftBlock, { image: flat });
    expect([out["keypoints"], out["descriptors"]]).toEqual([[], null]);
    expect(await runBlock(siftComparisonV1Block, { descriptor_1: null, descriptor_2: [[1], [2]] })).toEqual({ good_matches_count: 0, images_match: false });
    expect((await detectSift(flat.pixels)).descriptors.length).toBe(0);
  });

  it("refuses descriptors of different lengths", async () => {
    await expect(runBlock(siftComparisonV1Block, { descriptor_1: [[1, 2], [3, 4]], descriptor_2: [[1], [2]] })).rejects.toMatchObject({ code: "invalid_field" });
  });
});

/** The ratio-test pairs [query, train] by brute force, written out plainly (the reference for what the drawing shows). */
function goodPairs(a: number[][], b: number[][], ratio: number): [number, number][] {
  const pairs: [number, number][] = [];
  a.forEach((row, q) => {
    const distances = b.map((other, t) => [Math.fround(Math.sqrt(row.reduce((s, v, k) => s + (v - other[k]!) ** 2, 0))), t] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    if (distances[0]![0] < ratio * distances[1]![0]) pairs.push([q, distances[0]![1]]);
  });
  return pairs;
}
