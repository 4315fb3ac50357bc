/**
 * Halo Visualization: a soft glow in each detection's palette colour around (not over) its mask.
 * The masks are painted in their colours (the largest first, the smallest on top), box-blurred,
 * cleared where any mask is, and the result blended over the image with an opacity that follows
 * the glow's brightness (supervision's HaloAnnotator).
 *
 * v1 (Roboflow's own annotator) glows around the boxes of detections without masks and always
 * blurs with a 40-pixel kernel: Roboflow's v1 declares kernel_size but never passes it on. v2
 * (supervision's annotator) honours kernel_size and draws nothing for detections without masks.
 */
import { defineBlock, type Detections, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { boxBlur } from "./draw/box-blur.js";
import { fillSpan, paintFor } from "./draw/canvas.js";
import { coveredSpans, hasMasks, spanFiller } from "./draw/coverage.js";
import { detectionRegion, regionArea } from "./draw/region.js";
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

interface HaloParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  opacity: number;
  kernel_size: number;
}

/** The kernel Roboflow's v1 always blurs with. */
const V1_KERNEL = 40;

const haloFields: Record<string, FieldSpec> = {
  image: imageField,
  copy_image: copyImageField,
  predictions: predictionsField(["instance_segmentation_prediction"], "Instance segmentation predictions whose masks get a halo."),
  ...colorableFields,
  opacity: {
    description: "Opacity of the halo, from 0 (invisible) to 1.",
    kinds: ["float_zero_to_one"],
    schema: { type: "number", minimum: 0, maximum: 1 },
    default: 0.8,
  },
};

export const haloVisualizationBlock = defineBlock<HaloParams>({
  manifest: {
    type: "roboflow_core/halo_visualization@v1",
    aliases: ["HaloVisualization"],
    name: "Halo Visualization",
    description: "Paint a halo around detected objects in an image (boxes stand in for missing masks; the blur is always 40 pixels, as Roboflow's v1).",
    family: "visualizations",
    fields: {
      ...haloFields,
      kernel_size: {
        description: "Accepted for compatibility and not used: Roboflow's v1 always blurs with a 40-pixel kernel (v2 honours it).",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 40,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run: (params) => drawHalo(params, V1_KERNEL, true),
});

export const haloVisualizationV2Block = defineBlock<HaloParams>({
  manifest: {
    type: "roboflow_core/halo_visualization@v2",
    name: "Halo Visualization",
    description: "Paint a halo around detected objects in an image (masks only: detections without masks get none).",
    family: "visualizations",
    fields: {
      ...haloFields,
      kernel_size: {
        description: "Size of the blur kernel in pixels: how far the halo reaches beyond the mask.",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
        default: 40,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run: (params) => drawHalo(params, Math.trunc(params.kernel_size), false),
});

function drawHalo(params: HaloParams, kernel: number, boxesWithoutMasks: boolean): { image: WorkflowImage } {
  const { image, predictions, opacity } = params;
  const pixels = drawingSurface(image, params.copy_image);
  const masks = hasMasks(predictions);
  if (predictions.length === 0 || (!masks && !boxesWithoutMasks)) return annotated(image, pixels);
  const { width, height, channels, data } = pixels;
  const colors = detectionColors(predictions, params);
  const glow = { width, height, channels, data: new Uint8Array(data.length) };
  const inside = new Uint8Array(width * height);
  for (const i of paintingOrder(predictions, masks)) {
    const paint = paintFor(glow, colors[i]!);
    const fill = spanFiller(inside, width, height);
    coveredSpans(predictions, i, masks, width, height, (y, x0, x1) => {
      fillSpan(glow, y, x0, x1, paint);
      fill(y, x0, x1);
    });
  }
  const blurred = boxBlur(glow, kernel);
  const gray = new Uint8Array(width * height);
  let brightest = 0;
  for (let p = 0; p < gray.length; p++) {
    const o = p * channels;
    if (inside[p]) {
      blurred.fill(0, o, o + channels);
      continue;
    }
    // cv2.COLOR_BGR2GRAY's 15-bit fixed-point weights (our pixels are RGB).
    gray[p] = channels === 3 ? (blurred[o]! * 9798 + blurred[o + 1]! * 19235 + blurred[o + 2]! * 3735 + 16384) >> 15 : blurred[o]!;
    brightest = Math.max(brightest, gray[p]!);
  }
  // No glow anywhere: Roboflow's 0 / 0 would turn the image black; the image is left as it is.
  if (brightest === 0) return annotated(image, pixels);
  for (let p = 0; p < gray.length; p++) {
    const o0 = p * channels;
    // Masked pixels and pixels the glow does not reach blend to themselves.
    let reached = 0;
    for (let c = 0; c < channels; c++) reached |= blurred[o0 + c]!;
    if (inside[p] || reached === 0) continue;
    const alpha = (opacity * gray[p]!) / brightest;
    for (let o = o0, c = 0; c < channels; c++, o++) {
      // np.uint8 of the blend truncates; a glow brighter than its weight could exceed 255 (numpy wraps), here it saturates.
      data[o] = Math.min(255, Math.trunc(data[o]! * (1 - alpha) + blurred[o]! * opacity));
    }
  }
  return annotated(image, pixels);
}

/** Largest area first, so the smallest is painted last, on top; of equal areas the earlier detection last (numpy's argsort, flipped). */
function paintingOrder(detections: Detections, masks: boolean): number[] {
  const areas = Array.from({ length: detections.length }, (_, i) => {
    if (!masks) return detections.area(i);
    const region = detectionRegion(detections, i);
    return region ? regionArea(region) : 0;
  });
  return areas.map((_, i) => i).sort((a, b) => areas[a]! - areas[b]!).reverse();
}
