/** Workflows the clients' tests (SDK, CLI) run on the test service: core blocks only, no models. */

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
