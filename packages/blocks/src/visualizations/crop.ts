/**
 * Crop Visualization: each detection's box cut from the image, scaled by scale_factor (bilinear),
 * pasted back against its anchor point and framed in its palette colour (supervision's
 * CropAnnotator). Every crop is cut from the image as it was before any was pasted.
 */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { RawPixels, WorkflowImage } from "@cvflow/vision";
import { anchorPoint, POSITIONS } from "./draw/anchors.js";
import { pixelBox, sliceBounds } from "./draw/boxes.js";
import { paintFor, painter } from "./draw/canvas.js";
import { resizeLinear } from "./draw/resize-linear.js";
import { rectangle } from "./draw/shapes.js";
import { invalidField } from "../errors.js";
import {
  annotated,
  colorableFields,
  copyImageField,
  detectionColors,
  drawingSurface,
  IMAGE_OUTPUTS,
  imageField,
  predictionsField,
  type ColorableParams,
} from "./common/visualization-fields.js";

interface CropParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  position: string;
  scale_factor: number;
  border_thickness: number;
}

export const cropVisualizationBlock = defineBlock<CropParams>({
  manifest: {
    type: "roboflow_core/crop_visualization@v1",
    aliases: ["CropVisualization"],
    name: "Crop Visualization",
    description: "Draw scaled up crops of detections on the scene.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS),
      ...colorableFields,
      position: {
        description: "Anchor point on each detection that the scaled crop is placed against.",
        kinds: ["string"],
        schema: { enum: POSITIONS },
        default: "TOP_CENTER",
      },
      scale_factor: {
        description: "Factor by which each crop is scaled (2.0 doubles its size).",
        kinds: ["float"],
        schema: { type: "number", exclusiveMinimum: 0 },
        default: 2.0,
      },
      border_thickness: {
        description: "Thickness of the frame around each scaled crop in pixels.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 2,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { image, predictions, scale_factor: scale } = params;
    if (!(scale > 0)) throw invalidField(`scale_factor must be positive, got ${scale}`);
    const source = image.pixels;
    const crops = Array.from({ length: predictions.length }, (_, i) => scaledCrop(source, pixelBox(predictions, i), scale));
    const pixels = drawingSurface(image, params.copy_image);
    const colors = detectionColors(predictions, params);
    crops.forEach((crop, i) => {
      // An empty crop (a box with no pixels inside the image) is one cv2.resize refuses: nothing is drawn for it.
      if (!crop) return;
      const [ax, ay] = anchorPoint(predictions, i, params.position);
      const [x1, y1, x2, y2] = placement(Math.trunc(ax), Math.trunc(ay), crop.width, crop.height, params.position);
      paste(pixels, crop, x1, y1);
      rectangle(painter(pixels, paintFor(pixels, colors[i]!)), x1, y1, x2, y2, params.border_thickness);
    });
    return annotated(image, pixels);
  },
});

/** The box's pixels (numpy's slice of the int corners) resized to int(size * scale), or null when either size is 0. */
function scaledCrop(source: RawPixels, [x1, y1, x2, y2]: readonly number[], scale: number): RawPixels | null {
  const [left, right] = sliceBounds(x1!, x2!, source.width);
  const [top, bottom] = sliceBounds(y1!, y2!, source.height);
  const [w, h] = [right - left, bottom - top];
  const [scaledW, scaledH] = [Math.trunc(w * scale), Math.trunc(h * scale)];
  if (w <= 0 || h <= 0 || scaledW <= 0 || scaledH <= 0) return null;
  const cn = source.channels;
  const data = new Uint8Array(w * h * cn);
  for (let y = 0; y < h; y++) data.set(source.data.subarray(((top + y) * source.width + left) * cn, ((top + y) * source.width + right) * cn), y * w * cn);
  return resizeLinear({ width: w, height: h, channels: cn, data }, scaledW, scaledH);
}

/** supervision's CropAnnotator.calculate_crop_coordinates: the crop's corners against the anchor (floor halves). */
function placement(x: number, y: number, w: number, h: number, position: string): [number, number, number, number] {
  const hw = Math.floor(w / 2);
  const hh = Math.floor(h / 2);
  switch (position) {
    case "TOP_LEFT":
      return [x - w, y - h, x, y];
    case "TOP_CENTER":
      return [x - hw, y - h, x + hw, y];
    case "TOP_RIGHT":
      return [x, y - h, x + w, y];
    case "CENTER_LEFT":
      return [x - w, y - hh, x, y + hh];
    case "CENTER_RIGHT":
      return [x, y - hh, x + w, y + hh];
    case "BOTTOM_LEFT":
      return [x - w, y, x, y + h];
    case "BOTTOM_CENTER":
      return [x - hw, y, x + hw, y + h];
    case "BOTTOM_RIGHT":
      return [x, y, x + w, y + h];
    default: // CENTER, CENTER_OF_MASS (anchorPoint has refused anything else)
      return [x - hw, y - hh, x + hw, y + hh];
  }
}

/** sv.overlay_image: the crop's top-left at (x, y), clipped to the image. */
function paste(canvas: RawPixels, crop: RawPixels, x: number, y: number): void {
  const cn = canvas.channels;
  const from = Math.max(0, -x);
  const to = Math.min(crop.width, canvas.width - x);
  if (from >= to) return;
  for (let r = Math.max(0, -y); r < crop.height && y + r < canvas.height; r++) {
    const row = crop.data.subarray((r * crop.width + from) * cn, (r * crop.width + to) * cn);
    canvas.data.set(row, ((y + r) * canvas.width + x + from) * cn);
  }
}
