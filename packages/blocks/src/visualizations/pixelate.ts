/** Pixelate Visualization: each detection's box region shrunk by pixel_size and blown back up in blocks. */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { roundHalfEven } from "../common/python-numbers.js";
import { clippedBox } from "./draw/boxes.js";
import type { Canvas } from "./draw/canvas.js";
import { annotated, copyImageField, drawingSurface, IMAGE_OUTPUTS, imageField, predictionsField } from "./common/visualization-fields.js";

interface PixelateParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  pixel_size: number;
}

export const pixelateVisualizationBlock = defineBlock<PixelateParams>({
  manifest: {
    type: "roboflow_core/pixelate_visualization@v1",
    aliases: ["PixelateVisualization"],
    name: "Pixelate Visualization",
    description: "Pixelate detected objects in an image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS),
      pixel_size: {
        description: "Size of the pixelation blocks, in pixels.",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
        default: 20,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run({ image, predictions, copy_image, pixel_size }) {
    const pixels = drawingSurface(image, copy_image);
    for (let i = 0; i < predictions.length; i++) {
      const [x1, y1, x2, y2] = clippedBox(predictions, i, pixels.width, pixels.height);
      if (x2 > x1 && y2 > y1) pixelate(pixels, x1, y1, x2 - x1, y2 - y1, Math.max(1, pixel_size));
    }
    return annotated(image, pixels);
  },
});

/**
 * supervision's two cv2.resize calls: the region scaled by 1 / size with bilinear sampling
 * (at least one pixel each way, where cv2 would fail on a region smaller than half a block),
 * then back to its size with nearest-neighbour, so each small pixel becomes one uniform block.
 */
function pixelate(canvas: Canvas, left: number, top: number, width: number, height: number, size: number): void {
  const { channels, data } = canvas;
  const smallW = Math.max(1, roundHalfEven(width / size, 0));
  const smallH = Math.max(1, roundHalfEven(height / size, 0));
  const small = new Uint8Array(smallW * smallH * channels);
  const at = (x: number, y: number, c: number): number => data[((top + y) * canvas.width + left + x) * channels + c]!;
  for (let sy = 0; sy < smallH; sy++) {
    const [y0, fy] = sourceCoordinate(sy, size, height);
    const y1 = Math.min(y0 + 1, height - 1);
    for (let sx = 0; sx < smallW; sx++) {
      const [x0, fx] = sourceCoordinate(sx, size, width);
      const x1 = Math.min(x0 + 1, width - 1);
      for (let c = 0; c < channels; c++) {
        const upper = at(x0, y0, c) * (1 - fx) + at(x1, y0, c) * fx;
        const lower = at(x0, y1, c) * (1 - fx) + at(x1, y1, c) * fx;
        small[(sy * smallW + sx) * channels + c] = Math.round(upper * (1 - fy) + lower * fy);
      }
    }
  }
  const smallX = Int32Array.from({ length: width }, (_, x) => Math.min(Math.floor((x * smallW) / width), smallW - 1) * channels);
  for (let y = 0; y < height; y++) {
    const row = Math.min(Math.floor((y * smallH) / height), smallH - 1) * smallW * channels;
    let dst = ((top + y) * canvas.width + left) * channels;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) data[dst + c] = small[row + smallX[x]! + c]!;
      dst += channels;
    }
  }
}

/** cv2's INTER_LINEAR source position for output pixel i at scale `size`: whole part and weight, clamped to the edges. */
function sourceCoordinate(i: number, size: number, extent: number): [number, number] {
  const s = (i + 0.5) * size - 0.5;
  const whole = Math.floor(s);
  if (whole < 0) return [0, 0];
  if (whole >= extent - 1) return [extent - 1, 0];
  return [whole, s - whole];
}
