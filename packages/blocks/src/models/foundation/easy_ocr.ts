/** EasyOCR (v1): text and its boxes. The OCR that runs here is the PP-OCR block (models/ocr.ts). */
import { choiceField, MODEL_IMAGES, unavailableModelBlock } from "../unavailable-model.js";

export const easyOcrBlock = unavailableModelBlock({
  type: "roboflow_core/easy_ocr@v1",
  aliases: ["EasyOCR"],
  name: "EasyOCR",
  does: "Read text with EasyOCR (the PP-OCR block reads text here).",
  model: "EasyOCR",
  fields: {
    images: MODEL_IMAGES,
    language: choiceField("Language model to use for OCR.", ["English", "Japanese", "Kannada", "Korean", "Latin", "Telugu", "Simplified Chinese"], "English", []),
    quantize: { description: "Use the quantized model.", schema: { type: "boolean" }, default: false },
  },
  outputs: [
    { name: "result", kinds: ["string"] },
    { name: "predictions", kinds: ["object_detection_prediction"] },
    { name: "parent_id", kinds: ["parent_id"] },
    { name: "root_parent_id", kinds: ["parent_id"] },
    { name: "prediction_type", kinds: ["prediction_type"] },
  ],
});
