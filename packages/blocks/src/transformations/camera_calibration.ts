/**
 * Camera Calibration: an image with its lens distortion removed, as Roboflow's block removes it.
 * The pinhole model (k1, k2, k3 radial, p1, p2 tangential): OpenCV's undistort with the new camera
 * matrix getOptimalNewCameraMatrix gives for alpha 1 (every source pixel kept, black where none
 * maps). opencv-js lacks getOptimalNewCameraMatrix and undistortPoints, so both are written here
 * after OpenCV's calibration code: a 9 x 9 grid over the image undistorted by OpenCV's fixed-point
 * iteration (5 steps), the outer rectangle of the results mapped onto the image. The fisheye
 * model: Roboflow's single-parameter division model, each output pixel sampled (bilinear, remap)
 * at p·(1 - √(1 - 4·k1·r²)) / (2·k1·r²) in normalised coordinates.
 */
import { defineBlock, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { toPixels, withMats } from "../classical_cv/opencv.js";

interface CameraCalibrationParams {
  [key: string]: unknown;
  image: WorkflowImage;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  k1: number;
  k2: number;
  k3: number;
  p1: number;
  p2: number;
  use_fisheye_model: boolean;
}

interface Lens {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  k1: number;
  k2: number;
  k3: number;
  p1: number;
  p2: number;
}

const GRID = 9;
const UNDISTORT_ITERATIONS = 5;

/** OpenCV's undistortPoints without R and P: pixel (u, v) to normalised, undistorted (x, y). */
function undistortPoint(u: number, v: number, lens: Lens): [number, number] {
  const x0 = (u - lens.cx) / lens.fx;
  const y0 = (v - lens.cy) / lens.fy;
  let [x, y] = [x0, y0];
  for (let j = 0; j < UNDISTORT_ITERATIONS; j++) {
    const r2 = x * x + y * y;
    const inverse = 1 / (1 + ((lens.k3 * r2 + lens.k2) * r2 + lens.k1) * r2);
    // OpenCV stops where the model folds back (a negative inverse distortion) and keeps the distorted point.
    if (inverse < 0) return [x0, y0];
    const dx = 2 * lens.p1 * x * y + lens.p2 * (r2 + 2 * x * x);
    const dy = lens.p1 * (r2 + 2 * y * y) + 2 * lens.p2 * x * y;
    [x, y] = [(x0 - dx) * inverse, (y0 - dy) * inverse];
  }
  return [x, y];
}

/** getOptimalNewCameraMatrix(K, D, (w, h), alpha = 1, (w, h)): the undistorted grid's outer rectangle onto the image. */
export function optimalNewCameraMatrix(lens: Lens, width: number, height: number): number[] {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let j = 0; j < GRID; j++) {
    for (let i = 0; i < GRID; i++) {
      // OpenCV keeps the grid and its undistorted points in float32.
      const [x, y] = undistortPoint(Math.fround((i * width) / (GRID - 1)), Math.fround((j * height) / (GRID - 1)), lens).map(Math.fround) as [number, number];
      [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
    }
  }
  const [w, h] = [Math.fround(x1 - x0), Math.fround(y1 - y0)];
  const fx = (width - 1) / w;
  const fy = (height - 1) / h;
  return [fx, 0, -fx * x0, 0, fy, -fy * y0, 0, 0, 1];
}

async function undistortPinhole(image: WorkflowImage, lens: Lens): Promise<WorkflowImage> {
  const { width, height } = image;
  const pixels = await withMats((cv, scope) => {
    const camera = scope.track(cv.matFromArray(3, 3, cv.CV_32F, [lens.fx, 0, lens.cx, 0, lens.fy, lens.cy, 0, 0, 1]));
    const coefficients = scope.track(cv.matFromArray(1, 5, cv.CV_32F, [lens.k1, lens.k2, lens.p1, lens.p2, lens.k3]));
    const newCamera = scope.track(cv.matFromArray(3, 3, cv.CV_64F, optimalNewCameraMatrix(lens, width, height)));
    const out = scope.mat();
    cv.undistort(scope.fromPixels(image.pixels), out, camera, coefficients, newCamera);
    return toPixels(out);
  });
  return image.withPixels(pixels);
}

async function undistortFisheye(image: WorkflowImage, lens: Lens): Promise<WorkflowImage> {
  const { width, height } = image;
  const mapX = new Float32Array(width * height);
  const mapY = new Float32Array(width * height);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      // float32 grid and normalised coordinates, as Roboflow's numpy arrays.
      const x = Math.fround((u - lens.cx) / lens.fx);
      const y = Math.fround((v - lens.cy) / lens.fy);
      const r2 = Math.fround(x * x + y * y);
      let scale = 1;
      if (Math.abs(lens.k1) >= 1e-8 && Math.abs(r2) >= 1e-8) scale = (1 - Math.sqrt(Math.max(0, 1 - 4 * lens.k1 * r2))) / (2 * lens.k1 * r2);
      mapX[v * width + u] = x * scale * lens.fx + lens.cx;
      mapY[v * width + u] = y * scale * lens.fy + lens.cy;
    }
  }
  const pixels = await withMats((cv, scope) => {
    const mx = scope.track(new cv.Mat(height, width, cv.CV_32F));
    const my = scope.track(new cv.Mat(height, width, cv.CV_32F));
    mx.data32F.set(mapX);
    my.data32F.set(mapY);
    const out = scope.mat();
    cv.remap(scope.fromPixels(image.pixels), out, mx, my, cv.INTER_LINEAR);
    return toPixels(out);
  });
  return image.withPixels(pixels);
}

const coefficient = (description: string): FieldSpec => ({ description, kinds: ["float"], schema: { type: "number" }, required: true });

export const cameraCalibrationBlock = defineBlock<CameraCalibrationParams>({
  manifest: {
    type: "roboflow_core/camera-calibration@v1",
    name: "Camera Calibration",
    description: "Remove camera lens distortions from an image using a calibration table.",
    family: "transformations",
    fields: {
      image: { description: "The image to undistort.", kinds: ["image"], aliases: ["images"], required: true },
      fx: coefficient("Focal length along x, pixels."),
      fy: coefficient("Focal length along y, pixels."),
      cx: coefficient("Principal point x, pixels."),
      cy: coefficient("Principal point y, pixels."),
      k1: coefficient("First radial distortion coefficient (the fisheye model's only one)."),
      k2: coefficient("Second radial distortion coefficient."),
      k3: coefficient("Third radial distortion coefficient."),
      p1: coefficient("First tangential distortion coefficient."),
      p2: coefficient("Second tangential distortion coefficient."),
      use_fisheye_model: {
        description: "Use the single-parameter division model (k1) for fisheye lenses instead of the pinhole model.",
        kinds: ["boolean"],
        schema: { type: "boolean" },
        default: false,
      },
    },
    outputs: [{ name: "calibrated_image", kinds: ["image"] }],
  },
  async run({ image, use_fisheye_model, ...lens }) {
    return { calibrated_image: await (use_fisheye_model ? undistortFisheye(image, lens) : undistortPinhole(image, lens)) };
  },
});
