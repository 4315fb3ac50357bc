/**
 * Runtime inputs: parameters take their value or their default; batch-oriented inputs are
 * required, a single value counts as a batch of one, and batches of length 1 broadcast to the
 * length of the others — any other difference in length is an error. Values are turned into
 * their runtime types by the deserializer of their kind (detections, images, ...). Inputs the
 * definition does not declare are ignored.
 */
import type { DefinitionInput } from "./definition.js";
import { deserializeDetections } from "./detections-wire.js";
import { batchLengthMismatch, invalidInput, missingInput, pointerSegment } from "./errors.js";
import { inputElementId } from "./input-ids.js";
import { DETECTION_KINDS, type Kind } from "./kinds.js";
import { mapLeaves } from "./nested.js";

/** Reads one input value into its runtime type; `signal` is the run's (cancellation and deadline). */
export type InputDeserializer = (value: unknown, pointer: string, signal?: AbortSignal) => unknown;

export interface PreparedInputs {
  values: Map<string, unknown>;
  /** Length of the top-level batch; undefined when the definition has no batch-oriented input. */
  batchSize: number | undefined;
}

const BUILT_IN: Readonly<Record<Kind, InputDeserializer>> = Object.fromEntries(
  DETECTION_KINDS.map((k) => [k, (value: unknown, at: string) => deserializeDetections(value, at, inputElementId(at))]),
);

export async function prepareInputs(
  inputs: readonly DefinitionInput[],
  runtime: Readonly<Record<string, unknown>>,
  deserializers: Readonly<Record<Kind, InputDeserializer>> = {},
  signal?: AbortSignal,
): Promise<PreparedInputs> {
  if (typeof runtime !== "object" || runtime === null || Array.isArray(runtime)) {
    throw invalidInput("Inputs must be a JSON object mapping input names to values", "/inputs");
  }
  const values = new Map<string, unknown>();
  const batches: { input: DefinitionInput; value: unknown[] }[] = [];
  for (const input of inputs) {
    const at = `/inputs/${pointerSegment(input.name)}`;
    const given = runtime[input.name];
    const deserialize = deserializerFor(input.kinds, deserializers);
    if (input.dimensionality === 0) {
      const value = given === undefined ? input.defaultValue : given;
      values.set(input.name, deserialize && value !== null ? await deserialize(value, at, signal) : value);
      continue;
    }
    if (given === undefined || given === null) {
      throw missingInput(`Input "${input.name}" is required: the definition declares it as a batch-oriented input`, at, { input: input.name });
    }
    const batch = Array.isArray(given) ? given : [given];
    if (batch.length === 0) {
      throw invalidInput(`Input "${input.name}" is an empty batch: a batch-oriented input needs at least one element`, at, { input: input.name });
    }
    checkDepth(batch, input.dimensionality, at, input.name);
    const leaves: Promise<unknown>[] = [];
    const leafPointer = (index: number[]): string => `${at}${Array.isArray(given) ? index.map((i) => `/${i}`).join("") : ""}`;
    // Deserializers may be async (images fetched from URLs): collect, then await them together.
    const value = deserialize
      ? (mapLeaves(batch, input.dimensionality, (leaf, index) => {
          const slot = leaves.length;
          // A null element is an empty one: steps skip it and its outputs are null.
          leaves.push(leaf === null ? Promise.resolve(null) : Promise.resolve(deserialize(leaf, leafPointer(index), signal)));
          return slot;
        }) as unknown[])
      : batch;
    if (deserialize) {
      const resolved = await Promise.all(leaves);
      values.set(input.name, mapLeaves(value, input.dimensionality, (slot) => resolved[slot as number]));
    } else values.set(input.name, value);
    batches.push({ input, value: values.get(input.name) as unknown[] });
  }
  return { values, batchSize: broadcast(batches, values) };
}

function deserializerFor(kinds: readonly Kind[], custom: Readonly<Record<Kind, InputDeserializer>>): InputDeserializer | undefined {
  for (const kind of kinds) {
    const found = custom[kind] ?? BUILT_IN[kind];
    if (found) return found;
  }
  return undefined;
}

function checkDepth(value: unknown[], depth: number, at: string, name: string): void {
  if (depth <= 1) return;
  value.forEach((child, i) => {
    if (!Array.isArray(child)) {
      throw invalidInput(`Input "${name}" has dimensionality ${depth}: each element must be a list nested ${depth - 1} more level(s)`, `${at}/${i}`, { input: name });
    }
    checkDepth(child, depth - 1, `${at}/${i}`, name);
  });
}

function broadcast(batches: { input: DefinitionInput; value: unknown[] }[], values: Map<string, unknown>): number | undefined {
  if (batches.length === 0) return undefined;
  const size = Math.max(...batches.map((b) => b.value.length));
  const wrong = batches.filter((b) => b.value.length !== size && b.value.length !== 1);
  if (wrong.length > 0) {
    const lengths = batches.map((b) => `"${b.input.name}": ${b.value.length}`).join(", ");
    throw batchLengthMismatch(
      `Batch inputs must have the same length (or length 1, which is repeated): ${lengths}`,
      `/inputs/${pointerSegment(wrong[0]!.input.name)}`,
      { lengths: Object.fromEntries(batches.map((b) => [b.input.name, b.value.length])) },
    );
  }
  for (const b of batches) {
    if (b.value.length === 1 && size !== 1) values.set(b.input.name, new Array<unknown>(size).fill(b.value[0]));
  }
  // Deeper levels are zipped too: inputs of the same dimensionality must nest alike.
  for (const a of batches) {
    for (const b of batches) {
      if (a === b || a.input.dimensionality < 2 || b.input.dimensionality < 2) continue;
      const mismatch = firstShapeDifference(values.get(a.input.name), values.get(b.input.name), Math.min(a.input.dimensionality, b.input.dimensionality) - 1, "");
      if (mismatch !== undefined) {
        throw batchLengthMismatch(`Inputs "${a.input.name}" and "${b.input.name}" are nested differently at ${mismatch || "the top level"}`, `/inputs/${pointerSegment(a.input.name)}${mismatch}`);
      }
    }
  }
  return size;
}

function firstShapeDifference(a: unknown, b: unknown, levels: number, at: string): string | undefined {
  const x = a as unknown[];
  const y = b as unknown[];
  if (x.length !== y.length) return at;
  if (levels === 0) return undefined;
  for (let i = 0; i < x.length; i++) {
    const d = firstShapeDifference(x[i], y[i], levels - 1, `${at}/${i}`);
    if (d !== undefined) return d;
  }
  return undefined;
}
