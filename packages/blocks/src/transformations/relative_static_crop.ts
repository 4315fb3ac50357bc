/**
 * Relative Static Crop: a rectangle given as fractions of each image's size (centre and size),
 * one crop per image. The centre and size are first rounded to whole pixels, as in the
 * reference implementation, whose versioned id carries a typo that definitions in the wild use.
 */
import { defineBlock, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { roundHalfEven } from "../common/python-numbers.js";
import { staticCrop } from "./static-crop.js";

interface RelativeStaticCropParams {
  [key: string]: unknown;
  images: WorkflowImage;
  x_center: number;
  y_center: number;
  width: number;
  height: number;
}

const fraction = (description: string): FieldSpec => ({
  description,
  kinds: ["float_zero_to_one"],
  schema: { type: "number", minimum: 0, maximum: 1 },
  required: true,
});

export const relativeStaticCropBlock = defineBlock<RelativeStaticCropParams>({
  manifest: {
    type: "roboflow_core/relative_static_crop@v1",
    aliases: ["roboflow_core/relative_statoic_crop@v1", "RelativeStaticCrop"],
    name: "Relative Static Crop",
    description: "Crop an image proportional (%) to its dimensions.",
    family: "transformations",
    fields: {
      images: { description: "The image to crop.", kinds: ["image"], aliases: ["image"], required: true },
      x_center: fraction("Horizontal centre of the crop, as a fraction of the image's width."),
      y_center: fraction("Vertical centre of the crop, as a fraction of the image's height."),
      width: fraction("Width of the crop, as a fraction of the image's width."),
      height: fraction("Height of the crop, as a fraction of the image's height."),
    },
    outputs: [{ name: "crops", kinds: ["image"] }],
  },
  run({ images, x_center, y_center, width, height }) {
    const w = images.width;
    const h = images.height;
    return {
      crops: staticCrop(images, roundHalfEven(w * x_center), roundHalfEven(h * y_center), roundHalfEven(w * width), roundHalfEven(h * height), "relative_static_crop"),
    };
  },
});
