/**
 * Runtime values -> the grammar's JSON wire format. Detections are built in; other runtime
 * types (images, from the vision package) plug in a ValueSerializer.
 */
import { Detections } from "./detections.js";
import { serializeDetections } from "./detections-wire.js";

export interface SerializeOptions {
  coordinatesSystem: "parent" | "own";
}

/** Returns the JSON form of values it knows, `undefined` for the others. */
export type ValueSerializer = (value: object, options: SerializeOptions, serialize: (value: unknown) => unknown) => unknown;

export function serializeValue(value: unknown, options: SerializeOptions, serializers: readonly ValueSerializer[] = []): unknown {
  const recurse = (v: unknown): unknown => serializeValue(v, options, serializers);
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value !== "object") return value;
  if (value instanceof Detections) return serializeDetections(value, { toRootCoordinates: options.coordinatesSystem === "parent" });
  for (const serializer of serializers) {
    const out = serializer(value, options, recurse);
    if (out !== undefined) return out;
  }
  if (Array.isArray(value)) return value.map(recurse);
  if (value instanceof Set) return [...value].map(recurse);
  if (value instanceof Date) return value.toISOString();
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = recurse(v);
  return out;
}
