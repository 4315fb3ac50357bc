/**
 * Pixel Color Count: the number of pixels whose every channel lies within `tolerance` of the
 * target colour's (OpenCV's inRange then countNonZero, bounds inclusive). A one-channel image's
 * pixel counts as the grey (v, v, v).
 */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { parseColorTuple } from "../common/color-tuple.js";
import { invalidField } from "../errors.js";

interface PixelColorCountParams {
  [key: string]: unknown;
  image: WorkflowImage;
  target_color: unknown;
  tolerance: number;
}

export const pixelColorCountBlock = defineBlock<PixelColorCountParams>({
  manifest: {
    type: "roboflow_core/pixel_color_count@v1",
    name: "Pixel Color Count",
    description: "Count the number of pixels that match a specific color within a given tolerance.",
    family: "classical_cv",
    fields: {
      image: { description: "The image whose pixels are counted.", kinds: ["image"], aliases: ["images"], required: true },
      target_color: {
        description: 'The colour to count: "#RRGGBB", "#RGB", "(r, g, b)" or [r, g, b] (red, green, blue).',
        kinds: ["string", "rgb_color"],
        schema: { anyOf: [{ type: "string" }, { type: "array", items: { type: "integer" }, minItems: 3, maxItems: 3 }] },
        required: true,
      },
      tolerance: { description: "How far each channel may be from the target's, either way.", kinds: ["integer"], schema: { type: "integer" }, default: 10 },
    },
    outputs: [{ name: "matching_pixels_count", kinds: ["integer"] }],
  },
  run({ image, target_color, tolerance }) {
    if (!Number.isInteger(tolerance)) throw invalidField(`tolerance must be an integer; got ${JSON.stringify(tolerance)}`);
    return { matching_pixels_count: countColor(image, parseColorTuple(target_color, "target_color"), tolerance) };
  },
});

function countColor(image: WorkflowImage, target: readonly [number, number, number], tolerance: number): number {
  const { data, channels } = image.pixels;
  const lower = target.map((v) => v - tolerance);
  const upper = target.map((v) => v + tolerance);
  const inside = (v: number, c: number): boolean => v >= lower[c]! && v <= upper[c]!;
  let count = 0;
  if (channels === 1) {
    for (const v of data) if (inside(v, 0) && inside(v, 1) && inside(v, 2)) count++;
    return count;
  }
  for (let i = 0; i < data.length; i += 3) if (inside(data[i]!, 0) && inside(data[i + 1]!, 1) && inside(data[i + 2]!, 2)) count++;
  return count;
}
