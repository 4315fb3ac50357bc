// Register your own block next to the core ones, then use it from a definition.
import { coreBlocks } from "@cvflow/blocks";
import { BlockRegistry, defineBlock, WorkflowEngine } from "@cvflow/engine";

export const areaRatio = defineBlock<{ width: number; height: number; total: number }>({
  manifest: {
    type: "acme/area_ratio@v1",
    aliases: ["AreaRatio"],
    name: "Area ratio",
    description: "The share of an area covered by a width x height box.",
    family: "formatters",
    fields: {
      width: { kinds: ["integer", "float"], schema: { type: "number", minimum: 0 }, required: true },
      height: { kinds: ["integer", "float"], schema: { type: "number", minimum: 0 }, required: true },
      total: { kinds: ["integer", "float"], schema: { type: "number", exclusiveMinimum: 0 }, default: 1 },
    },
    outputs: [{ name: "ratio", kinds: ["float"] }],
  },
  run: ({ width, height, total }) => ({ ratio: (width * height) / total }),
});

const engine = new WorkflowEngine({ registry: new BlockRegistry([...coreBlocks, areaRatio]) });

const definition = {
  version: "1.0",
  inputs: [
    { type: "WorkflowBatchInput", name: "sizes", kind: ["dictionary"] },
    { type: "WorkflowParameter", name: "total", default_value: 100 },
  ],
  steps: [
    { type: "PropertyDefinition", name: "w", data: "$inputs.sizes", operations: [{ type: "LookupTable", lookup_table: { small: 2, large: 8 } }] },
    { type: "AreaRatio", name: "ratio", width: "$steps.w.output", height: 5, total: "$inputs.total" },
  ],
  outputs: [{ type: "JsonField", name: "ratio", selector: "$steps.ratio.ratio" }],
};

export const result = await engine.run(definition, { sizes: ["small", "large"] });
console.log(JSON.stringify(result.outputs)); // [{"ratio":0.1},{"ratio":0.4}]
