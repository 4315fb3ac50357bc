/**
 * The fields of a management call come from its JSON body and from its query string: Roboflow's
 * management API takes them either way (its doc lists createWorkflow's `name`, `url`, `config` and
 * `template` as query parameters, and its Python SDK sends them there), and so does every
 * management call here. A field given in both places is the body's: the body is the typed form.
 * Query values are text: a field its request schema declares boolean or integer is read from
 * `true`/`false` or decimal digits (other text stays text, which the field's reader refuses by
 * name). `config` in the query is the JSON text of the definition, read as that string form is in
 * a body, JSON depth limit included.
 */
import { bodyObject, optionalString, type Fields } from "./body.js";
import { invalidRequest } from "./errors.js";
import type { ServiceRequest } from "./http.js";
import type { OpenApiOperation, Schema } from "./openapi-types.js";
import { COMPONENTS } from "./schemas.js";

export type ManagementRequest = "CreateWorkflowRequest" | "UpdateWorkflowRequest" | "ForkWorkflowRequest" | "DeleteWorkflowRequest" | "RestoreWorkflowRequest" | "TokenRequest";

export function managementFields(request: ServiceRequest, schema: ManagementRequest): Fields {
  const properties = propertiesOf(schema);
  const fromQuery: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(request.query)) fromQuery[name] = fromText(text, properties[name]?.["type"]);
  return { ...fromQuery, ...bodyObject(request.body) };
}

/**
 * The workflow a call names: `url`, or `id` as Roboflow's clients send it (its updateWorkflow sends
 * both; its trash restore sends `id`). A workflow's id is its url here, so both must agree.
 */
export function namedWorkflow(fields: Fields): string {
  const url = optionalString(fields, "url");
  const id = optionalString(fields, "id");
  if (url !== undefined && id !== undefined && url !== id) {
    throw invalidRequest(`"id" and "url" name different workflows (${JSON.stringify(id)}, ${JSON.stringify(url)}): a workflow's id is its url, which cannot be changed`, { field: "id" });
  }
  const named = url ?? id;
  if (named === undefined) throw invalidRequest(`"url" is required (or "id", the same)`, { field: "url" });
  return named;
}

/** The query parameters OpenAPI lists for a management call: its request schema's fields but the credential (documented with security). */
export function managementQuery(schema: ManagementRequest): NonNullable<OpenApiOperation["query"]> {
  const query: NonNullable<OpenApiOperation["query"]> = {};
  for (const [name, property] of Object.entries(propertiesOf(schema))) {
    if (name === "api_key") continue;
    const type = property["type"] === "boolean" || property["type"] === "integer" ? property["type"] : "string";
    const about = typeof property["description"] === "string" ? `${property["description"]} ` : "";
    query[name] = { schema: { type }, description: `${about}Also accepted in the JSON body, whose value wins.` };
  }
  return query;
}

function propertiesOf(schema: ManagementRequest): Record<string, Schema> {
  return (COMPONENTS[schema] as { properties: Record<string, Schema> }).properties;
}

function fromText(text: string, type: unknown): unknown {
  if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
  if (type === "integer" && /^-?\d{1,15}$/.test(text)) return Number(text);
  return text;
}
