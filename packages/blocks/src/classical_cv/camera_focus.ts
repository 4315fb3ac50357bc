/**
 * Camera Focus. v1: Brenner's focus measure. On the grayscale image, each pixel's measure is the
 * square of the larger of its rightward and downward differences two pixels away (negative
 * differences count as 0; the last two columns and rows have none); `focus_measure` is their mean,
 * and the image is the measure scaled to 0..255 (truncated) with "Focus value: <mean>" written on
 * it in OpenCV's Hershey simplex font, as the reference implementation draws it.
 *
 * v2: the Tenengrad measure — per pixel gx² + gy² of OpenCV's 3x3 Sobel gradients (float32) —
 * with its mean over the image and over each detection's box (cut to the image; null for a box
 * with nothing inside), both float32 means as numpy takes them. The image is the input with the
 * overlays asked for (camera-focus-overlays.ts), RGB even for a gray input; the input itself when
 * none is.
 */
import { defineBlock, type Detections } from "@cvflow/engine";
import type { RawPixels, WorkflowImage } from "@cvflow/vision";
import { regionMean32 } from "../common/numpy-float32.js";
import { fixedDigits } from "../common/python-numbers.js";
import { centerMarker, compositionGrid, focusPeaking, focusReadout, zebraWarnings } from "./camera-focus-overlays.js";
import { toPixels, withMats, type CV, type Mat } from "./opencv.js";

interface CameraFocusParams {
  [key: string]: unknown;
  image: WorkflowImage;
}

export const cameraFocusBlock = defineBlock<CameraFocusParams>({
  manifest: {
    type: "roboflow_core/camera_focus@v1",
    name: "Camera Focus",
    description: "Calculate a score to indicate how well-focused a camera is (Brenner's measure); the image shows where it is sharp.",
    family: "classical_cv",
    fields: {
      image: { description: "The image to measure.", kinds: ["image"], aliases: ["images"], required: true },
    },
    outputs: [
      { name: "image", kinds: ["image"] },
      { name: "focus_measure", kinds: ["float"] },
    ],
  },
  async run({ image }) {
    const drawn = await withMats((cv, scope) => {
      const { measure, mean } = brenner(toPixels(scope.gray(image.pixels)));
      const mat = scope.fromPixels(measure);
      // Python's f"{mean:.2f}" (ties to even).
      cv.putText(mat, `Focus value: ${fixedDigits(mean, 2)}`, new cv.Point(10, 30), cv.FONT_HERSHEY_SIMPLEX, 1, new cv.Scalar(255, 255, 255), 2);
      return { pixels: toPixels(mat), mean };
    });
    return { image: image.withPixels(drawn.pixels), focus_measure: drawn.mean };
  },
});

/** The per-pixel measure as an 8-bit image (scaled by its maximum) and its mean. */
export function brenner(gray: RawPixels): { measure: RawPixels; mean: number } {
  const { data, width, height } = gray;
  const squares = new Float64Array(width * height);
  let sum = 0;
  let max = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const across = x < width - 2 ? Math.max(0, data[i + 2]! - data[i]!) : 0;
      const down = y < height - 2 ? Math.max(0, data[i + 2 * width]! - data[i]!) : 0;
      const square = Math.max(across, down) ** 2;
      squares[i] = square;
      sum += square;
      if (square > max) max = square;
    }
  }
  const out = new Uint8Array(width * height);
  if (max > 0) for (let i = 0; i < out.length; i++) out[i] = Math.floor((squares[i]! / max) * 255);
  return { measure: { data: out, width, height, channels: 1 }, mean: sum / (width * height) };
}

const GRID_OVERLAYS = { None: 0, "2x2": 2, "3x3": 3, "4x4": 4, "5x5": 5 } as const;

interface CameraFocusV2Params {
  [key: string]: unknown;
  image: WorkflowImage;
  underexposed_threshold_percent: number;
  overexposed_threshold_percent: number;
  show_zebra_warnings: boolean;
  grid_overlay: keyof typeof GRID_OVERLAYS;
  show_hud: boolean;
  show_focus_peaking: boolean;
  show_center_marker: boolean;
  detections: Detections | null;
}

// The settings are literals only (no selectors), as Roboflow declares them.
const flag = (description: string) => ({ description, schema: { type: "boolean" }, default: true }) as const;
const percent = (description: string, value: number) => ({ description, schema: { type: "number", minimum: 0, maximum: 100 }, default: value }) as const;

