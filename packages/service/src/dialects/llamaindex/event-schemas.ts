/**
 * `GET /workflows/{name}/schema`: their start and stop events' JSON Schemas, for a saved
 * workflow — its inputs as the StartEvent's fields (images required, as cvflow's image input
 * `{type, value}`; parameters optional), its outputs as the fields of each object in the
 * StopEvent's `result` (one per input image). A field's schema is its kind's JSON Schema, else
 * its JSON type (describe_interface's `typing_hints`), else anything; `x-cvflow-kinds` names the kinds.
 */
import { KIND_JSON_SCHEMAS, WILDCARD_KIND, type Kind } from "@cvflow/engine";
import type { Principal } from "../../auth.js";
import type { ServiceContext } from "../../context.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../../http.js";
import type { Schema } from "../../openapi-types.js";
import { callerWorkspace } from "../../run-access.js";
import { serialisedType } from "../../use-cases/describe-interface.js";
import { accessibleWorkflow } from "../../workflow-access.js";

const IMAGE_INPUT: Schema = {
  type: "object",
  properties: { type: { enum: ["base64", "url", "s3"] }, value: { type: "string" } },
  required: ["type", "value"],
};

export async function workflowEventSchemas(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const name = request.pathParameters["name"] ?? "";
  const saved = await accessibleWorkflow(ctx, principal, callerWorkspace(principal), name, "workflow:read", { token: false, useCache: true });
  const plan = saved.plan();
  const start: Schema = {
    title: "StartEvent",
    type: "object",
    properties: Object.fromEntries(plan.inputs.map((input) => [input.name, input.type === "image" ? { ...IMAGE_INPUT, "x-cvflow-kinds": input.kinds } : kindsSchema(input.kinds)])),
    // As the engine reads inputs: a batch-oriented one (an image) must be given, a parameter falls back to its default (or null).
    required: plan.inputs.filter((input) => input.dimensionality > 0).map((input) => input.name),
  };
  const stop: Schema = {
    title: "StopEvent",
    type: "object",
    properties: {
      result: {
        type: "array",
        description: "The outputs: one object per input image.",
        items: { type: "object", properties: Object.fromEntries(plan.outputs.map((output) => [output.name, kindsSchema(output.kinds)])) },
      },
    },
  };
  return ok({ start, stop });
}

function kindsSchema(kinds: readonly Kind[]): Schema {
  const each = kinds.map(kindSchema);
  // A kind that may be anything makes the field anything.
  const schema = each.length === 0 || each.includes(ANYTHING) ? {} : each.length === 1 ? each[0]! : { anyOf: each };
  return { ...schema, "x-cvflow-kinds": [...kinds] };
}

const ANYTHING: Schema = {};

function kindSchema(kind: Kind): Schema {
  const known = KIND_JSON_SCHEMAS[kind];
  if (known) return { ...known };
  const type = serialisedType(kind);
  return kind === WILDCARD_KIND || type === "any" ? ANYTHING : { type };
}
