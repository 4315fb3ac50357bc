/**
 * Model blocks whose weights cvflow does not have (CLIP, Florence-2, SAM, depth, the local
 * vision-language models, ...): Roboflow's ids, fields and outputs, so that a definition using
 * them compiles and the rest of it can be checked, and a run that reaches one fails with
 * `model_unavailable` naming the model it needs. describe says "model unavailable here".
 * Cross-field rules Roboflow checks on these manifests (a prompt a task needs, ...) are not
 * repeated: no run of them gets that far.
 */
import { defineBlock, type BlockManifest, type FieldSpec, type Kind, type OutputSpec } from "@cvflow/engine";
import { modelUnavailable } from "../errors.js";
import { IMAGES_FIELD } from "./fields.js";

export interface UnavailableModel {
  type: string;
  aliases?: string[];
  name: string;
  /** What the block does where its model exists (one sentence). */
  does: string;
  /** The model it needs, as the error names it: "CLIP", "Florence-2". */
  model: string;
  fields: Record<string, FieldSpec>;
  outputs: OutputSpec[];
  dynamicOutputs?: BlockManifest["dynamicOutputs"];
}

export function unavailableModelBlock(spec: UnavailableModel) {
  return defineBlock({
    manifest: {
      type: spec.type,
      ...(spec.aliases ? { aliases: spec.aliases } : {}),
      name: spec.name,
      description: `${spec.does} Model unavailable here: cvflow has no ${spec.model} weights, so running it fails with model_unavailable.`,
      family: "models",
      fields: spec.fields,
      outputs: spec.outputs,
      ...(spec.dynamicOutputs ? { dynamicOutputs: spec.dynamicOutputs } : {}),
    },
    run(params, ctx) {
      const asked = params["model_id"] ?? params["model_version"] ?? params["version"] ?? spec.model;
      const available = ctx.services.models?.list().map(({ id, task }) => ({ id, task })) ?? [];
      throw modelUnavailable(
        `${spec.type} needs ${spec.model} (${JSON.stringify(asked)}), and cvflow has no ${spec.model} weights: the block compiles so that the rest of the workflow can be checked, but it cannot run here`,
        asked,
        available,
      );
    },
  });
}

/** The images the model reads (Roboflow's ImageInputField, alias `image`); never decoded, since the block never runs. */
export const MODEL_IMAGES: FieldSpec = { ...IMAGES_FIELD, batched: false };

/** A string given as it is or by a selector of `kinds`. */
export function textField(description: string, defaultValue?: string | null, kinds: readonly Kind[] = ["string"]): FieldSpec {
  return { description, kinds, schema: { type: "string" }, ...(defaultValue === undefined ? { required: true } : { default: defaultValue }) };
}

/** A string given as it is only (Roboflow's plain `Optional[str]`). */
export function literalText(description: string, defaultValue: string | null = null): FieldSpec {
  return { description, schema: { type: "string" }, default: defaultValue };
}

/** One of `values`, as it is or (with `kinds`) by a selector. */
export function choiceField(description: string, values: readonly string[], defaultValue: string, kinds: readonly Kind[] = ["string"]): FieldSpec {
  return { description, ...(kinds.length ? { kinds } : {}), schema: { enum: values }, default: defaultValue };
}

/** A model id in Roboflow's registry (any string), as it is or by a selector. */
export function modelIdField(description: string, defaultValue: string): FieldSpec {
  return { description, kinds: ["roboflow_model_id"], schema: { type: "string" }, default: defaultValue };
}

export function numberField(description: string, defaultValue: number | null, kinds: readonly Kind[] = ["float"], schema: FieldSpec["schema"] = { type: "number" }): FieldSpec {
  return { description, kinds, schema, default: defaultValue };
}

export function booleanField(description: string, defaultValue: boolean): FieldSpec {
  return { description, kinds: ["boolean"], schema: { type: "boolean" }, default: defaultValue };
}

/** A list of strings (class names, texts), as it is or by a selector. */
export function stringListField(description: string, required: boolean, kinds: readonly Kind[] = ["list_of_values"]): FieldSpec {
  return { description, kinds, schema: { type: "array", items: { type: "string" } }, ...(required ? { required: true } : { default: null }) };
}

/**
 * Detections to prompt with (boxes from another model); optional. No `default: null`: the engine
 * checks a default against the field's kinds, and null is no detections.
 */
export function promptBoxesField(description: string): FieldSpec {
  return { description, kinds: ["object_detection_prediction", "instance_segmentation_prediction", "keypoint_detection_prediction"] };
}

/** The maximum number of tokens a language model may write; the model's own when null. */
export const MAX_NEW_TOKENS: FieldSpec = { description: "Maximum number of tokens to generate; the model's default when unset.", schema: { type: "integer", minimum: 1 }, default: null };