export const cameraFocusV2Block = defineBlock<CameraFocusV2Params>({
  manifest: {
    type: "roboflow_core/camera_focus@v2",
    name: "Camera Focus",
    description:
      "Calculate a score to indicate how well-focused a camera is (Tenengrad: mean squared Sobel gradient), over the image and in each detection's box, with optional overlays: exposure zebra stripes, focus peaking, composition grid, centre marker and a readout panel.",
    family: "classical_cv",
    fields: {
      image: { description: "The image to measure (a gray one is drawn on as RGB).", kinds: ["image"], aliases: ["images"], required: true },
      underexposed_threshold_percent: percent("Brightness (percent of 255, truncated to a gray level) below which the zebra stripes show blue.", 3.0),
      overexposed_threshold_percent: percent("Brightness (percent of 255, truncated to a gray level) above which the zebra stripes show red.", 97.0),
      show_zebra_warnings: flag("Diagonal stripes, blended half, on under- (blue) and over-exposed (red) pixels."),
      grid_overlay: { description: "Composition grid of gray lines.", schema: { enum: Object.keys(GRID_OVERLAYS) }, default: "3x3" },
      show_hud: flag("A panel at the top left with the focus value and the brightness histograms (each channel and gray)."),
      show_focus_peaking: flag("Green (60 %) on pixels whose measure is above 30 % of the image's largest."),
      show_center_marker: flag("A white cross at the centre."),
      detections: {
        description: "Optional detections: the mean measure inside each box is given in bbox_focus_measures (null for a box outside the image).",
        kinds: ["object_detection_prediction", "instance_segmentation_prediction"],
        default: null,
      },
    },
    outputs: [
      { name: "image", kinds: ["image"] },
      { name: "focus_measure", kinds: ["float"] },
      { name: "bbox_focus_measures", kinds: ["list_of_values"] },
    ],
  },
  async run(params) {
    const { image, detections } = params;
    const divisions = GRID_OVERLAYS[params.grid_overlay];
    const overlays = params.show_zebra_warnings || params.show_hud || params.show_focus_peaking || params.show_center_marker || divisions > 0;
    const result = await withMats((cv, scope) => {
      const grayMat = scope.gray(image.pixels);
      // A copy: a Mat's data is a view of the wasm heap, which later Mats may move.
      const gray = grayMat.data.slice();
      const measure = tenengrad(cv, grayMat, scope.mat(), scope.mat());
      const focus = regionMean32(measure, image.width, 0, 0, image.width, image.height);
      const boxes = detections ? Array.from({ length: detections.length }, (_, i) => boxMean(measure, image.width, image.height, detections.box(i))) : [];
      if (!overlays) return { pixels: null, focus, boxes };
      const rgb: RawPixels = image.channels === 3 ? { ...image.pixels, data: image.pixels.data.slice() } : toRgb(image.pixels);
      if (params.show_zebra_warnings) {
        // int(percent * 255 / 100), as the reference makes gray levels of the percentages.
        const level = (p: number): number => Math.trunc((p * 255) / 100);
        zebraWarnings(rgb, gray, level(params.underexposed_threshold_percent), level(params.overexposed_threshold_percent));
      }
      if (params.show_focus_peaking) focusPeaking(rgb, measure);
      const mat = scope.fromPixels(rgb);
      if (params.show_center_marker) centerMarker(cv, mat);
      if (divisions > 0) compositionGrid(cv, mat, divisions);
      if (params.show_hud) focusReadout(cv, scope, mat, focus, gray, image.pixels);
      return { pixels: toPixels(mat), focus, boxes };
    });
    return {
      image: result.pixels ? image.withPixels(result.pixels) : image,
      focus_measure: result.focus,
      bbox_focus_measures: result.boxes,
    };
  },
});

/** gx² + gy² in float32 of the 3x3 Sobel gradients (OpenCV's default reflected border). */
function tenengrad(cv: CV, gray: Mat, gx: Mat, gy: Mat): Float32Array {
  cv.Sobel(gray, gx, cv.CV_32F, 1, 0, 3);
  cv.Sobel(gray, gy, cv.CV_32F, 0, 1, 3);
  const x = gx.data32F;
  const y = gy.data32F;
  const out = new Float32Array(x.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.fround(x[i]! * x[i]!) + Math.fround(y[i]! * y[i]!);
  return out;
}

/** The mean measure in a box, its corners truncated (int()) and cut to the image; null when nothing is left. */
function boxMean(measure: Float32Array, width: number, height: number, [bx1, by1, bx2, by2]: readonly [number, number, number, number]): number | null {
  const x1 = Math.max(0, Math.trunc(bx1));
  const y1 = Math.max(0, Math.trunc(by1));
  const x2 = Math.min(width, Math.trunc(bx2));
  const y2 = Math.min(height, Math.trunc(by2));
  return x2 > x1 && y2 > y1 ? regionMean32(measure, width, x1, y1, x2, y2) : null;
}

/** A one-channel image as RGB (each channel the gray value). */
function toRgb({ data, width, height }: RawPixels): RawPixels {
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) out.fill(data[i]!, i * 3, i * 3 + 3);
  return { data: out, width, height, channels: 3 };
}
