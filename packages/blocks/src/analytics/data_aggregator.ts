/**
 * Data Aggregator (v1): collects named values over an interval of runs or of wall-clock time and,
 * at its end, gives each `{name}_{mode}` aggregate (data-aggregation.ts) and starts afresh; every
 * other run gives null for each. Like Roboflow's, whose block instance keeps one state, it keeps
 * one per step across videos (it takes no image), and measures time intervals on the wall clock
 * from the step's first run.
 */
import { defineBlock, type OutputSpec } from "@cvflow/engine";
import { ALL_VIDEOS, stepState } from "../video/step-state.js";
import { unknownOperationTargets, variablesWithOperations, type DataOperations } from "../formatters/variables.js";
import { operationsListSchema } from "../uql/schema-refs.js";
import { isPlainObject } from "../uql/values.js";
import { aggregate, aggregateResult, AGGREGATION_MODES, newAggregate, type Aggregate, type AggregationMode } from "./data-aggregation.js";

const INTERVAL_UNITS = ["seconds", "minutes", "hours", "runs"] as const;
type IntervalUnit = (typeof INTERVAL_UNITS)[number];
const UNIT_SECONDS: Record<Exclude<IntervalUnit, "runs">, number> = { seconds: 1, minutes: 60, hours: 3600 };

type AggregationModes = Readonly<Record<string, readonly AggregationMode[]>>;

interface AggregatorState {
  /** Runs since the interval began. */
  runs: number;
  /** Wall-clock milliseconds when the interval began. */
  startedAt: number;
  /** By output name, `{name}_{mode}`. */
  aggregates: Record<string, Aggregate>;
}

/** The outputs, `{name}_{mode}` for each data name and each of its modes, in that order. */
function aggregateOutputs(dataNames: readonly string[], modes: AggregationModes): { output: string; name: string; mode: AggregationMode }[] {
  return dataNames.flatMap((name) => (modes[name] ?? []).map((mode) => ({ output: `${name}_${mode}`, name, mode })));
}

function outputKinds(mode: AggregationMode): OutputSpec["kinds"] {
  if (mode === "distinct") return ["list_of_values"];
  if (mode === "values_counts") return ["dictionary"];
  return ["float", "integer"];
}

export const dataAggregatorBlock = defineBlock<{
  data: Record<string, unknown>;
  data_operations: DataOperations;
  aggregation_mode: AggregationModes;
  interval_unit: IntervalUnit;
  interval: number;
}>({
  manifest: {
    type: "roboflow_core/data_aggregator@v1",
    name: "Data Aggregator",
    description: "Aggregate workflow data to produce time-based statistics.",
    family: "analytics",
    stateful: true,
    fields: {
      data: { description: "Named values to aggregate, e.g. {\"count\": \"$steps.counter.count_in\"}.", shape: "dict", kinds: ["*"], required: true },
      data_operations: {
        description: "Operations applied to data values (by name) before they are aggregated.",
        schema: { type: "object", additionalProperties: operationsListSchema },
        default: {},
      },
      aggregation_mode: {
        description: "For each data name, its aggregations: each gives an output {name}_{mode}.",
        schema: { type: "object", additionalProperties: { type: "array", items: { enum: [...AGGREGATION_MODES] } } },
        required: true,
      },
      interval_unit: {
        description: "What the interval counts: wall-clock seconds, minutes or hours since the last output, or runs (frames) of the step.",
        schema: { enum: [...INTERVAL_UNITS] },
        default: "seconds",
      },
      interval: {
        description: "The interval's length in interval_unit: when it is reached the aggregates come out and start again.",
        schema: { type: "integer", exclusiveMinimum: 0 },
        required: true,
      },
    },
    outputs: [],
    dynamicOutputs: (step) => {
      const data = isPlainObject(step["data"]) ? Object.keys(step["data"]) : [];
      const modes = isPlainObject(step["aggregation_mode"]) ? (step["aggregation_mode"] as AggregationModes) : {};
      return aggregateOutputs(data, modes).map(({ output, mode }) => ({ name: output, kinds: outputKinds(mode) }));
    },
  },
  validate: (step) => unknownOperationTargets(step, "data", "data_operations"),
  run({ data, data_operations, aggregation_mode, interval_unit, interval }, ctx) {
    const state = stepState<AggregatorState>(ctx, ALL_VIDEOS, () => ({ runs: 0, startedAt: Date.now(), aggregates: {} }));
    const outputs = aggregateOutputs(Object.keys(data), aggregation_mode);
    for (const { output, mode } of outputs) state.aggregates[output] ??= newAggregate(mode);
    state.runs += 1;
    const values = variablesWithOperations(data, data_operations, "/data_operations");
    for (const { output, name } of outputs) aggregate(state.aggregates[output]!, name, values[name]);

    const due =
      interval_unit === "runs" ? state.runs >= interval : (Date.now() - state.startedAt) / 1000 >= interval * UNIT_SECONDS[interval_unit];
    if (!due) return Object.fromEntries(Object.keys(state.aggregates).map((output) => [output, null]));
    const results = Object.fromEntries(Object.entries(state.aggregates).map(([output, agg]) => [output, aggregateResult(agg)]));
    Object.assign(state, { runs: 0, startedAt: Date.now(), aggregates: {} });
    return results;
  },
});
