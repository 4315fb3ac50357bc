/**
 * What every visualization block shares: the image it draws on, `copy_image`, the predictions
 * it draws, the palette fields of the colourable ones, and the `image` output.
 *
 * copy_image: true (the default) draws on a copy. false draws on the given image's own pixel
 * buffer, as Roboflow does: the output shares the buffer, so any later step that reads that
 * same input image sees the drawing too. Chaining visualizations with copy_image false is
 * what it is for (no copy per step when the intermediate images are not needed).
 */
import type { Detections, FieldSpec, Kind, OutputSpec } from "@cvflow/engine";
import { checkRunImage, type RawPixels, type WorkflowImage } from "@cvflow/vision";
import type { Rgb } from "../draw/color-parsing.js";
import { COLOR_AXES, COLOR_PALETTES, colorIndex, paletteColor, resolvePalette } from "../draw/palette.js";

export const IMAGE_OUTPUTS: readonly OutputSpec[] = [{ name: "image", kinds: ["image"], description: "The annotated image." }];

export const imageField: FieldSpec = {
  description: "The image to visualize on.",
  kinds: ["image"],
  aliases: ["images"],
  required: true,
};

export const copyImageField: FieldSpec = {
  description:
    "Draw on a copy of the image (true) or on the image itself (false: cheaper when stacking visualizations, " +
    "but every later reader of the input image sees the drawing).",
  kinds: ["boolean"],
  schema: { type: "boolean" },
  default: true,
};

export function predictionsField(kinds: readonly Kind[], description = "Model predictions to visualize."): FieldSpec {
  return { description, kinds, required: true };
}

export const colorableFields: Readonly<Record<string, FieldSpec>> = {
  color_palette: {
    description: "Color palette to use for annotations.",
    kinds: ["string"],
    schema: { enum: COLOR_PALETTES },
    default: "DEFAULT",
  },
  palette_size: {
    description: "Number of colors in the color palette. Applies when using a matplotlib color_palette.",
    kinds: ["integer"],
    schema: { type: "integer" },
    default: 10,
  },
  custom_colors: {
    description: 'List of colors to use for annotations when color_palette is "CUSTOM".',
    kinds: ["list_of_values"],
    schema: { type: "array", items: { type: "string" } },
    default: [],
  },
  color_axis: {
    description: "Strategy to use for mapping colors to annotations.",
    kinds: ["string"],
    schema: { enum: COLOR_AXES },
    default: "CLASS",
  },
};

export interface ColorableParams {
  color_palette: string;
  palette_size: number;
  custom_colors: readonly string[];
  color_axis: string;
}

/** The colour of each detection under the block's palette settings. */
export function detectionColors(detections: Detections, params: ColorableParams): Rgb[] {
  if (detections.length === 0) return [];
  const palette = resolvePalette(params.color_palette, params.palette_size, params.custom_colors);
  return Array.from({ length: detections.length }, (_, i) => paletteColor(palette, colorIndex(detections, i, params.color_axis)));
}

/** The pixels to draw on: a copy, or (copy_image false) the image's own buffer. */
export function drawingSurface(image: WorkflowImage, copyImage: boolean): RawPixels {
  // new Uint8Array(...) copies even a Buffer, whose slice() would share its memory.
  if (copyImage) {
    checkRunImage(image.width, image.height, `a copy of the image to draw on (${image.width}x${image.height})`);
    return { ...image.pixels, data: new Uint8Array(image.pixels.data) };
  }
  image.markPixelsChanged();
  return image.pixels;
}

/** The `image` output: the drawn pixels under the input image's lineage. */
export function annotated(image: WorkflowImage, pixels: RawPixels): { image: WorkflowImage } {
  return { image: image.withPixels(pixels) };
}
