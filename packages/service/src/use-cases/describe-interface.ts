/**
 * What a workflow takes and gives: input and output names with their kinds, the JSON type of each
 * kind, and the JSON Schema of the kinds that have one — for an inline specification, or for a
 * saved workflow.
 */
import { KIND_JSON_SCHEMAS, WILDCARD_KIND, type CompiledWorkflow, type Kind } from "@cvflow/engine";
import type { InterfaceDescription } from "@cvflow/wire";
import type { Principal } from "../auth.js";
import { bodyObject } from "../body.js";
import type { ServiceContext } from "../context.js";
import { invalidRequest } from "../errors.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";
import { savedPlan, withInnerWorkflows } from "../inner-workflows.js";
import { accessibleWorkflow } from "../workflow-access.js";

/** JSON types of kinds whose values have no JSON Schema here (their runtime form is richer). */
const SERIALISED_TYPES: Readonly<Record<Kind, string>> = {
  [WILDCARD_KIND]: "any",
  image: "object",
  video_metadata: "object",
  object_detection_prediction: "object",
  instance_segmentation_prediction: "object",
  keypoint_detection_prediction: "object",
  classification_prediction: "object",
  detection: "object",
  image_metadata: "object",
  image_keypoints: "array",
  contours: "array",
  numpy_array: "array",
  serialised_payloads: "array",
  bytes: "string",
  timestamp: "string",
  inference_id: "string",
  parent_id: "string",
  prediction_type: "string",
  rgb_color: "string",
  secret: "string",
  language_model_output: "string",
};

/** The JSON type of a kind's values: from its schema, else the table above, else "any". */
export function serialisedType(kind: Kind): string {
  const type = KIND_JSON_SCHEMAS[kind]?.type;
  if (typeof type === "string") return type;
  return SERIALISED_TYPES[kind] ?? "any";
}

export function describePlan(plan: CompiledWorkflow): InterfaceDescription {
  const inputs = Object.fromEntries(plan.inputs.map((input) => [input.name, [...input.kinds]]));
  const outputs = Object.fromEntries(plan.outputs.map((output) => [output.name, [...output.kinds]]));
  const kinds = [...new Set([...Object.values(inputs), ...Object.values(outputs)].flat())].sort();
  return {
    inputs,
    outputs,
    typing_hints: Object.fromEntries(kinds.map((kind) => [kind, serialisedType(kind)])),
    kinds_schemas: Object.fromEntries(kinds.flatMap((kind) => (KIND_JSON_SCHEMAS[kind] ? [[kind, KIND_JSON_SCHEMAS[kind]]] : []))),
  };
}

export async function describeInlineInterface(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const specification = bodyObject(request.body)["specification"];
  if (specification === undefined || specification === null) throw invalidRequest(`"specification" is required`, { field: "specification" });
  // Open to anyone: it includes public saved workflows only.
  return ok(describePlan(ctx.engine.compile(await withInnerWorkflows(ctx, { type: "anonymous" }, specification))));
}

export async function describeSavedInterface(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const { workspace = "", workflow_id: url = "" } = request.pathParameters;
  const saved = await accessibleWorkflow(ctx, principal, workspace, url, "workflow:read", { token: false, useCache: true });
  return ok(describePlan(await savedPlan(ctx, saved)));
}
