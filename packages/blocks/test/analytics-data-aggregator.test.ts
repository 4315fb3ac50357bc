import { BlockRegistry, MemoryVideoState, WorkflowEngine, type Block } from "@cvflow/engine";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { dataAggregatorBlock } from "../src/analytics/data_aggregator.js";
import { tracked, videoRunner } from "./analytics-fixtures.js";

const NUMBERS = ["sum", "avg", "max", "min", "values_difference"] as const;
const LISTS = ["count", "distinct", "count_distinct", "values_counts"] as const;
const nulls = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, null]));
const OUTPUTS = [...NUMBERS.map((m) => `count_${m}`), ...LISTS.map((m) => `classes_${m}`)];

describe("data_aggregator@v1", () => {
  it("gives every aggregate at the end of each window of `interval` runs, null on the others, and starts each window afresh", async () => {
    const { run } = videoRunner(dataAggregatorBlock);
    const params = { aggregation_mode: { count: [...NUMBERS], classes: [...LISTS] }, interval_unit: "runs" as const, interval: 3 };
    const frames: [number, string[]][] = [
      [2, ["dog", "cat"]],
      [5, ["dog"]],
      [3, ["cow", "cat", "cat"]],
      [1, []],
      [1, ["dog"]],
      [true as unknown as number, ["dog"]], // a boolean adds as 1, as in Python
    ];
    const outs = [];
    for (const [count, classes] of frames) outs.push(await run({ ...params, data: { count, classes } }));
    expect(outs[0]).toEqual(nulls(OUTPUTS));
    expect(outs[1]).toEqual(nulls(OUTPUTS));
    expect(outs[2]).toEqual({
      count_sum: 10,
      count_avg: 10 / 3,
      count_max: 5,
      count_min: 2,
      count_values_difference: 3,
      classes_count: 6,
      classes_distinct: ["dog", "cat", "cow"],
      classes_count_distinct: 3,
      classes_values_counts: { dog: 2, cat: 3, cow: 1 },
    });
    expect(outs[3]).toEqual(nulls(OUTPUTS));
    expect(outs[5]).toEqual({
      count_sum: 3,
      count_avg: 1,
      count_max: 1,
      count_min: 1,
      count_values_difference: 0,
      classes_count: 2,
      classes_distinct: ["dog"],
      classes_count_distinct: 1,
      classes_values_counts: { dog: 2 },
    });
  });

  it("passes values through data_operations first: class names of detections, counted per window", async () => {
    const { run } = videoRunner(dataAggregatorBlock);
    const params = {
      aggregation_mode: { predictions: ["values_counts", "count"] as ("values_counts" | "count")[] },
      data_operations: { predictions: [{ type: "DetectionsPropertyExtract", property_name: "class_name" }] },
      interval_unit: "runs" as const,
      interval: 2,
    };
    const people = (n: number) => tracked(Array.from({ length: n }, (_, i) => ({ box: [i, i, i + 5, i + 5] as [number, number, number, number], id: i })));
    await run({ ...params, data: { predictions: people(3) } });
    expect(await run({ ...params, data: { predictions: people(2) } })).toEqual({ predictions_values_counts: { person: 5 }, predictions_count: 5 });
    // Without operations, count adds the detections' len().
    expect(await run({ aggregation_mode: { d: ["count"] }, interval_unit: "runs", interval: 1, data: { d: people(4) } })).toEqual({ d_count: 4 });
  });

  describe("on the wall clock", () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2024-09-17T10:00:00Z"));
    });
    afterEach(() => vi.useRealTimers());

    it("closes a window once `interval` seconds or minutes have passed since it began, whatever the runs", async () => {
      const { run, videoState } = videoRunner(dataAggregatorBlock);
      const params = { aggregation_mode: { n: ["sum", "max"] as ("sum" | "max")[] }, interval: 10 };
      const at = async (seconds: number, n: number, extra: Record<string, unknown> = {}) => {
        vi.setSystemTime(new Date(Date.UTC(2024, 8, 17, 10, 0, seconds)));
        return run({ ...params, ...extra, data: { n } });
      };
      expect(await at(0, 4)).toEqual({ n_sum: null, n_max: null });
      expect(await at(9, 7)).toEqual({ n_sum: null, n_max: null });
      expect(await at(10, 1)).toEqual({ n_sum: 12, n_max: 7 });
      // The next window began at 10 s: one run at 19 s is not yet due; the state's JSON carries it.
      expect(await at(19, 2)).toEqual({ n_sum: null, n_max: null });
      const carried = MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(videoState.toJSON())) as Record<string, Record<string, unknown>>);
      vi.setSystemTime(new Date(Date.UTC(2024, 8, 17, 10, 0, 20)));
      const ctx = { signal: new AbortController().signal, step: "step", index: [0], services: { videoState: carried } };
      expect(await dataAggregatorBlock.run({ ...params, data: { n: 3 }, data_operations: {}, interval_unit: "seconds" }, ctx)).toEqual({ n_sum: 5, n_max: 3 });

      // Minutes, back in the first store: its window began at 10 s, so it closes at 610 s.
      expect(await at(20, 1, { interval_unit: "minutes" })).toEqual({ n_sum: null, n_max: null });
      expect(await at(609, 1, { interval_unit: "minutes" })).toEqual({ n_sum: null, n_max: null });
      expect(await at(610, 1, { interval_unit: "minutes" })).toEqual({ n_sum: 5, n_max: 2 });
    });
  });

  it("declares an output per name and mode with Roboflow's kinds, and refuses what cannot be aggregated or transformed", async () => {
    const step = { data: { a: "$inputs.a", b: "$inputs.b" }, aggregation_mode: { a: ["distinct", "avg"], b: ["values_counts"], c: ["sum"] } };
    expect(dataAggregatorBlock.manifest.dynamicOutputs!(step)).toEqual([
      { name: "a_distinct", kinds: ["list_of_values"] },
      { name: "a_avg", kinds: ["float", "integer"] },
      { name: "b_values_counts", kinds: ["dictionary"] },
    ]);
    expect(dataAggregatorBlock.validate!({ ...step, data_operations: { z: [] } })).toMatchObject([{ code: "undeclared_symbol", property: "data_operations" }]);

    const { run } = videoRunner(dataAggregatorBlock);
    const base = { interval_unit: "runs" as const, interval: 5 };
    await expect(run({ ...base, aggregation_mode: { a: ["sum"] }, data: { a: "3" } })).rejects.toMatchObject({ code: "invalid_field" });
    await expect(run({ ...base, aggregation_mode: { b: ["distinct"] }, data: { b: [[1, 2]] } })).rejects.toMatchObject({ code: "invalid_field" });
    const fresh = videoRunner(dataAggregatorBlock).run;
    await expect(fresh({ ...base, aggregation_mode: { c: ["max"] }, data: { c: 1 } })).resolves.toEqual({ c_max: null });
    await expect(fresh({ ...base, aggregation_mode: { c: ["max"] }, data: { c: "x" } })).rejects.toMatchObject({ code: "invalid_field" });
  });

  it("runs in a workflow: its outputs, named by the definition, feed the workflow's outputs; one store across runs is one aggregation", async () => {
    const engine = new WorkflowEngine({ registry: new BlockRegistry([dataAggregatorBlock] as Block[]) });
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowParameter", name: "people" }],
      steps: [
        {
          type: "roboflow_core/data_aggregator@v1",
          name: "agg",
          data: { people: "$inputs.people" },
          aggregation_mode: { people: ["avg", "max"] },
          interval_unit: "runs",
          interval: 2,
        },
      ],
      outputs: [
        { type: "JsonField", name: "avg", selector: "$steps.agg.people_avg" },
        { type: "JsonField", name: "max", selector: "$steps.agg.people_max" },
      ],
    };
    const videoState = new MemoryVideoState();
    const outputs = [];
    for (const people of [3, 6, 1]) outputs.push((await engine.run(definition, { people }, { services: { videoState } })).outputs[0]);
    expect(outputs).toEqual([{ avg: null, max: null }, { avg: 4.5, max: 6 }, { avg: null, max: null }]);
    // Without a shared store each run is a video of its own: a window of 2 never closes.
    expect((await engine.run(definition, { people: 2 })).outputs[0]).toEqual({ avg: null, max: null });
  });
});
