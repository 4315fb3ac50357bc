/** YOLO-World (v1): open-vocabulary detection of the class names given. */
import { choiceField, MODEL_IMAGES, numberField, stringListField, unavailableModelBlock } from "../unavailable-model.js";

export const yoloWorldBlock = unavailableModelBlock({
  type: "roboflow_core/yolo_world_model@v1",
  aliases: ["YoloWorldModel", "YoloWorld"],
  name: "YOLO-World Model",
  does: "Detect objects of any class named, with YOLO-World.",
  model: "YOLO-World",
  fields: {
    images: MODEL_IMAGES,
    class_names: stringListField("Classes to detect (any text).", true),
    version: choiceField("Variant of YOLO-World.", ["v2-s", "v2-m", "v2-l", "v2-x", "s", "m", "l", "x"], "v2-s"),
    confidence: numberField("Confidence threshold for detections.", 0.005, ["float_zero_to_one"], { type: "number", minimum: 0, maximum: 1 }),
  },
  outputs: [{ name: "predictions", kinds: ["object_detection_prediction"] }],
});
