/** First Non Empty Or Default: merges alternative branches — the first value that is not null, else a default. */
import { defineBlock } from "@cvflow/engine";

interface FirstNonEmptyOrDefaultParams {
  [key: string]: unknown;
  data: unknown[];
  default: unknown;
}

export const firstNonEmptyOrDefaultBlock = defineBlock<FirstNonEmptyOrDefaultParams>({
  manifest: {
    type: "roboflow_core/first_non_empty_or_default@v1",
    aliases: ["FirstNonEmptyOrDefault"],
    name: "First Non Empty Or Default",
    description: "Take the first non-empty data element or the configured default value.",
    family: "formatters",
    acceptsEmpty: true,
    fields: {
      data: {
        description: "Values to try in order; the first that is not null (skipped) wins.",
        shape: "list",
        kinds: ["*"],
        required: true,
      },
      default: {
        description: "The output when every value in `data` is null.",
        default: null,
      },
    },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  validate(step) {
    const data = step["data"];
    return Array.isArray(data) && data.length === 0 ? [{ property: "data", message: "`data` needs at least one selector" }] : [];
  },
  run({ data, default: fallback }) {
    // Only null counts as empty: an empty list or string is a value.
    const first = data.find((value) => value !== null && value !== undefined);
    return { output: first !== undefined ? first : fallback };
  },
});
