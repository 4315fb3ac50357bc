/**
 * Runtime kind checks for kinds with a runtime type. A selector's kinds are checked at compile
 * time, but a parameter of kind `*` can still carry anything: a field whose every kind has a
 * runtime check gets a value of one of those kinds (converted where the kind allows, e.g. wire
 * JSON read into Detections) or a 400 naming the step and field — never a block tripping over a
 * string. Detections are checked here; other packages plug checks in (images, from vision).
 */
import { isRecord } from "@cvflow/wire";
import type { FieldSpec } from "./block.js";
import { Detections } from "./detections.js";
import { deserializeDetections } from "./detections-wire.js";
import { invalidInputKind } from "./errors.js";
import { DETECTION_KINDS, type Kind } from "./kinds.js";

export const NOT_OF_KIND: unique symbol = Symbol("not of kind");

/** The value as the kind's runtime type, or NOT_OF_KIND. May throw a WorkflowError saying what is wrong with it. */
export type KindCheck = (value: unknown) => unknown;

export type Coercion = (value: unknown) => unknown;

function detectionsCheck(value: unknown): unknown {
  if (value instanceof Detections) return value;
  if (isRecord(value) && Array.isArray(value["predictions"])) {
    return deserializeDetections(value);
  }
  return NOT_OF_KIND;
}

export const BUILT_IN_KIND_CHECKS: Readonly<Record<Kind, KindCheck>> = Object.fromEntries(DETECTION_KINDS.map((k) => [k, detectionsCheck]));

/**
 * `acceptsEmpty`: the block takes null where an input was skipped; otherwise null is refused too,
 * except in an optional field, where null (or nothing) is the field not given.
 */
export function fieldCoercion(step: string, field: string, spec: FieldSpec, acceptsEmpty: boolean, checks: Readonly<Record<Kind, KindCheck>>): Coercion | undefined {
  const kinds = spec.kinds;
  if (!kinds || kinds.length === 0) return undefined;
  const applicable = kinds.map((k) => checks[k]);
  if (applicable.some((c) => c === undefined)) return undefined; // some accepted kind has no runtime type to check
  const unique = [...new Set(applicable as KindCheck[])];
  const one = (value: unknown): unknown => {
    if ((value === null || value === undefined) && (acceptsEmpty || !spec.required)) return value;
    for (const check of unique) {
      let converted: unknown;
      try {
        converted = check(value);
      } catch (error) {
        throw invalidInputKind(step, field, kinds, (error as Error).message);
      }
      if (converted !== NOT_OF_KIND) return converted;
    }
    throw invalidInputKind(step, field, kinds, `got ${value === null || value === undefined ? "nothing" : Array.isArray(value) ? "a list" : typeof value}`);
  };
  const shaped: Coercion =
    spec.shape === "list"
      ? (v) => (Array.isArray(v) ? v.map(one) : one(v))
      : spec.shape === "dict"
        ? (v) => (v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, one(x)])) : one(v))
        : one;
  // A field read one level deeper receives the list of an element's children; skipped ones are null.
  return spec.dimensionOffset === 1 ? (v) => (Array.isArray(v) ? v.map((child) => (child === null ? null : shaped(child))) : shaped(v)) : shaped;
}
