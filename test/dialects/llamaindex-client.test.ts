/**
 * A client written from LlamaIndex's workflow-server protocol (llamaindex_client.py: their
 * WorkflowClient's requests and SSE reading, standard-library Python) against the local stack:
 * list workflows, their event schemas, run and wait, run-nowait and stream (SSE and NDJSON, internal events on
 * request), 204 past the end, handler and result, a dropped stream resumed with Last-Event-ID,
 * human input (InputRequiredEvent answered by a HumanResponseEvent), cancel and purge, and their
 * `{"detail"}` errors.
 */
import type { LocalStack } from "@cvflow/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack } from "../local-stack.js";
import { ASK, greyImage, KEEP_SCHEMA, RESIZE, saveWorkflow } from "./llamaindex-workflows.js";
import { findStdlibPython, runClientScript } from "./python.js";

const found = findStdlibPython("LlamaIndex client protocol (Python)");
const python = "python" in found ? found.python : undefined;

let stack: LocalStack;
let report: Record<string, any>;

const returned = (check: string) => {
  expect(report[check], JSON.stringify(report[check])).toHaveProperty("returned");
  return report[check].returned;
};
const failed = (check: string) => {
  expect(report[check], JSON.stringify(report[check])).toHaveProperty("error");
  return report[check].error as { status: number; body: any };
};
const stop = (result: unknown) => ({ type: "StopEvent", qualified_name: "workflows.events.StopEvent", types: null, value: { result } });

