/** Perception Encoder (v1): Meta's image and text embeddings. */
import { choiceField, textField, unavailableModelBlock } from "../unavailable-model.js";

export const perceptionEncoderBlock = unavailableModelBlock({
  type: "roboflow_core/perception_encoder@v1",
  name: "Perception Encoder Embedding Model",
  does: "Embed an image or a text with Meta's Perception Encoder.",
  model: "Perception Encoder",
  fields: {
    data: textField("The string or image to generate an embedding for.", undefined, ["image", "string"]),
    version: choiceField("Variant of Perception Encoder model.", ["PE-Core-B16-224", "PE-Core-L14-336", "PE-Core-G14-448"], "PE-Core-L14-336"),
  },
  outputs: [{ name: "embedding", kinds: ["embedding"] }],
});
