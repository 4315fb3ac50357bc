/**
 * Parameter values against the fields they feed, before anything runs. A value that reaches a
 * field through `$inputs.x` must pass what the same value written as a literal would: the kinds'
 * JSON form and the field's own schema (enums, ranges, patterns). A null — sent explicitly, or a
 * parameter omitted without `default_value` — reaches the field as null, as in the grammar's
 * reference implementation: a field that does not take null (one with a non-null default, or a
 * required one) refuses it rather than silently using the block's default. As an item of a list
 * or object, null is passed on, as there.
 */
import type { FieldSpec } from "./block.js";
import type { DefinitionInput } from "./definition.js";
import { invalidInput, missingInput, pointerSegment } from "./errors.js";
import { validateJson, type JsonSchema } from "./json-schema.js";
import { KIND_JSON_SCHEMAS } from "./kinds.js";
import type { Binding, ParameterCheck, PlanStep } from "./plan.js";

/** Every place a dimensionless parameter feeds a field, directly or as an item of a list or object. */
export function parameterChecks(steps: readonly PlanStep[], inputs: ReadonlyMap<string, DefinitionInput>): ParameterCheck[] {
  const checks: ParameterCheck[] = [];
  for (const step of steps) {
    for (const [field, binding] of step.fields) {
      const spec = step.manifest.fields[field]!;
      const kindSchemas = (spec.kinds ?? []).map((k) => KIND_JSON_SCHEMAS[k]);
      const typed = kindSchemas.length > 0 && kindSchemas.every((s) => s !== undefined);
      for (const { name, pointer, item } of parameterReferences(binding, `${step.pointer}/${pointerSegment(field)}`)) {
        if (inputs.get(name)!.dimensionality !== 0) continue;
        checks.push({
          input: name,
          step: step.name,
          field,
          fieldPointer: pointer,
          // Fields with a kind that has no JSON form (images, detections) are checked by their coercions.
          schemas: typed ? (kindSchemas as JsonSchema[]) : undefined,
          fieldSchema: typed ? spec.schema : undefined,
          kinds: spec.kinds ?? [],
          required: spec.required === true,
          // An item of a list or object is null as Roboflow passes it on (its default is the whole field's).
          nullable: item || acceptsNull(spec),
        });
      }
    }
  }
  return checks;
}

/** A field takes null when it is optional with nothing (or null) as its default, or its schema says so. */
function acceptsNull(spec: FieldSpec): boolean {
  if (!spec.required && (spec.default === undefined || spec.default === null)) return true;
  return spec.schema !== undefined && validateJson(null, spec.schema).length === 0;
}

function* parameterReferences(binding: Binding, pointer: string, item = false): Generator<{ name: string; pointer: string; item: boolean }> {
  if (binding.t === "input") yield { name: binding.name, pointer, item };
  else if (binding.t === "list") for (const [i, b] of binding.items.entries()) yield* parameterReferences(b, `${pointer}/${i}`, true);
  else if (binding.t === "dict") for (const [k, b] of binding.entries) yield* parameterReferences(b, `${pointer}/${pointerSegment(k)}`, true);
}

export function checkParameters(checks: readonly ParameterCheck[], values: ReadonlyMap<string, unknown>, runtime: Readonly<Record<string, unknown>>): void {
  for (const check of checks) {
    const { input, step, field, fieldPointer } = check;
    const value = values.get(input);
    const at = `/inputs/${pointerSegment(input)}`;
    const details = { input, step, property: field, field_pointer: fieldPointer };
    if (value === null || value === undefined) {
      if (check.nullable) continue;
      if (runtime[input] === undefined) {
        const why = check.required ? "needs it" : "does not take null";
        throw missingInput(`Input "${input}" is required: it has no default_value, and step "${step}" ${why} for "${field}" (${fieldPointer})`, at, details);
      }
      throw invalidInput(`Input "${input}" is null, but step "${step}" does not take null for "${field}" (${fieldPointer})`, at, details);
    }
    if (check.schemas && !check.schemas.some((schema) => validateJson(value, schema, at).length === 0)) {
      throw invalidInput(
        `Input "${input}" must be ${check.kinds.join(" or ")} (step "${step}" takes it as "${field}", ${fieldPointer}), got ${JSON.stringify(value) ?? String(value)}`,
        at,
        details,
      );
    }
    const problem = check.fieldSchema ? validateJson(value, check.fieldSchema, at)[0] : undefined;
    if (problem) {
      const where = problem.pointer === at ? "" : ` at ${problem.pointer.slice(at.length)}`;
      throw invalidInput(
        `Input "${input}" does not fit step "${step}"'s field "${field}" (${fieldPointer})${where}: ${problem.message}`,
        at,
        details,
      );
    }
  }
}
