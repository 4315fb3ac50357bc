/** Blur Visualization: each detection's box region blurred with a normalized box filter (cv2.blur). */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { clippedBox } from "./draw/boxes.js";
import type { Canvas } from "./draw/canvas.js";
import { annotated, copyImageField, drawingSurface, IMAGE_OUTPUTS, imageField, predictionsField } from "./common/visualization-fields.js";

interface BlurParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  kernel_size: number;
}

export const blurVisualizationBlock = defineBlock<BlurParams>({
  manifest: {
    type: "roboflow_core/blur_visualization@v1",
    aliases: ["BlurVisualization"],
    name: "Blur Visualization",
    description: "Blur detected objects in an image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS),
      kernel_size: {
        description: "Size of the average pooling kernel used for blurring, in pixels.",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
        default: 15,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run({ image, predictions, copy_image, kernel_size }) {
    const pixels = drawingSurface(image, copy_image);
    for (let i = 0; i < predictions.length; i++) {
      const [x1, y1, x2, y2] = clippedBox(predictions, i, pixels.width, pixels.height);
      if (x2 > x1 && y2 > y1) boxBlur(pixels, x1, y1, x2 - x1, y2 - y1, Math.max(1, Math.trunc(kernel_size)));
    }
    return annotated(image, pixels);
  },
});

/**
 * cv2.blur over the region alone: each pixel becomes the mean of the k x k window around it
 * (anchored at its centre, k // 2 before), the region's edges mirrored without repeating the
 * edge pixel (BORDER_REFLECT_101). Separable, with running sums: along each row into `rowSums`,
 * then down the rows, a row at a time (sequential memory either way).
 */
function boxBlur(canvas: Canvas, left: number, top: number, width: number, height: number, k: number): void {
  const { channels, data } = canvas;
  const stride = canvas.width * channels;
  const rowLength = width * channels;
  const before = Math.floor(k / 2);
  // Where the window sliding to position i takes its new element and drops its oldest, mirrored.
  const entering = (n: number) => Int32Array.from({ length: n }, (_, i) => reflect101(i + k - before - 1, n));
  const leaving = (n: number) => Int32Array.from({ length: n }, (_, i) => reflect101(i - before - 1, n));
  const enterX = entering(width);
  const leaveX = leaving(width);
  const enterY = entering(height);
  const leaveY = leaving(height);
  const rowSums = new Int32Array(rowLength * height);
  for (let y = 0; y < height; y++) {
    const src = (top + y) * stride + left * channels;
    const out = y * rowLength;
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let j = -before; j < k - before; j++) sum += data[src + reflect101(j, width) * channels + c]!;
      rowSums[out + c] = sum;
      for (let x = 1; x < width; x++) {
        sum += data[src + enterX[x]! * channels + c]! - data[src + leaveX[x]! * channels + c]!;
        rowSums[out + x * channels + c] = sum;
      }
    }
  }
  const area = k * k;
  const columnSums = new Int32Array(rowLength);
  for (let j = -before; j < k - before; j++) {
    const from = reflect101(j, height) * rowLength;
    for (let i = 0; i < rowLength; i++) columnSums[i] = columnSums[i]! + rowSums[from + i]!;
  }
  for (let y = 0; y < height; y++) {
    if (y > 0) {
      const enter = enterY[y]! * rowLength;
      const leave = leaveY[y]! * rowLength;
      for (let i = 0; i < rowLength; i++) columnSums[i] = columnSums[i]! + rowSums[enter + i]! - rowSums[leave + i]!;
    }
    const dst = (top + y) * stride + left * channels;
    for (let i = 0; i < rowLength; i++) data[dst + i] = Math.round(columnSums[i]! / area);
  }
}

/** The index BORDER_REFLECT_101 reads for position i of a row of n: ... 2 1 | 0 1 2 ... n-1 | n-2 ... */
function reflect101(i: number, n: number): number {
  if (n === 1) return 0;
  let j = i;
  while (j < 0 || j >= n) j = j < 0 ? -j : 2 * n - 2 - j;
  return j;
}
