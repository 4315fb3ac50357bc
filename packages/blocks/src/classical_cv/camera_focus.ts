/**
 * Camera Focus (v1): Brenner's focus measure. On the grayscale image, each pixel's measure is the
 * square of the larger of its rightward and downward differences two pixels away (negative
 * differences count as 0; the last two columns and rows have none); `focus_measure` is their mean,
 * and the image is the measure scaled to 0..255 (truncated) with "Focus value: <mean>" written on
 * it in OpenCV's Hershey simplex font, as the reference implementation draws it.
 */
import { defineBlock } from "@cvflow/engine";
import type { RawPixels, WorkflowImage } from "@cvflow/vision";
import { fixedDigits } from "../common/python-numbers.js";
import { toPixels, withMats } from "./opencv.js";

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
