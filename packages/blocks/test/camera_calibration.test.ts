/**
 * camera_calibration on a real photo (dog.jpg), against OpenCV's Python binding run on the same
 * pixels: the new camera matrix getOptimalNewCameraMatrix gives (alpha 1), the undistorted image
 * cv2.undistort gives with it, and Roboflow's fisheye division model through cv2.remap.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { cameraCalibrationBlock, optimalNewCameraMatrix } from "../src/transformations/camera_calibration.js";
import { runBlock } from "./detections-fixture.js";
import { photo } from "./image-fixtures.js";
import { missingOpenCvPython, runOpenCvPython } from "./opencv-python.js";

const REFERENCE = String.raw`
import sys, json, base64
import numpy as np, cv2
inp = json.load(sys.stdin)
h, w = inp["height"], inp["width"]
img = np.frombuffer(base64.b64decode(inp["pixels"]), np.uint8).reshape(h, w, 3)
L = inp["lens"]
K = np.array([[L["fx"], 0, L["cx"]], [0, L["fy"], L["cy"]], [0, 0, 1]], dtype=np.float32)
D = np.array([L["k1"], L["k2"], L["p1"], L["p2"], L["k3"]], dtype=np.float32)
newK, _ = cv2.getOptimalNewCameraMatrix(cameraMatrix=K, distCoeffs=D, imageSize=(w, h), alpha=1, newImgSize=(w, h))
pinhole = cv2.undistort(src=img, cameraMatrix=K, distCoeffs=D, dst=None, newCameraMatrix=newK)
gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
x = (gx - L["cx"]) / L["fx"]; y = (gy - L["cy"]) / L["fy"]; r2 = x**2 + y**2
k1 = L["k1"]; disc = 1 - 4 * k1 * r2; disc[disc < 0] = 0
scale = (1 - np.sqrt(disc)) / (2 * k1 * r2); scale[np.abs(r2) < 1e-8] = 1.0
fisheye = cv2.remap(img, (x * scale * L["fx"] + L["cx"]).astype(np.float32), (y * scale * L["fy"] + L["cy"]).astype(np.float32), cv2.INTER_LINEAR)
print(json.dumps({"newK": newK.tolist(), "pinhole": base64.b64encode(pinhole.tobytes()).decode(), "fisheye": base64.b64encode(fisheye.tobytes()).decode()}))
`;

// A wide lens on dog.jpg (768 x 576): strong barrel distortion, some tangential.
const LENS = { fx: 500, fy: 505, cx: 390, cy: 280, k1: -0.3, k2: 0.09, k3: -0.01, p1: 0.001, p2: -0.0005 };

/** Channel values differing by more than 1, and the largest difference. */
function compare(a: Uint8Array, b: Uint8Array): { off: number; worst: number } {
  let off = 0;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > 1) off++;
    worst = Math.max(worst, d);
  }
  return { off, worst };
}

describe.skipIf(missing("camera_calibration on dog.jpg", { photos: ["dog.jpg"] }) ?? missingOpenCvPython("camera_calibration on dog.jpg"))("camera_calibration against OpenCV", () => {
  let image: WorkflowImage;
  let reference: { newK: number[][]; pinhole: string; fisheye: string };

  beforeAll(async () => {
    image = await photo("dog.jpg");
    const { data, width, height } = image.pixels;
    reference = runOpenCvPython(REFERENCE, { pixels: Buffer.from(data).toString("base64"), width, height, lens: LENS }) as typeof reference;
  });

  it("computes the new camera matrix getOptimalNewCameraMatrix gives for alpha 1", () => {
    const ours = optimalNewCameraMatrix(LENS, image.width, image.height);
    reference.newK.flat().forEach((v, i) => expect(ours[i]).toBeCloseTo(v, 3));
  });

  it("undistorts as cv2.undistort does with it", async () => {
    const out = (await runBlock(cameraCalibrationBlock, { image, ...LENS }))["calibrated_image"] as WorkflowImage;
    expect([out.width, out.height]).toEqual([768, 576]);
    expect(out.lineage).toBe(image.lineage);
    const expected = Buffer.from(reference.pinhole, "base64");
    const { off, worst } = compare(out.pixels.data, expected);
    // Rounding of the matrices (float32 here and there) moves a few samples by a fraction of a pixel.
    expect(off / expected.length).toBeLessThan(0.005);
    expect(worst).toBeLessThan(64);
    // And the correction moved most of the picture.
    expect(compare(out.pixels.data, image.pixels.data).off / expected.length).toBeGreaterThan(0.5);
  });

  it("undistorts with the fisheye division model as Roboflow's remap does", async () => {
    const out = (await runBlock(cameraCalibrationBlock, { image, ...LENS, use_fisheye_model: true }))["calibrated_image"] as WorkflowImage;
    const expected = Buffer.from(reference.fisheye, "base64");
    const { off, worst } = compare(out.pixels.data, expected);
    expect(off / expected.length).toBeLessThan(0.005);
    expect(worst).toBeLessThan(64);
  });
});
