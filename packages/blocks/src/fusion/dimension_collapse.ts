/** Dimension Collapse: gathers an element's children (e.g. one result per crop) into one list, removing a dimension. */
import { defineBlock } from "@cvflow/engine";

interface DimensionCollapseParams {
  [key: string]: unknown;
  data: unknown[];
}

export const dimensionCollapseBlock = defineBlock<DimensionCollapseParams>({
  manifest: {
    type: "roboflow_core/dimension_collapse@v1",
    aliases: ["DimensionCollapse"],
    name: "Dimension Collapse",
    description: "Collapse dimensionality by aggregating nested data into a single list.",
    family: "fusion",
    fields: {
      data: {
        description: "Step output one dimension below this step's; each element receives the list of its children.",
        kinds: ["*"],
        dimensionOffset: 1,
        required: true,
      },
    },
    outputs: [{ name: "output", kinds: ["list_of_values"] }],
  },
  run({ data }) {
    // The engine has left out the children that were not produced (skipped, or null), as the reference engine does.
    return { output: [...data] };
  },
});
