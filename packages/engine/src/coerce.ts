/**
 * Runtime kind checks for kinds with a runtime type. A selector's kinds are checked at compile
 * time, but a parameter of kind `*` can still carry anything: a field that accepts only
 * detections gets Detections (wire JSON is read into them) or a 400 naming the step and field —
 * never a block tripping over a string.
 */
import type { FieldSpec } from "./block.js";
import { Detections } from "./detections.js";
import { deserializeDetections } from "./detections-wire.js";
import { WorkflowError } from "./errors.js";
import { DETECTION_KINDS } from "./kinds.js";

export type Coercion = (value: unknown) => unknown;

/** `acceptsEmpty`: the block takes null where an input was skipped; otherwise null is refused too. */
export function fieldCoercion(step: string, field: string, spec: FieldSpec, acceptsEmpty: boolean): Coercion | undefined {
  const kinds = spec.kinds;
  if (!kinds || kinds.length === 0 || !kinds.every((k) => DETECTION_KINDS.includes(k))) return undefined;
  const one = (value: unknown): unknown => {
    if (value instanceof Detections || ((value === null || value === undefined) && acceptsEmpty)) return value;
    if (typeof value === "object" && value !== null && !Array.isArray(value) && Array.isArray((value as { predictions?: unknown }).predictions)) {
      try {
        return deserializeDetections(value);
      } catch (error) {
        throw refuse(step, field, kinds, (error as Error).message);
      }
    }
    throw refuse(step, field, kinds, `got ${value === null || value === undefined ? "nothing" : Array.isArray(value) ? "a list" : typeof value}`);
  };
  const shaped: Coercion =
    spec.shape === "list"
      ? (v) => (Array.isArray(v) ? v.map(one) : one(v))
      : spec.shape === "dict"
        ? (v) => (v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, one(x)])) : one(v))
        : one;
  // A field read one level deeper receives the list of an element's children.
  return spec.dimensionOffset === 1 ? (v) => (Array.isArray(v) ? v.map(shaped) : shaped(v)) : shaped;
}

function refuse(step: string, field: string, kinds: readonly string[], why: string): WorkflowError {
  return new WorkflowError("invalid_input_kind", `Step "${step}": "${field}" expects ${kinds.join(" or ")}, ${why}`, 400, { step, property: field });
}
