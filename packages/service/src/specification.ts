/**
 * A workflow's `config` as clients send it: the JSON string of `{"specification": …}` (what the
 * management API the product follows sends), that object itself, or a bare specification.
 */
import { checkJsonTextDepth } from "@cvflow/engine";
import { isRecord, unwrapSpecification } from "@cvflow/wire";
import { invalidConfig } from "./errors.js";

export function specificationOf(config: unknown): Record<string, unknown> {
  let value = config;
  if (typeof value === "string") {
    checkJsonTextDepth(value, '"config"');
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw invalidConfig(`"config" is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!isRecord(value)) throw invalidConfig(`"config" must be a workflow definition: {"specification": {…}} or the specification itself`);
  const { definition } = unwrapSpecification(value);
  // value is an object, so only a wrapper can hold something else
  if (!isRecord(definition)) throw invalidConfig(`"config.specification" must be a JSON object`);
  return definition;
}
