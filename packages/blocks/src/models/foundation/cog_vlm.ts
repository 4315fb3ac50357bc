/** CogVLM (v1): prompts a vision-language model; json_output_format's keys become outputs. */
import type { OutputSpec } from "@cvflow/engine";
import { MODEL_IMAGES, textField, unavailableModelBlock } from "../unavailable-model.js";

export const cogVlmBlock = unavailableModelBlock({
  type: "roboflow_core/cog_vlm@v1",
  aliases: ["CogVLM"],
  name: "CogVLM",
  does: "Ask the CogVLM vision-language model about images (Roboflow has deprecated it).",
  model: "CogVLM",
  fields: {
    images: MODEL_IMAGES,
    prompt: textField("Text prompt to the CogVLM model."),
    json_output_format: {
      description: "Names of requested output fields mapped to their descriptions: each becomes an output.",
      schema: { type: "object", additionalProperties: { type: "string" } },
      default: null,
    },
  },
  outputs: [
    { name: "parent_id", kinds: ["parent_id"] },
    { name: "root_parent_id", kinds: ["parent_id"] },
    { name: "image", kinds: ["image_metadata"] },
    { name: "structured_output", kinds: ["dictionary"] },
    { name: "raw_output", kinds: ["string"] },
  ],
  dynamicOutputs: (step) => {
    const format = step["json_output_format"];
    return format && typeof format === "object" ? Object.keys(format).map((name): OutputSpec => ({ name, kinds: ["*"] })) : [];
  },
});
