/**
 * The aggregations of Roboflow's data_aggregator, as JSON data (a video job carries them across
 * invocations) and functions over it, with Python's semantics for the values that flow in:
 * numbers (booleans count as 0 and 1) for sum, avg, max, min and values_difference; `len()` of
 * what has one for count; list items one by one for distinct, count_distinct and values_counts.
 */
import { Detections } from "@cvflow/engine";
import { invalidField } from "../errors.js";
import { pyCompare, pyEquals, pyLen, PythonTypeError } from "../uql/python-values.js";
import { isPlainObject, pythonTypeName } from "../uql/values.js";

export const AGGREGATION_MODES = ["sum", "avg", "max", "min", "count", "distinct", "count_distinct", "values_counts", "values_difference"] as const;
export type AggregationMode = (typeof AGGREGATION_MODES)[number];

type Hashable = string | number | boolean | null;

export type Aggregate =
  | { mode: "sum"; sum: number }
  | { mode: "avg"; sum: number; n: number }
  | { mode: "max" | "min"; value: number | boolean | string | null }
  | { mode: "count"; count: number }
  | { mode: "distinct" | "count_distinct"; values: Hashable[] }
  | { mode: "values_counts"; counts: Record<string, number> }
  | { mode: "values_difference"; min: number | null; max: number | null };

export function newAggregate(mode: AggregationMode): Aggregate {
  switch (mode) {
    case "sum":
      return { mode, sum: 0 };
    case "avg":
      return { mode, sum: 0, n: 0 };
    case "max":
    case "min":
      return { mode, value: null };
    case "count":
      return { mode, count: 0 };
    case "distinct":
    case "count_distinct":
      return { mode, values: [] };
    case "values_counts":
      return { mode, counts: {} };
    case "values_difference":
      return { mode, min: null, max: null };
  }
}

function refuse(name: string, mode: AggregationMode, expected: string, value: unknown): never {
  throw invalidField(`data_aggregator's ${mode} of "${name}" needs ${expected}, got ${pythonTypeName(value)}`);
}

function numeric(name: string, mode: AggregationMode, value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return Number(value);
  return refuse(name, mode, "a number", value);
}

function hashable(name: string, mode: AggregationMode, value: unknown): Hashable {
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) return value as Hashable;
  return refuse(name, mode, "a string, number, boolean or null (or a list of them)", value);
}

/** A list gives its items one by one; anything else is one value. */
const itemsOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** The key Python's json.dumps writes for a dict key: strings as they are, others as JSON. */
const countKey = (value: Hashable): string => (typeof value === "string" ? value : JSON.stringify(value));

/** Adds `value` (the variable `name`'s value in this run) to `state`. */
export function aggregate(state: Aggregate, name: string, value: unknown): void {
  switch (state.mode) {
    case "sum":
      state.sum += numeric(name, state.mode, value);
      return;
    case "avg":
      state.sum += numeric(name, state.mode, value);
      state.n += 1;
      return;
    case "max":
    case "min": {
      if (typeof value !== "number" && typeof value !== "boolean" && typeof value !== "string") refuse(name, state.mode, "a number or a string", value);
      if (state.value === null) {
        state.value = value;
        return;
      }
      try {
        const order = pyCompare(value, state.value);
        if (state.mode === "max" ? order > 0 : order < 0) state.value = value;
      } catch (error) {
        if (error instanceof PythonTypeError) throw invalidField(`data_aggregator's ${state.mode} of "${name}": ${error.message}`);
        throw error;
      }
      return;
    }
    case "count":
      // Python's hasattr(value, "__len__"): strings, lists, dicts and detections add their length.
      state.count += typeof value === "string" || Array.isArray(value) || isPlainObject(value) || value instanceof Detections ? pyLen(value) : 1;
      return;
    case "distinct":
    case "count_distinct":
      for (const item of itemsOf(value)) {
        const v = hashable(name, state.mode, item);
        if (!state.values.some((seen) => pyEquals(seen, v))) state.values.push(v);
      }
      return;
    case "values_counts":
      for (const item of itemsOf(value)) {
        const key = countKey(hashable(name, state.mode, item));
        state.counts[key] = (state.counts[key] ?? 0) + 1;
      }
      return;
    case "values_difference": {
      const v = numeric(name, state.mode, value);
      state.min = state.min === null ? v : Math.min(state.min, v);
      state.max = state.max === null ? v : Math.max(state.max, v);
      return;
    }
  }
}

/** What the aggregate gives at the end of an interval (null where nothing came in, as Roboflow's). */
export function aggregateResult(state: Aggregate): unknown {
  switch (state.mode) {
    case "sum":
      return state.sum;
    case "avg":
      return state.n > 0 ? state.sum / state.n : null;
    case "max":
    case "min":
      return state.value;
    case "count":
      return state.count;
    case "distinct":
      return [...state.values];
    case "count_distinct":
      return state.values.length;
    case "values_counts":
      return { ...state.counts };
    case "values_difference":
      return state.min === null ? null : state.max! - state.min;
  }
}
