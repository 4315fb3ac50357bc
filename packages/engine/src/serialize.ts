/**
 * Runtime values -> the grammar's JSON wire format. Detections are built in; other runtime
 * types (images, from the vision package) plug in a ValueSerializer, which may be async (image
 * encoding is). Values with nothing async in them are serialized without waiting on anything.
 */
import { Detections } from "./detections.js";
import { serializeDetections } from "./detections-wire.js";
import { Secret, SECRET_MASK } from "./secret.js";

export interface SerializeOptions {
  coordinatesSystem: "parent" | "own";
}

/** Returns the JSON form of values it knows (or a promise of it), `undefined` for the others. */
export type ValueSerializer = (value: object, options: SerializeOptions) => unknown;

export async function serializeValue(value: unknown, options: SerializeOptions, serializers: readonly ValueSerializer[] = []): Promise<unknown> {
  // Async parts write into their place as they finish; a finished part may start more.
  const pending: Promise<void>[] = [];
  let result: unknown;
  result = convert(value, options, serializers, pending, (v) => (result = v));
  while (pending.length > 0) await Promise.all(pending.splice(0));
  return result;
}

function convert(value: unknown, options: SerializeOptions, serializers: readonly ValueSerializer[], pending: Promise<void>[], set: (v: unknown) => void): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value !== "object") return value;
  if (value instanceof Detections) return serializeDetections(value, { toRootCoordinates: options.coordinatesSystem === "parent" });
  // A secret never leaves the run: an output wired to one shows the mask.
  if (value instanceof Secret) return SECRET_MASK;
  for (const serializer of serializers) {
    const out = serializer(value, options);
    if (out instanceof Promise) {
      pending.push(out.then((v) => set(convert(v, options, serializers, pending, set))));
      return null;
    }
    if (out !== undefined) return convert(out, options, serializers, pending, set);
  }
  if (Array.isArray(value) || value instanceof Set) {
    const items = [...value];
    const arr = new Array<unknown>(items.length);
    items.forEach((item, i) => (arr[i] = convert(item, options, serializers, pending, (v) => (arr[i] = v))));
    return arr;
  }
  if (value instanceof Date) return value.toISOString();
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  const obj: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) obj[k] = convert(v, options, serializers, pending, (x) => (obj[k] = x));
  }
  return obj;
}
