/**
 * Dynamic Crop: one crop per detection, cut at the box rounded to whole pixels. Each crop is a
 * child image whose predictions carry the detection's id as `parent_id`; with instance masks and
 * `mask_opacity` > 0 the pixels outside the mask are blended toward `background_color`.
 * Alongside each crop comes its detection re-expressed in the crop's own coordinates.
 */
import { defineBlock, DETECTION_KINDS, type BitMask, type Detections, type Keypoint } from "@cvflow/engine";
import { checkRunRoom, maskAt, moveMask, type RawPixels, type WorkflowImage } from "@cvflow/vision";
import { grayOf } from "../classical_cv/grayscale.js";
import { parseColorTuple, type Rgb } from "../common/color-tuple.js";
import { detectionsOnImage } from "../common/lineage.js";
import { roundHalfEven } from "../common/python-numbers.js";

interface DynamicCropParams {
  [key: string]: unknown;
  images: WorkflowImage;
  predictions: Detections;
  mask_opacity: number;
  background_color: unknown;
}

interface CropBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export const dynamicCropBlock = defineBlock<DynamicCropParams>({
  manifest: {
    type: "roboflow_core/dynamic_crop@v1",
    aliases: ["DynamicCrop", "Crop"],
    name: "Dynamic Crop",
    description: "Crop an image using bounding boxes from a detection model.",
    family: "transformations",
    fields: {
      images: {
        description: "The image to crop.",
        kinds: ["image"],
        aliases: ["image"],
        required: true,
      },
      predictions: {
        description: "Detections whose boxes are cut out, one crop each.",
        kinds: DETECTION_KINDS,
        aliases: ["detections"],
        required: true,
      },
      mask_opacity: {
        description: "For instance masks: 0 leaves crops as they are, 1 replaces every pixel outside the mask by background_color.",
        kinds: ["float_zero_to_one"],
        schema: { type: "number", minimum: 0, maximum: 1 },
        default: 0,
      },
      background_color: {
        description: 'Colour outside the mask: "#RRGGBB", "#RGB", "(r, g, b)" or [r, g, b].',
        kinds: ["string", "rgb_color"],
        schema: { anyOf: [{ type: "string" }, { type: "array", items: { type: "integer" }, minItems: 3, maxItems: 3 }] },
        default: [0, 0, 0],
      },
    },
    outputs: [
      { name: "crops", kinds: ["image"] },
      { name: "predictions", kinds: DETECTION_KINDS },
    ],
    outputDimensionOffset: 1,
  },
  run({ images: image, predictions, mask_opacity, background_color }) {
    const background = parseColorTuple(background_color, "background_color");
    const boxes = Array.from({ length: predictions.length }, (_, i) => cropBox(predictions.box(i), image));
    const blended = (i: number) => mask_opacity > 0 && predictions.masks?.[i] != null;
    // Boxes may overlap, each nearly the whole image: all the crops (and their blended copies)
    // must fit in the run's image budget before the first is cut.
    let count = 0;
    let pixels = 0;
    boxes.forEach((box, i) => {
      if (!box) return;
      const copies = blended(i) ? 2 : 1;
      count += copies;
      pixels += copies * (box.right - box.left) * (box.bottom - box.top);
    });
    checkRunRoom(count, pixels, `${boxes.filter(Boolean).length} crops`);
    const results: Record<string, unknown>[] = [];
    for (let i = 0; i < predictions.length; i++) {
      const box = boxes[i];
      // A box with no pixels inside the image gives an empty crop, which the reference implementation reports as null.
      if (!box) {
        results.push({ crops: null, predictions: null });
        continue;
      }
      let crop = image.crop(box.left, box.top, box.right, box.bottom, predictions.detectionId[i]!);
      if (blended(i)) crop = crop.withPixels(blendOutsideMask(crop.pixels, predictions.masks![i]!, box, mask_opacity, background));
      results.push({ crops: crop, predictions: inCropCoordinates(predictions, i, box, crop) });
    }
    return results;
  },
});

/** The box rounded to whole pixels (ties to even) and clipped to the image; undefined when nothing is left. */
function cropBox([x1, y1, x2, y2]: [number, number, number, number], image: WorkflowImage): CropBox | undefined {
  const clip = (v: number, size: number): number => Math.min(Math.max(roundHalfEven(v), 0), size);
  const box = { left: clip(x1, image.width), top: clip(y1, image.height), right: clip(x2, image.width), bottom: clip(y2, image.height) };
  return box.right > box.left && box.bottom > box.top ? box : undefined;
}

/** Pixels outside the mask become opacity * background + (1 - opacity) * pixel, rounded as OpenCV's addWeighted does. */
function blendOutsideMask(pixels: RawPixels, mask: BitMask, box: CropBox, opacity: number, background: Rgb): RawPixels {
  const { width, height, channels } = pixels;
  const data = Uint8Array.from(pixels.data);
  const fill = channels === 1 ? [grayOf(...background)] : background;
  for (let y = 0; y < height; y++) {
    const my = box.top + y;
    for (let x = 0; x < width; x++) {
      const mx = box.left + x;
      if (maskAt(mask, mx, my)) continue;
      const o = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) data[o + c] = roundHalfEven(opacity * fill[c]! + (1 - opacity) * data[o + c]!);
    }
  }
  return { data, width, height, channels };
}

/** Detection `i` as a prediction on its own crop: box, mask, keypoints and polygon shifted by the crop's offset. */
function inCropCoordinates(predictions: Detections, i: number, box: CropBox, crop: WorkflowImage): Detections {
  const one = predictions.select([i]);
  const [x1, y1, x2, y2] = one.box(0);
  const dx = box.left;
  const dy = box.top;
  const mask = one.masks?.[0];
  const keypoints = one.keypoints?.[0];
  const data: Record<string, readonly unknown[]> = { ...one.data };
  if (Array.isArray(data["points"]?.[0])) {
    data["points"] = [(data["points"][0] as { x: number; y: number }[]).map((p) => ({ ...p, x: p.x - dx, y: p.y - dy }))];
  }
  return detectionsOnImage(
    {
      xyxy: [x1 - dx, y1 - dy, x2 - dx, y2 - dy],
      confidence: one.confidence,
      classId: one.classId,
      className: one.className,
      detectionId: one.detectionId,
      masks: one.masks && [mask ? moveMask(mask, -dx, -dy, { width: box.right - box.left, height: box.bottom - box.top }) : null],
      keypoints: one.keypoints && [keypoints ? keypoints.map((k): Keypoint => ({ ...k, x: k.x - dx, y: k.y - dy })) : null],
      data,
    },
    crop,
  );
}
