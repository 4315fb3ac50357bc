/** Image Blur: average, gaussian, median or bilateral blur with OpenCV's semantics, on any number of channels. */
import { defineBlock } from "@cvflow/engine";
import type { RawPixels, WorkflowImage } from "@cvflow/vision";
import { invalidBlur } from "../errors.js";
import { bilateralFilter } from "./bilateral-filter.js";
import { reflect101 } from "./border.js";
import { boxFilter } from "./box-filter.js";
import { gaussianBlur } from "./gaussian-blur.js";
import { medianBlur } from "./median-blur.js";

const BLUR_TYPES = ["average", "gaussian", "median", "bilateral"] as const;

interface ImageBlurParams {
  [key: string]: unknown;
  image: WorkflowImage;
  blur_type: (typeof BLUR_TYPES)[number];
  kernel_size: number;
}

export const imageBlurBlock = defineBlock<ImageBlurParams>({
  manifest: {
    type: "roboflow_core/image_blur@v1",
    name: "Image Blur",
    description: "Apply a blur to an image.",
    family: "classical_cv",
    fields: {
      image: { description: "The image to blur.", kinds: ["image"], aliases: ["images"], required: true },
      blur_type: {
        description: "average (box), gaussian (sigma from the kernel size), median, or bilateral (sigmas 75).",
        kinds: ["string"],
        schema: { enum: BLUR_TYPES },
        default: "gaussian",
      },
      kernel_size: {
        description: "Size of the square kernel; gaussian and median need an odd size.",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
        default: 5,
      },
    },
    outputs: [{ name: "image", kinds: ["image"] }],
  },
  run({ image, blur_type, kernel_size }) {
    return { image: image.withPixels(blur(image.pixels, blur_type, kernel_size)) };
  },
});

function blur(pixels: RawPixels, type: string, ksize: number): RawPixels {
  if (!Number.isInteger(ksize) || ksize < 1) throw invalidBlur(`kernel_size must be a positive integer; got ${ksize}`);
  switch (type) {
    case "average":
      return boxFilter(pixels, ksize, ksize, reflect101);
    case "gaussian":
      if (ksize % 2 === 0) throw invalidBlur(`a gaussian blur needs an odd kernel_size; got ${ksize}`);
      return gaussianBlur(pixels, ksize, reflect101);
    case "median":
      if (ksize % 2 === 0) throw invalidBlur(`a median blur needs an odd kernel_size; got ${ksize}`);
      return ksize === 1 ? pixels : medianBlur(pixels, ksize);
    case "bilateral":
      return bilateralFilter(pixels, ksize, 75, 75);
    default:
      throw invalidBlur(`blur_type must be one of ${BLUR_TYPES.join(", ")}; got ${JSON.stringify(type)}`);
  }
}
