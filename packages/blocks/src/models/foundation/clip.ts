/** CLIP (v1: an embedding of an image or a text) and CLIP Comparison (v1, v2: images against texts). */
import { choiceField, MODEL_IMAGES, stringListField, textField, unavailableModelBlock } from "../unavailable-model.js";

const CLIP_VERSIONS = ["RN101", "RN50", "RN50x16", "RN50x4", "RN50x64", "ViT-B-16", "ViT-B-32", "ViT-L-14-336px", "ViT-L-14"];

export const clipBlock = unavailableModelBlock({
  type: "roboflow_core/clip@v1",
  name: "CLIP Embedding Model",
  does: "Embed an image or a text with OpenAI's CLIP.",
  model: "CLIP",
  fields: {
    data: textField("The string or image to generate an embedding for.", undefined, ["image", "string"]),
    version: choiceField("Variant of CLIP model.", CLIP_VERSIONS, "ViT-B-32"),
  },
  outputs: [{ name: "embedding", kinds: ["embedding"] }],
});

export const clipComparisonV1Block = unavailableModelBlock({
  type: "roboflow_core/clip_comparison@v1",
  aliases: ["ClipComparison"],
  name: "Clip Comparison",
  does: "Compare images with texts by CLIP similarity.",
  model: "CLIP",
  fields: {
    images: MODEL_IMAGES,
    texts: { ...stringListField("Texts to compare each image with.", true), aliases: ["text"] },
  },
  outputs: [
    { name: "similarity", kinds: ["list_of_values"] },
    { name: "parent_id", kinds: ["parent_id"] },
    { name: "root_parent_id", kinds: ["parent_id"] },
    { name: "prediction_type", kinds: ["prediction_type"] },
  ],
});

export const clipComparisonV2Block = unavailableModelBlock({
  type: "roboflow_core/clip_comparison@v2",
  name: "Clip Comparison",
  does: "Compare images with class names by CLIP similarity, as a classification.",
  model: "CLIP",
  fields: {
    images: MODEL_IMAGES,
    classes: { ...stringListField("Classes to compare each image with.", true), schema: { type: "array", items: { type: "string" }, minItems: 1 } },
    version: choiceField("Variant of CLIP model.", CLIP_VERSIONS, "ViT-B-16"),
  },
  outputs: [
    { name: "similarities", kinds: ["list_of_values"] },
    { name: "max_similarity", kinds: ["float_zero_to_one"] },
    { name: "most_similar_class", kinds: ["string"] },
    { name: "min_similarity", kinds: ["float_zero_to_one"] },
    { name: "least_similar_class", kinds: ["string"] },
    { name: "classification_predictions", kinds: ["classification_prediction"] },
    { name: "parent_id", kinds: ["parent_id"] },
    { name: "root_parent_id", kinds: ["parent_id"] },
  ],
});
