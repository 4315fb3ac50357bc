/** Workflows the tests of the service and of its clients (Lambda handler, SDK, CLI) run on the test service: core blocks and sleepBlock only, no models. */

/** Blurs its image (`blurred`) and answers its `confidence` parameter back (`confidence`). */
export const BLUR_WORKFLOW = {
  version: "1.0",
  inputs: [
    { type: "WorkflowImage", name: "image" },
    { type: "WorkflowParameter", name: "confidence", default_value: 0.4 },
  ],
  steps: [
    { type: "roboflow_core/image_blur@v1", name: "blur", image: "$inputs.image" },
    { type: "roboflow_core/property_definition@v1", name: "copy", data: "$inputs.confidence", operations: [] },
  ],
  outputs: [
    { type: "JsonField", name: "blurred", selector: "$steps.blur.image" },
    { type: "JsonField", name: "confidence", selector: "$steps.copy.output" },
  ],
};

/** Copies `x` through step `a`, then sleeps 2 s (sleepBlock, deaf to the deadline) before answering it: for runs past a short deadline. */
export const SLOW_WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "x", default_value: 1 }],
  steps: [
    { type: "roboflow_core/property_definition@v1", name: "a", data: "$inputs.x", operations: [] },
    { type: "test/sleep@v1", name: "sleep", ms: 2000, value: "$steps.a.output" },
  ],
  outputs: [{ type: "JsonField", name: "x", selector: "$steps.sleep.output" }],
};

/** Answers its `x` parameter back (default 1) through one step. */
export const ECHO_WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "x", default_value: 1 }],
  steps: [{ type: "roboflow_core/property_definition@v1", name: "copy", data: "$inputs.x", operations: [] }],
  outputs: [{ type: "JsonField", name: "x", selector: "$steps.copy.output" }],
};

/** A quick step that outputs `value`, then one that sleeps `slowMs` deaf to the signal: a deadline stops it with `quick` finished and `slow` running. */
export function overrunWorkflow(slowMs: number, value: unknown = 1) {
  return {
    version: "1.0",
    inputs: [],
    steps: [
      { type: "test/sleep@v1", name: "quick", ms: 1, value },
      { type: "test/sleep@v1", name: "slow", ms: slowMs, value: "$steps.quick.output" },
    ],
    outputs: [{ type: "JsonField", name: "out", selector: "$steps.slow.output" }],
  };
}

/** `value` (default "dog") through step `before`, then `cvflow/wait_for_input@v1` step `review` asks "Is this right?" for `{ok: boolean}` and outputs the answer: an async run that waits for a person. */
export const REVIEW_WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "value", default_value: "dog" }],
  steps: [
    { type: "roboflow_core/first_non_empty_or_default@v1", name: "before", data: ["$inputs.value"] },
    {
      type: "cvflow/wait_for_input@v1",
      name: "review",
      data: "$steps.before.output",
      prompt: "Is this right?",
      answer_schema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
    },
  ],
  outputs: [{ type: "JsonField", name: "answer", selector: "$steps.review.answer" }],
};
