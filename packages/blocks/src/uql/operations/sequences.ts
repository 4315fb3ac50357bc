/** Sequence operations: mapping, applying a chain to each element, aggregating, counting, joining. */
import { guarded, invalidOperationInput, operationFailed } from "../../errors.js";
import { defineOperation, type OperationDefinition } from "../operation-spec.js";
import { PythonTypeError, pyCompare, pyIterate, pyLen, pyLookup, pyStr } from "../python-values.js";
import { operationRef } from "../schema-refs.js";
import { isPlainObject, pythonTypeName } from "../values.js";

const sequenceMap = defineOperation<{ lookup_table: Record<string, unknown> }>({
  type: "SequenceMap",
  description: "Replaces each element of a sequence by its entry in lookup_table.",
  properties: { lookup_table: { type: "object" } },
  required: ["lookup_table"],
  compile: ({ lookup_table }, { at }) => (value) =>
    guarded("SequenceMap", at, "a sequence of lookup_table keys", value, () =>
      pyIterate(value).map((element) => {
        const hit = pyLookup(lookup_table, element);
        if (!hit.found) {
          throw invalidOperationInput("SequenceMap", at, `elements among the lookup_table keys ${pyStr(Object.keys(lookup_table))}`, element);
        }
        return hit.value;
      }),
    ),
});

const sequenceApply = defineOperation<{ operations: OperationDefinition[] }>({
  type: "SequenceApply",
  description: "Applies a chain of operations to each element of a sequence.",
  properties: { operations: { type: "array", items: operationRef } },
  required: ["operations"],
  compile: ({ operations }, { at, compileChain }) => {
    const chain = compileChain(operations, `${at}/operations`);
    return (value, globals) =>
      guarded("SequenceApply", at, "a sequence", value, () => pyIterate(value)).map((element) => chain(element, globals));
  },
});

function sum(items: unknown[]): number {
  return items.reduce<number>((total, item) => {
    if (typeof item !== "number" && typeof item !== "boolean") {
      throw new PythonTypeError(`unsupported operand type(s) for +: 'int' and '${pythonTypeName(item)}'`);
    }
    return total + Number(item);
  }, 0);
}

/** Python min/max: the first element no other is smaller (greater) than. */
function extreme(items: unknown[], sign: 1 | -1): unknown {
  return items.reduce((best, item) => (sign * pyCompare(item, best) < 0 ? item : best));
}

const numericSequenceAggregate = defineOperation<{ function: "min" | "max" | "sum"; neutral_value: unknown }>({
  type: "NumericSequenceAggregate",
  description: "min, max or sum of a sequence; neutral_value for an empty one.",
  properties: { function: { enum: ["min", "max", "sum"] }, neutral_value: { default: null } },
  required: ["function"],
  compile: ({ function: fn, neutral_value }, { at }) => (value) =>
    guarded("NumericSequenceAggregate", at, "a sequence of numbers", value, () => {
      if (pyLen(value) === 0) return neutral_value;
      const items = pyIterate(value);
      return fn === "sum" ? sum(items) : extreme(items, fn === "min" ? 1 : -1);
    }),
});

/** Python's hash equality: 1, 1.0 and True are one key. */
function hashKey(value: unknown): unknown {
  if (typeof value === "number" || typeof value === "boolean") return `n:${Number(value)}`;
  if (typeof value === "string") return `s:${value}`;
  if (value === null || value === undefined) return "None";
  if (Array.isArray(value) || isPlainObject(value)) throw new PythonTypeError(`unhashable type: '${pythonTypeName(value)}'`);
  return value;
}

/** Elements by count, most common first; equal counts keep first-seen order (Python's Counter). */
function byFrequency(items: unknown[]): unknown[] {
  const counts = new Map<unknown, { value: unknown; count: number }>();
  for (const item of items) {
    const key = hashKey(item);
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else counts.set(key, { value: item, count: 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count).map((e) => e.value);
}

const sequenceAggregate = defineOperation<{ mode: "first" | "last" | "most_common" | "least_common" }>({
  type: "SequenceAggregate",
  description: "The first, last, most common or least common element of a sequence.",
  properties: { mode: { enum: ["first", "last", "most_common", "least_common"] } },
  required: ["mode"],
  compile: ({ mode }, { at }) => (value) =>
    guarded("SequenceAggregate", at, "a list or string", value, () => {
      if (pyLen(value) < 1) throw invalidOperationInput("SequenceAggregate", at, "a non-empty sequence", value);
      if (!Array.isArray(value) && typeof value !== "string") {
        throw invalidOperationInput("SequenceAggregate", at, "a list or string", value);
      }
      const items = pyIterate(value);
      const ordered = mode === "first" || mode === "last" ? items : byFrequency(items);
      return mode === "first" || mode === "most_common" ? ordered[0] : ordered[ordered.length - 1];
    }),
});

const sequenceLength = defineOperation({
  type: "SequenceLength",
  description: "Python len(): of detections, a list, a string or a dictionary.",
  compile: (_, { at }) => (value) => guarded("SequenceLength", at, "a value with a length", value, () => pyLen(value)),
});

const sequenceElementsCount = defineOperation({
  type: "SequenceElementsCount",
  description: "How many times each element occurs, keyed by the element's text.",
  compile: (_, { at }) => (value) =>
    guarded("SequenceElementsCount", at, "a sequence", value, () => {
      const counts: Record<string, number> = {};
      for (const element of pyIterate(value)) {
        const key = pyStr(element);
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return counts;
    }),
});

const MAX_JOINED_LENGTH = 1_000_000;

const sequenceJoin = defineOperation<{ separator: string }>({
  type: "SequenceJoin",
  description: "Joins the text of each element with the separator.",
  properties: { separator: { type: "string", default: ", " } },
  compile: ({ separator }, { at }) => (value) => {
    const parts = guarded("SequenceJoin", at, "a sequence", value, () => pyIterate(value)).map((v) => pyStr(v));
    const codePoints = (s: string) => [...s].length;
    const length = parts.reduce((n, p) => n + codePoints(p), 0) + Math.max(0, parts.length - 1) * codePoints(separator);
    if (length > MAX_JOINED_LENGTH) {
      throw operationFailed("SequenceJoin", at, `the joined text would have ${length} characters, more than the ${MAX_JOINED_LENGTH} allowed`);
    }
    return parts.join(separator);
  },
});

export const sequenceOperations = [
  sequenceMap,
  sequenceApply,
  numericSequenceAggregate,
  sequenceAggregate,
  sequenceLength,
  sequenceElementsCount,
  sequenceJoin,
];
