/**
 * Every operation of the query language, and their JSON Schemas registered in the engine's
 * `schemaDefs` (one per operation, tagged by its `type` constant, plus the union "UqlOperation"),
 * so a definition is checked, with JSON pointers, before anything runs.
 */
import { schemaDefs } from "@cvflow/engine";
import type { OperationSpec } from "./operation-spec.js";
import { classificationOperations } from "./operations/classification.js";
import { detectionOperations } from "./operations/detection.js";
import { detectionsOperations } from "./operations/detections.js";
import { genericOperations } from "./operations/generic.js";
import { imageEncodingOperations } from "./operations/image-encoding.js";
import { imageOperations } from "./operations/images.js";
import { numberOperations } from "./operations/numbers.js";
import { sequenceOperations } from "./operations/sequences.js";
import { stringOperations } from "./operations/strings.js";
import { timestampOperations } from "./operations/timestamps.js";
import { OPERATION_DEF } from "./schema-refs.js";
// Operations hold statements (DetectionsFilter's `filter_operation` points at UqlStatementGroup):
// their schemas are registered wherever the operations' are.
import "./statements-schema.js";

export const OPERATIONS: ReadonlyMap<string, OperationSpec> = new Map(
  [
    ...stringOperations,
    ...numberOperations,
    ...sequenceOperations,
    ...genericOperations,
    ...imageOperations,
    ...imageEncodingOperations,
    ...timestampOperations,
    ...classificationOperations,
    ...detectionOperations,
    ...detectionsOperations,
  ].map((spec) => [spec.type, spec]),
);

schemaDefs.define(OPERATION_DEF, {
  type: "object",
  description: "One operation of the query language, chosen by its type.",
  oneOf: [...OPERATIONS.values()].map((spec) =>
    schemaDefs.define(`Uql${spec.type}`, {
      type: "object",
      title: spec.type,
      description: spec.description,
      properties: { type: { const: spec.type }, ...spec.properties },
      required: ["type", ...(spec.required ?? [])],
    }),
  ),
});
