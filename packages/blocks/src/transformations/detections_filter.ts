/** Detections Filter: keeps the predictions the operations' condition holds for. */
import { defineBlock } from "@cvflow/engine";
import {
  applyDetectionsOperations,
  detectionsOperationsFields,
  detectionsOperationsOutputs,
  reservedParameter,
  type DetectionsOperationsParams,
} from "./detections_operations.js";

export const detectionsFilterBlock = defineBlock<DetectionsOperationsParams>({
  manifest: {
    type: "roboflow_core/detections_filter@v1",
    aliases: ["DetectionsFilter"],
    name: "Detections Filter",
    description: "Filters predictions with a condition on each detection (a DetectionsFilter operation).",
    family: "transformations",
    fields: detectionsOperationsFields,
    outputs: detectionsOperationsOutputs,
  },
  validate: reservedParameter,
  run: applyDetectionsOperations,
});
