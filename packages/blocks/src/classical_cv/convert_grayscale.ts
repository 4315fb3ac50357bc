/** Image Convert Grayscale: an RGB image to one channel (OpenCV's BGR2GRAY weights); the lineage stays. */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { toGray } from "./grayscale.js";

interface ConvertGrayscaleParams {
  [key: string]: unknown;
  image: WorkflowImage;
}

export const convertGrayscaleBlock = defineBlock<ConvertGrayscaleParams>({
  manifest: {
    type: "roboflow_core/convert_grayscale@v1",
    name: "Image Convert Grayscale",
    description: "Convert an RGB image to grayscale.",
    family: "classical_cv",
    fields: {
      image: { description: "The image to convert.", kinds: ["image"], aliases: ["images"], required: true },
    },
    outputs: [{ name: "image", kinds: ["image"] }],
  },
  run({ image }) {
    return { image: image.withPixels(toGray(image.pixels)) };
  },
});
