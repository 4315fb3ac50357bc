/** Detections Transformation: applies operations (offset, shift, sort, rename, filter, ...) to predictions. */
import { defineBlock } from "@cvflow/engine";
import {
  applyDetectionsOperations,
  detectionsOperationsFields,
  detectionsOperationsOutputs,
  reservedParameter,
  type DetectionsOperationsParams,
} from "./detections_operations.js";

export const detectionsTransformationBlock = defineBlock<DetectionsOperationsParams>({
  manifest: {
    type: "roboflow_core/detections_transformation@v1",
    aliases: ["DetectionsTransformation"],
    name: "Detections Transformation",
    description: "Transforms predictions with operations: resize or move boxes, sort, select, rename classes, filter.",
    family: "transformations",
    fields: detectionsOperationsFields,
    outputs: detectionsOperationsOutputs,
  },
  validate: reservedParameter,
  run: applyDetectionsOperations,
});
