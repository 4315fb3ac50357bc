/** `GET /workflows/definition/schema`: the JSON Schema of the grammar with the blocks registered here. */
import type { WorkflowEngine } from "@cvflow/engine";
import { ok, type ServiceResponse } from "../http.js";

const schemas = new WeakMap<WorkflowEngine, unknown>();

export async function definitionSchema(engine: WorkflowEngine): Promise<ServiceResponse> {
  let schema = schemas.get(engine);
  if (!schema) schemas.set(engine, (schema = engine.schema()));
  return ok({ schema });
}
