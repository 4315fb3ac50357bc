/** `GET /workflows/definition/schema`: the JSON Schema of the grammar with the blocks registered here. */
import type { WorkflowEngine } from "@cvflow/engine";
import type { DefinitionSchema } from "@cvflow/wire";
import { ok, type ServiceResponse } from "../http.js";

const schemas = new WeakMap<WorkflowEngine, Record<string, unknown>>();

export async function definitionSchema(engine: WorkflowEngine): Promise<ServiceResponse> {
  let schema = schemas.get(engine);
  // The grammar's JsonSchema, as the plain JSON object it is on the wire.
  if (!schema) schemas.set(engine, (schema = engine.schema() as Record<string, unknown>));
  return ok({ schema } satisfies DefinitionSchema);
}
