/**
 * The JSON Schema (2020-12) of the whole grammar, generated from the registered blocks'
 * manifests: every block a step alternative tagged by its ids, every field a literal or, where
 * the field takes data, a selector (annotated with the kinds it accepts).
 */
import type { Block, FieldSpec } from "./block.js";
import { schemaDefs, type JsonSchema } from "./json-schema.js";
import type { BlockRegistry } from "./registry.js";

const NAME = "^[A-Za-z0-9_\\-]+$";
const DATA_SELECTOR: JsonSchema = { type: "string", pattern: "^\\$(inputs\\.[A-Za-z0-9_\\-]+|steps\\.[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+)$" };
const STEP_SELECTOR: JsonSchema = { type: "string", pattern: "^\\$steps\\.[A-Za-z0-9_\\-]+$" };
const KIND_LIST: JsonSchema = { type: "array", items: { anyOf: [{ type: "string" }, { type: "object", properties: { name: { type: "string" } }, required: ["name"] }] } };

const INPUTS: JsonSchema[] = [
  input(["WorkflowImage", "InferenceImage"], "An image (or a batch of images) given at run time.", {}),
  input(["WorkflowParameter", "InferenceParameter"], "One value for the whole run, with an optional default.", { kind: KIND_LIST, default_value: {} }),
  input(["WorkflowBatchInput"], "A batch of values of the declared kinds.", { kind: KIND_LIST, dimensionality: { type: "integer", minimum: 1, maximum: 16 } }),
  input(["WorkflowVideoMetadata"], "Metadata of the video frames that images come from.", {}),
];

function input(types: string[], description: string, extra: Record<string, JsonSchema>): JsonSchema {
  return { type: "object", description, properties: { type: { enum: types }, name: { type: "string", pattern: NAME }, ...extra }, required: ["type", "name"] };
}

export function workflowSchema(registry: BlockRegistry): JsonSchema & Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "Workflow definition",
    description: "A computer-vision workflow: inputs, steps (blocks) and outputs. May also be wrapped as {\"specification\": {...}}.",
    type: "object",
    required: ["version", "steps", "outputs"],
    properties: {
      version: { type: "string", pattern: "^1(\\.\\d+){0,2}$", description: "Grammar version: 1.0, 1.0.0 or any 1.x." },
      inputs: { type: "array", items: { oneOf: INPUTS } },
      steps: { type: "array", items: { oneOf: registry.list().map(stepSchema) } },
      outputs: {
        type: "array",
        items: {
          type: "object",
          properties: {
            type: { const: "JsonField" },
            name: { type: "string", minLength: 1, pattern: "^(?!__proto__$)" },
            selector: { type: "string", pattern: "^\\$(inputs\\.[A-Za-z0-9_\\-]+|steps\\.[A-Za-z0-9_\\-]+\\.([A-Za-z0-9_\\-]+|\\*))$" },
            coordinates_system: { enum: ["parent", "own"], default: "parent" },
          },
          required: ["name", "selector"],
        },
      },
    },
    $defs: schemaDefs.toJSON(),
  };
}

function stepSchema(block: Block): JsonSchema {
  const { manifest } = block;
  const properties: Record<string, JsonSchema> = {
    type: { enum: [manifest.type, ...(manifest.aliases ?? [])] },
    name: { type: "string", pattern: NAME },
  };
  const required = ["type", "name"];
  for (const [name, spec] of Object.entries(manifest.fields)) {
    properties[name] = fieldSchema(spec);
    if (spec.required) required.push(name);
  }
  return { type: "object", title: manifest.name, description: manifest.description, properties, required };
}

function fieldSchema(spec: FieldSpec): JsonSchema {
  const one: JsonSchema = spec.steps
    ? STEP_SELECTOR
    : spec.kinds
      ? ({ anyOf: [...(spec.schema ? [spec.schema] : [{}]), DATA_SELECTOR], "x-kinds": spec.kinds } as JsonSchema)
      : (spec.schema ?? {});
  const shaped: JsonSchema =
    spec.shape === "list" ? { type: "array", items: one } : spec.shape === "dict" ? { type: "object", additionalProperties: one } : one;
  return { ...shaped, ...(spec.description ? { description: spec.description } : {}), ...(spec.default !== undefined ? { default: spec.default } : {}) };
}