describe.skipIf(!python)("LlamaIndex's workflow-server protocol from a Python client", () => {
  beforeAll(async () => {
    stack = await testStack();
    await saveWorkflow(stack, "resize", RESIZE);
    await saveWorkflow(stack, "ask", ASK);
    report = await runClientScript(python!, "llamaindex_client.py", {
      base_url: stack.url,
      api_key: stack.apiKey,
      fast: "resize",
      fast_inputs: { image: await greyImage(), width: 32 },
      ask: "ask",
      ask_inputs: { note: "three boxes" },
      answer: { keep: [0, 2] },
    });
  }, 120_000);
  afterAll(() => stack?.close());

  it("lists the workspace's saved workflows by id", () => {
    expect(returned("list_workflows").workflows).toEqual(expect.arrayContaining(["resize", "ask"]));
  });

  it("reads the start and stop events' schemas: the workflow's inputs and outputs", () => {
    const { start, stop } = returned("workflow_schema");
    expect([start.title, start.required, Object.keys(start.properties)]).toEqual(["StartEvent", ["image"], ["image", "width"]]);
    expect(Object.keys(stop.properties.result.items.properties)).toEqual(["width"]);
  });

  it("runs and waits: the completed handler with the outputs in its StopEvent", () => {
    const handler = returned("run_workflow");
    expect(handler).toMatchObject({ workflow_name: "resize", status: "completed", error: null, result: stop([{ width: 32 }]) });
    expect(handler.run_id).toBe(handler.handler_id);
    expect(Date.parse(handler.completed_at)).toBeGreaterThanOrEqual(Date.parse(handler.started_at));
  });

  it("starts without waiting: a running handler, nothing completed yet", () => {
    expect(returned("run_nowait")).toMatchObject({ workflow_name: "resize", status: "running", completed_at: null, error: null, result: null });
  });

  it("streams SSE from the first event: only the StopEvent without internal events, each with its sequence id", () => {
    expect(report["stream_content_type"]).toMatch(/^text\/event-stream/);
    expect(report["stream"].types).toEqual(["StopEvent"]);
    expect(report["stream"].last).toEqual(stop([{ width: 32 }]));
    expect(report["stream"].ids.every((id: unknown) => Number.isInteger(id))).toBe(true);
  });

  it("adds each step's start and end with include_internal", () => {
    expect(report["stream_internal"].types).toEqual(["StepStateChanged", "StepStateChanged", "StepStateChanged", "StepStateChanged", "StopEvent"]);
    expect(report["stream_internal"].steps).toEqual(["resize", "resize", "size", "size"]);
  });

  it("sends NDJSON with sse=false, the same envelopes", () => {
    expect(report["ndjson"].content_type).toMatch(/^application\/x-ndjson/);
    expect(report["ndjson"].lines).toEqual([stop([{ width: 32 }])]);
  });

  it("answers 204 when the run has finished and nothing is after the cursor", () => {
    expect(report["after_end_status"]).toBe(204);
  });

  it("gets the handler (200) and the result (their deprecated form: the outputs themselves)", () => {
    const [status, handler] = returned("get_handler");
    expect(status).toBe(200);
    expect(handler).toMatchObject({ status: "completed", result: stop([{ width: 32 }]) });
    const [resultStatus, result] = returned("get_result");
    expect(resultStatus).toBe(200);
    expect(result).toMatchObject({ handler_id: handler.handler_id, status: "completed", result: [{ width: 32 }] });
  });

  it("lists handlers filtered by status and workflow name", () => {
    const handlers = returned("get_handlers").handlers as { status: string; workflow_name: string; handler_id: string }[];
    expect(handlers.length).toBe(2);
    expect(handlers.every((h) => h.status === "completed" && h.workflow_name === "resize")).toBe(true);
    expect(handlers.map((h) => h.handler_id)).toContain(returned("run_nowait").handler_id);
  });

  it("human input: an InputRequiredEvent with the prompt, schema and data; running (202) while it waits; a HumanResponseEvent answers it", () => {
    expect(report["hitl_before_drop"].types.at(-1)).toBe("InputRequiredEvent");
    expect(report["hitl_before_drop"].input_required).toMatchObject({
      type: "InputRequiredEvent",
      qualified_name: "workflows.events.InputRequiredEvent",
      value: { prompt: "Which detections to keep?", step: "confirm", answer_schema: KEEP_SCHEMA, data: "three boxes" },
    });
    const [status, handler] = returned("hitl_status_while_waiting");
    expect([status, handler.status]).toEqual([202, "running"]);
    expect(returned("hitl_send_event")).toEqual({ status: "sent" });
    const [finalStatus, final] = returned("hitl_final");
    expect([finalStatus, final.status]).toEqual([200, "completed"]);
    expect(final.result).toEqual(stop([{ answer: { keep: [0, 2] } }]));
  });

  it("a reader that drops and comes back with Last-Event-ID gets every later event once, as a whole reader does", () => {
    const { ids_before: before, ids_after: after, ids_whole: whole, types_after: types } = report["hitl_resume"];
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after)).toBeGreaterThan(Math.max(...before));
    expect([...before, ...after]).toEqual(whole);
    expect(types.at(-1)).toBe("StopEvent");
  });

  it("refuses an event for a run that has finished: 409 with their detail", () => {
    const error = failed("hitl_send_after_end");
    expect(error.status).toBe(409);
    expect(error.body.detail).toEqual(expect.any(String));
  });

  it("cancels: the stream ends with a WorkflowCancelledEvent within a second, and the handler is cancelled (500)", () => {
    expect(returned("cancel")).toEqual({ status: "cancelled" });
    expect(report["cancel_stream"].types).toEqual(["InputRequiredEvent", "WorkflowCancelledEvent"]);
    expect(report["cancel_stream"].last).toEqual({ type: "WorkflowCancelledEvent", qualified_name: "workflows.events.WorkflowCancelledEvent", types: ["StopEvent"], value: {} });
    expect(report["cancel_stream"].seconds_to_end).toBeLessThan(1);
    const error = failed("cancel_handler_after");
    expect([error.status, error.body.status, error.body.error, error.body.result]).toEqual([500, "cancelled", null, null]);
  });

  it("a finished handler is not cancelled again (404), and purge deletes it", () => {
    expect(failed("cancel_again").status).toBe(404);
    expect(returned("purge")).toEqual({ status: "deleted" });
    const gone = failed("after_purge");
    expect(gone.status).toBe(404);
    expect(gone.body.detail).toEqual(expect.any(String));
  });

  it("answers errors as theirs: {detail} with the status", () => {
    const unknown = failed("unknown_handler");
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe(unknown.body.error.message);
    expect(failed("unknown_workflow").status).toBe(404);
    const bad = failed("bad_after_sequence");
    expect([bad.status, bad.body.detail]).toEqual([400, "Invalid after_sequence: 'soon'"]);
  });
});
