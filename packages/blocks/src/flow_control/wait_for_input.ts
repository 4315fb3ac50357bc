/**
 * Wait For Input (cvflow's own block): the run pauses until a person answers — shown `data` and
 * `prompt`, answering with JSON that fits `answer_schema` — and goes on with the answer as the
 * step's `answer`. The pause is the run's `humanInput` service's (an async run waits durably,
 * status `waiting`); the answer is checked against the schema where it arrives (the run's
 * `input` route), so a block that runs again after a wait only reads it. A synchronous run has
 * no such service and cannot wait: the block fails, saying how to start the run instead.
 */
import { defineBlock } from "@cvflow/engine";
import { inputNeedsAsyncRun } from "../errors.js";

export const DEFAULT_INPUT_PROMPT = "Please review and answer";

export const waitForInputBlock = defineBlock<{
  data?: unknown;
  prompt: string;
  answer_schema: Record<string, unknown>;
  timeout_seconds?: number;
}>({
  manifest: {
    type: "cvflow/wait_for_input@v1",
    name: "Wait For Input",
    description:
      "Pauses the run until a person answers (the run's status is waiting, an input_required event carries the prompt, the data and the answer's schema), then outputs the answer. Only in runs started asynchronously.",
    family: "flow_control",
    fields: {
      data: {
        description: "What the person is shown with the prompt (detections to confirm, an image, any value).",
        kinds: ["*"],
        // Shown, not processed: an image is sent as it is, never decoded for this step.
        deferLoad: true,
      },
      prompt: { description: "What the person is asked.", kinds: ["string"], schema: { type: "string" }, default: DEFAULT_INPUT_PROMPT },
      answer_schema: {
        description: "JSON Schema the answer must satisfy; {} takes any JSON value.",
        schema: { type: "object" },
        default: {},
      },
      timeout_seconds: {
        description: "How long the run waits for the answer; past it the run fails with input_timeout. Omitted: until the run's own limit.",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
      },
    },
    outputs: [{ name: "answer", kinds: ["*"], description: "The person's answer, as JSON that fits answer_schema." }],
  },
  run: async ({ data, prompt, answer_schema, timeout_seconds }, ctx) => {
    const humanInput = ctx.services.humanInput;
    if (!humanInput) throw inputNeedsAsyncRun(ctx.step);
    const answer = await humanInput.requestInput({
      step: ctx.step,
      index: ctx.index,
      prompt,
      schema: answer_schema,
      ...(data === undefined ? {} : { data }),
      ...(timeout_seconds === undefined ? {} : { timeoutSeconds: timeout_seconds }),
    });
    return { answer };
  },
});
