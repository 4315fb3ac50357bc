import { describe, expect, it } from "vitest";
import { InputRequired, type HumanInputRequest, type JsonSchema, type WorkflowError } from "@cvflow/engine";
import { createWorkflowEngine } from "../src/index.js";
import { DEFAULT_INPUT_PROMPT, waitForInputBlock } from "../src/flow_control/wait_for_input.js";

const engine = createWorkflowEngine();

const review = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "labels" }, { type: "WorkflowParameter", name: "timeout", default_value: 600 }],
  steps: [
    {
      type: "cvflow/wait_for_input@v1",
      name: "confirm",
      data: "$inputs.labels",
      prompt: "Keep these labels?",
      answer_schema: { type: "object", properties: { keep: { type: "boolean" } }, required: ["keep"] },
      timeout_seconds: "$inputs.timeout",
    },
  ],
  outputs: [{ type: "JsonField", name: "answer", selector: "$steps.confirm.answer" }],
};

describe("Wait For Input block", () => {
  it("declares its id, family, fields with their defaults, and one output of any kind", () => {
    const { manifest } = waitForInputBlock;
    expect(manifest.type).toBe("cvflow/wait_for_input@v1");
    expect(manifest.family).toBe("flow_control");
    expect(manifest.flowControl).toBeUndefined();
    expect(Object.keys(manifest.fields)).toEqual(["data", "prompt", "answer_schema", "timeout_seconds"]);
    expect(manifest.fields["prompt"]!.default).toBe("Please review and answer");
    expect(manifest.fields["answer_schema"]).toMatchObject({ schema: { type: "object" }, default: {} });
    expect(manifest.fields["timeout_seconds"]).toMatchObject({ schema: { type: "integer", minimum: 1 } });
    expect(manifest.outputs).toEqual([{ name: "answer", kinds: ["*"], description: expect.any(String) }]);
  });

  it("describes answer_schema in the grammar's schema (what blocks/describe sends), and refuses a schema that is not an object", () => {
    const steps = ((engine.schema().properties as Record<string, JsonSchema>)["steps"]!.items as { oneOf: JsonSchema[] }).oneOf;
    const step = steps.find((s) => JSON.stringify(s.properties?.["type"]).includes("cvflow/wait_for_input@v1"))!;
    expect(step.properties!["answer_schema"]).toMatchObject({ type: "object", default: {} });
    expect(step.properties!["prompt"]).toMatchObject({ default: DEFAULT_INPUT_PROMPT });
    const bad = { ...review, steps: [{ ...review.steps[0], answer_schema: "yes or no" }] };
    const error = (() => {
      try {
        engine.compile(bad);
      } catch (e) {
        return e as WorkflowError;
      }
    })();
    expect(error?.code).toBe("invalid_workflow");
    expect(JSON.stringify(error?.details)).toContain("/steps/0/answer_schema");
  });

  it("asks the run's humanInput service with the step, its prompt, schema, data and timeout, and outputs the answer", async () => {
    const asked: HumanInputRequest[] = [];
    const humanInput = {
      requestInput: async (request: HumanInputRequest) => {
        asked.push(request);
        return { keep: true };
      },
    };
    const { outputs } = await engine.run(review, { labels: ["bus", "person"] }, { services: { humanInput } });
    expect(outputs).toEqual([{ answer: { keep: true } }]);
    expect(asked).toEqual([
      {
        step: "confirm",
        index: [],
        prompt: "Keep these labels?",
        schema: { type: "object", properties: { keep: { type: "boolean" } }, required: ["keep"] },
        data: ["bus", "person"],
        timeoutSeconds: 600,
      },
    ]);
  });

  it("asks with the default prompt and any-JSON schema, without data or timeout when the step gives none", async () => {
    const asked: HumanInputRequest[] = [];
    const minimal = { version: "1.0", inputs: [], steps: [{ type: "cvflow/wait_for_input@v1", name: "ok" }], outputs: [{ type: "JsonField", name: "answer", selector: "$steps.ok.answer" }] };
    const { outputs } = await engine.run(minimal, {}, { services: { humanInput: { requestInput: async (r) => (asked.push(r), 42) } } });
    expect(outputs).toEqual([{ answer: 42 }]);
    expect(asked).toEqual([{ step: "ok", index: [], prompt: DEFAULT_INPUT_PROMPT, schema: {} }]);
  });

  it("lets the service's InputRequired through, so that the run waits rather than fails", async () => {
    const humanInput = { requestInput: async (request: HumanInputRequest) => Promise.reject(new InputRequired(request)) };
    const error = await engine.run(review, { labels: [] }, { services: { humanInput } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputRequired);
    expect((error as InputRequired).request.prompt).toBe("Keep these labels?");
  });

  it("fails with 409 input_needs_async_run in a run without a humanInput service (a synchronous run)", async () => {
    const error = (await engine.run(review, { labels: [] }).catch((e: unknown) => e)) as WorkflowError;
    expect(error.code).toBe("input_needs_async_run");
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ step: "confirm", index: [] });
    expect(error.message).toBe(
      'Step "confirm" failed: wait_for_input needs a run that can wait for a person\'s answer, and a synchronous run cannot: start the run asynchronously (POST /workflows/runs, POST /{workspace}/workflows/{workflow_id}/runs, or run-nowait) and answer it with POST /runs/{run_id}/input',
    );
  });
});
