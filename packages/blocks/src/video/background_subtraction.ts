/** Background Subtraction: each frame's foreground mask (white where it differs from the video's learned background), as a 3-channel image. */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { applyBackground, emptyBackground } from "./background-model.js";
import { stepState, videoOf } from "./step-state.js";

interface BackgroundSubtractionParams {
  [key: string]: unknown;
  image: WorkflowImage;
  threshold: number;
  history: number;
}

export const backgroundSubtractionBlock = defineBlock<BackgroundSubtractionParams>({
  manifest: {
    type: "roboflow_core/background_subtraction@v1",
    name: "Background Subtraction",
    description: "Subtract an image from its background history: white where the frame differs from the learned background.",
    family: "classical_cv",
    stateful: true,
    fields: {
      image: { description: "The frame.", kinds: ["image"], aliases: ["images"], required: true },
      threshold: { description: "Squared colour distance, in variances, beyond which a pixel is foreground.", schema: { type: "integer" }, kinds: ["integer"], default: 16 },
      history: { description: "Frames the background model remembers.", schema: { type: "integer" }, kinds: ["integer"], default: 30 },
    },
    outputs: [{ name: "image", kinds: ["image"] }],
  },
  run({ image, threshold, history }, ctx) {
    const model = stepState(ctx, videoOf(image), emptyBackground);
    const mask = applyBackground(model, image.pixels, threshold, history);
    const rgb = new Uint8Array(mask.length * 3);
    for (let p = 0; p < mask.length; p++) rgb.fill(mask[p]!, p * 3, p * 3 + 3);
    return { image: image.withPixels({ data: rgb, width: image.width, height: image.height, channels: 3 }) };
  },
});
