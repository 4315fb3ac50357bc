/**
 * What Detections Filter and Detections Transformation share: a chain of operations applied to
 * the predictions, with operations_parameters as the values the chain can refer to by name.
 */
import { DETECTION_KINDS, Detections, type BlockManifest, type Problem } from "@cvflow/engine";
import { invalidField, invalidOperationOutput } from "../errors.js";
import { compileOperations } from "../uql/compile-operations.js";
import type { OperationDefinition } from "../uql/operation-spec.js";
import { operationsListSchema } from "../uql/schema-refs.js";
import { isPlainObject, pythonTypeName } from "../uql/values.js";

export type DetectionsOperationsParams = {
  predictions: Detections;
  operations: OperationDefinition[];
  operations_parameters: Record<string, unknown>;
};

/** `_` is the name the chain gives each detection while filtering. */
const RESERVED_PARAMETER = "_";

export const detectionsOperationsFields: BlockManifest["fields"] = {
  predictions: { description: "The detections to work on.", kinds: DETECTION_KINDS, required: true },
  operations: { description: "The operations applied to the predictions, in order.", schema: operationsListSchema, required: true },
  operations_parameters: {
    description: "Named values the operations refer to (e.g. a list of classes).",
    shape: "dict",
    kinds: ["*"],
    default: {},
  },
};

export const detectionsOperationsOutputs: BlockManifest["outputs"] = [{ name: "predictions", kinds: DETECTION_KINDS }];

export function reservedParameter(step: Readonly<Record<string, unknown>>): Problem[] {
  const parameters = step["operations_parameters"];
  if (!isPlainObject(parameters) || !Object.hasOwn(parameters, RESERVED_PARAMETER)) return [];
  return [{ code: "invalid_field", property: "operations_parameters", message: `the parameter name "${RESERVED_PARAMETER}" is reserved for the detection being filtered` }];
}

export function applyDetectionsOperations({ predictions, operations, operations_parameters }: DetectionsOperationsParams): { predictions: Detections } {
  if (Object.hasOwn(operations_parameters, RESERVED_PARAMETER)) {
    throw invalidField(`operations_parameters may not define "${RESERVED_PARAMETER}"`);
  }
  const result = compileOperations(operations, "/operations")(predictions, operations_parameters);
  if (!(result instanceof Detections)) {
    throw invalidOperationOutput(`the operations must turn detections into detections, but they produce ${pythonTypeName(result)}`);
  }
  return { predictions: result };
}
