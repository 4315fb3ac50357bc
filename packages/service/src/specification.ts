/**
 * A workflow's `config` as clients send it: the JSON string of `{"specification": …}` (what the
 * management API the product follows sends), that object itself, or a bare specification.
 */
import { checkJsonTextDepth } from "@cvflow/engine";
import { isObject } from "./body.js";
import { badRequest } from "./errors.js";

export function specificationOf(config: unknown): Record<string, unknown> {
  let value = config;
  if (typeof value === "string") {
    checkJsonTextDepth(value, '"config"');
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw badRequest("invalid_config", `"config" is not valid JSON: ${(error as Error).message}`, { field: "config" });
    }
  }
  if (!isObject(value)) throw badRequest("invalid_config", `"config" must be a workflow definition: {"specification": {…}} or the specification itself`, { field: "config" });
  const wrapped = value["specification"];
  if (wrapped === undefined || "steps" in value) return value; // as the engine reads definitions
  if (!isObject(wrapped)) throw badRequest("invalid_config", `"config.specification" must be a JSON object`, { field: "config" });
  return wrapped;
}
