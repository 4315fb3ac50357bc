/** Small blocks that exercise the engine's mechanics; they exist only in tests. */
import { BlockRegistry, defineBlock, WorkflowEngine, type Block } from "../src/index.js";

export const echo = defineBlock<{ value: unknown }>({
  manifest: {
    type: "test/echo@v1",
    aliases: ["Echo"],
    name: "Echo",
    description: "Returns its value.",
    family: "formatters",
    fields: { value: { kinds: ["*"], required: true } },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  run: ({ value }) => ({ output: value }),
});

/** Adds a dimension: `count` children per element, each {item: "<value>:<i>"}. */
export const split = defineBlock<{ value: unknown; count: number }>({
  manifest: {
    type: "test/split@v1",
    name: "Split",
    description: "Makes count children per element.",
    family: "transformations",
    fields: { value: { kinds: ["*"], required: true }, count: { kinds: ["integer"], schema: { type: "integer", minimum: 0 }, default: 2 } },
    outputs: [{ name: "item", kinds: ["string"] }],
    outputDimensionOffset: 1,
  },
  run: ({ value, count }) => Array.from({ length: count }, (_, i) => ({ item: `${String(value)}:${i}` })),
});

export const collapse = defineBlock<{ data: unknown[] }>({
  manifest: {
    type: "test/collapse@v1",
    name: "Collapse",
    description: "Gathers an element's children into a list.",
    family: "fusion",
    fields: { data: { kinds: ["*"], required: true, dimensionOffset: 1 } },
    outputs: [{ name: "output", kinds: ["list_of_values"] }],
  },
  run: ({ data }) => ({ output: data }),
});

/** Lets `next` run when value equals `equals`. */
export const gate = defineBlock<{ value: unknown; equals: unknown; next: string[] }>({
  manifest: {
    type: "test/gate@v1",
    name: "Gate",
    description: "Continues when value equals `equals`.",
    family: "flow_control",
    flowControl: true,
    fields: { value: { kinds: ["*"], required: true }, equals: { kinds: ["*"] }, next: { steps: true, shape: "list", required: true } },
    outputs: [],
  },
  run: ({ value, equals, next }) => ({ next: value === equals ? next : [] }),
});

export const numberOf = defineBlock<{ value: number }>({
  manifest: {
    type: "test/number@v1",
    name: "Number",
    description: "Returns its number.",
    family: "formatters",
    fields: { value: { kinds: ["integer", "float"], schema: { type: "number" }, required: true } },
    outputs: [{ name: "output", kinds: ["float"] }],
  },
  run: ({ value }) => ({ output: value }),
});

/** One call for all elements: the sum of the batch is added to each value. */
export const batchSum = defineBlock<{ values: number[]; bias: number }>({
  manifest: {
    type: "test/batch_sum@v1",
    name: "Batch sum",
    description: "Adds the batch's sum to each element.",
    family: "fusion",
    fields: { values: { kinds: ["*"], batched: true, required: true }, bias: { kinds: ["*"], default: 0 } },
    outputs: [{ name: "output", kinds: ["float"] }],
  },
  runBatch: ({ values, bias }) => {
    const sum = values.reduce((a, b) => a + b, 0);
    batchCalls.push(values.length);
    return values.map((v) => ({ output: v + sum + bias }));
  },
});
export const batchCalls: number[] = [];

export const sleep = defineBlock<{ ms: number; value: unknown }>({
  manifest: {
    type: "test/sleep@v1",
    name: "Sleep",
    description: "Waits, then returns its value.",
    family: "formatters",
    fields: { ms: { kinds: ["integer"], required: true }, value: { kinds: ["*"] } },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  run: ({ ms, value }) => new Promise((resolve) => setTimeout(() => resolve({ output: value }), ms)),
});

export const fail = defineBlock<{ value: unknown }>({
  manifest: {
    type: "test/fail@v1",
    name: "Fail",
    description: "Throws.",
    family: "formatters",
    fields: { value: { kinds: ["*"] } },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  run: () => {
    throw new Error("boom");
  },
});

export const firstNonNull = defineBlock<{ data: unknown[] }>({
  manifest: {
    type: "test/first@v1",
    name: "First non-null",
    description: "The first value that is not null.",
    family: "formatters",
    acceptsEmpty: true,
    fields: { data: { kinds: ["*"], shape: "list", required: true } },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  run: ({ data }) => ({ output: data.find((d) => d !== null) ?? "default" }),
});

export const testBlocks: Block[] = [echo, split, collapse, gate, numberOf, batchSum, sleep, fail, firstNonNull] as Block[];

export function testEngine(options: { maxConcurrency?: number } = {}): WorkflowEngine {
  return new WorkflowEngine({ registry: new BlockRegistry(testBlocks), ...options });
}
