/** Absolute Static Crop: the same pixel rectangle (centre and size) cut from every image, one crop per image. */
import { defineBlock, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { staticCrop } from "./static-crop.js";

interface AbsoluteStaticCropParams {
  [key: string]: unknown;
  images: WorkflowImage;
  x_center: number;
  y_center: number;
  width: number;
  height: number;
}

const pixels = (description: string): FieldSpec => ({ description, kinds: ["integer"], schema: { type: "integer", minimum: 1 }, required: true });

export const absoluteStaticCropBlock = defineBlock<AbsoluteStaticCropParams>({
  manifest: {
    type: "roboflow_core/absolute_static_crop@v1",
    aliases: ["AbsoluteStaticCrop"],
    name: "Absolute Static Crop",
    description: "Crop an image using fixed pixel coordinates.",
    family: "transformations",
    fields: {
      images: { description: "The image to crop.", kinds: ["image"], aliases: ["image"], required: true },
      x_center: pixels("Horizontal centre of the crop, in pixels."),
      y_center: pixels("Vertical centre of the crop, in pixels."),
      width: pixels("Width of the crop, in pixels."),
      height: pixels("Height of the crop, in pixels."),
    },
    outputs: [{ name: "crops", kinds: ["image"] }],
  },
  run({ images, x_center, y_center, width, height }) {
    return { crops: staticCrop(images, x_center, y_center, width, height, "absolute_static_crop") };
  },
});
