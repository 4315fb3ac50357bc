/** ExtractDetectionProperty: a property of one detection (what DetectionsFilter's condition sees as `_`). */
import { DETECTIONS_PROPERTIES, singleDetectionProperty } from "../detection-properties.js";
import { invalidOperationInput } from "../../errors.js";
import { defineOperation } from "../operation-spec.js";
import { SingleDetection } from "../values.js";

const extractDetectionProperty = defineOperation<{ property_name: string }>({
  type: "ExtractDetectionProperty",
  description: "A property of a single detection; anchors are [x, y] in unrounded pixels.",
  properties: { property_name: { enum: DETECTIONS_PROPERTIES } },
  required: ["property_name"],
  compile: ({ property_name }, { at }) => (value) => {
    if (!(value instanceof SingleDetection)) {
      throw invalidOperationInput("ExtractDetectionProperty", at, "a single detection", value);
    }
    return singleDetectionProperty(value, property_name);
  },
});

export const detectionOperations = [extractDetectionProperty];
