/** Property Definition: one value from another step's output, through a chain of operations. */
import { defineBlock } from "@cvflow/engine";
import { compileOperations } from "../uql/compile-operations.js";
import type { OperationDefinition } from "../uql/operation-spec.js";
import { operationsListSchema } from "../uql/schema-refs.js";

export const propertyDefinitionBlock = defineBlock<{ data: unknown; operations: OperationDefinition[] }>({
  manifest: {
    type: "roboflow_core/property_definition@v1",
    aliases: ["PropertyDefinition", "PropertyExtraction"],
    name: "Property Definition",
    description: "Extracts a value from data (class names, confidences, a count, ...) with a chain of operations.",
    family: "formatters",
    fields: {
      data: { description: "The value to extract from.", kinds: ["*"], required: true },
      operations: { description: "The operations applied to data, in order.", schema: operationsListSchema, required: true },
    },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  run: ({ data, operations }) => ({ output: compileOperations(operations, "/operations")(data) }),
});
