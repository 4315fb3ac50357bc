/**
 * Image Contours: the outer contours of a thresholded image (OpenCV's findContours with
 * RETR_EXTERNAL and CHAIN_APPROX_SIMPLE, as the reference implementation uses), their count and
 * hierarchy, and an image with them drawn. The reference draws on the thresholded image itself
 * (as colour); given `raw_image`, they are drawn on that image instead.
 */
import { defineBlock } from "@cvflow/engine";
import type { RawPixels, WorkflowImage } from "@cvflow/vision";
import { imageSizeMismatch } from "../errors.js";
import { parseColorTuple } from "../common/color-tuple.js";
import { drawContours } from "./draw-contours.js";
import { findExternalContours } from "./find-contours.js";
import { toGray } from "./grayscale.js";

interface ContoursDetectionParams {
  [key: string]: unknown;
  image: WorkflowImage;
  raw_image: WorkflowImage | null;
  line_thickness: number;
  line_color: unknown;
}

export const contoursDetectionBlock = defineBlock<ContoursDetectionParams>({
  manifest: {
    type: "roboflow_core/contours_detection@v1",
    name: "Image Contours",
    description: "Find and count the contours on an image.",
    family: "classical_cv",
    fields: {
      image: { description: "A thresholded image: nonzero pixels are foreground.", kinds: ["image"], aliases: ["images"], required: true },
      raw_image: { description: "The image to draw the contours on; without it they are drawn on the thresholded image.", kinds: ["image"] },
      line_thickness: { description: "Thickness of the drawn contour lines, in pixels.", kinds: ["integer"], schema: { type: "integer", minimum: 1 }, default: 3 },
      line_color: {
        description: 'Colour of the drawn contour lines: "#RRGGBB", "#RGB", "(r, g, b)" or [r, g, b].',
        kinds: ["string", "rgb_color"],
        schema: { anyOf: [{ type: "string" }, { type: "array", items: { type: "integer" }, minItems: 3, maxItems: 3 }] },
        default: "#FF00FF",
      },
    },
    outputs: [
      { name: "image", kinds: ["image"] },
      { name: "contours", kinds: ["contours"] },
      { name: "hierarchy", kinds: ["numpy_array"] },
      { name: "number_contours", kinds: ["integer"] },
    ],
  },
  run({ image, raw_image, line_thickness, line_color }) {
    const color = parseColorTuple(line_color, "line_color");
    const binary = toGray(image.pixels);
    const { contours, hierarchy } = findExternalContours(binary.data, binary.width, binary.height);
    const canvas = raw_image ?? image;
    if (canvas.width !== image.width || canvas.height !== image.height) {
      throw imageSizeMismatch(
        `raw_image is ${canvas.width}x${canvas.height} but the thresholded image is ${image.width}x${image.height}; contours can only be drawn on an image of the same size`,
        "raw_image",
      );
    }
    return {
      image: canvas.withPixels(drawContours(asRgb(canvas.pixels), contours, color, line_thickness)),
      contours,
      // Shaped as OpenCV's (1, N, 4) array; none when there are no contours.
      hierarchy: contours.length > 0 ? [hierarchy] : null,
      number_contours: contours.length,
    };
  },
});

function asRgb(pixels: RawPixels): RawPixels {
  if (pixels.channels === 3) return pixels;
  const data = new Uint8Array(pixels.width * pixels.height * 3);
  pixels.data.forEach((v, i) => data.fill(v, i * 3, i * 3 + 3));
  return { ...pixels, data, channels: 3 };
}
