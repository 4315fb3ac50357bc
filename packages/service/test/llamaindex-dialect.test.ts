/**
 * The LlamaIndex dialect's readings of their bodies: a start event bare or as an envelope (as
 * their client's `run` and `run-nowait` send it), and a HumanResponseEvent's answer to the
 * waiting step's schema. The routes themselves are tested over HTTP in test/dialects/.
 */
import { describe, expect, it } from "vitest";
import { humanAnswer } from "../src/dialects/llamaindex/human-response.js";
import { startEventInputs } from "../src/dialects/llamaindex/start-event.js";

describe("startEventInputs: the start event's fields are the workflow's inputs", () => {
  const inputs = { image: { type: "base64", value: "AA==" }, confidence: 0.4 };

  it("reads a bare start event, an envelope, its JSON string, and kwargs", () => {
    expect(startEventInputs({ start_event: inputs, context: {} })).toEqual(inputs);
    expect(startEventInputs({ start_event: { type: "StartEvent", value: inputs } })).toEqual(inputs);
    expect(startEventInputs({ start_event: { value: inputs, qualified_name: "workflows.events.StartEvent", type: "StartEvent" } })).toEqual(inputs);
    expect(startEventInputs({ start_event: JSON.stringify({ value: inputs }) })).toEqual(inputs);
    expect(startEventInputs({ kwargs: inputs })).toEqual(inputs);
    expect(startEventInputs(undefined)).toEqual({});
  });

  it("takes `type` alone as an input (an envelope needs value, or type and qualified_name, as theirs)", () => {
    expect(startEventInputs({ start_event: { type: "cat", confidence: 0.4 } })).toEqual({ type: "cat", confidence: 0.4 });
  });

  it("refuses a context to restore, a chosen handler id, and a start event that is no object", () => {
    expect(() => startEventInputs({ start_event: inputs, context: { state: {} } })).toThrow(/context/);
    expect(() => startEventInputs({ start_event: inputs, handler_id: "h1" })).toThrow(/handler_id/);
    expect(() => startEventInputs({ start_event: [1] })).toThrow(/start_event/);
    expect(() => startEventInputs({ start_event: { value: 3 } })).toThrow(/value/);
  });
});

describe("humanAnswer: what a HumanResponseEvent answers", () => {
  const objectSchema = { type: "object", properties: { keep: { type: "array" } } };

  it("is the event's value for a step that asks for an object (or for anything)", () => {
    expect(humanAnswer({ type: "ResponseEvent", value: { keep: [0, 2] } }, objectSchema)).toEqual({ keep: [0, 2] });
    expect(humanAnswer({ type: "HumanResponseEvent", value: { response: "yes" } }, {})).toEqual({ response: "yes" });
  });

  it("is the value's `response` when the step asks for something else", () => {
    expect(humanAnswer({ type: "HumanResponseEvent", value: { response: "yes" } }, { type: "string" })).toBe("yes");
    expect(humanAnswer({ type: "HumanResponseEvent", value: { response: [1, 2] } }, { type: "array" })).toEqual([1, 2]);
  });

  it("reads their JSON-string form, the legacy `data`, and a bare event's fields", () => {
    expect(humanAnswer(JSON.stringify({ type: "HumanResponseEvent", value: { keep: [1] } }), objectSchema)).toEqual({ keep: [1] });
    expect(humanAnswer({ type: "HumanResponseEvent", data: { keep: [1] } }, objectSchema)).toEqual({ keep: [1] });
    expect(humanAnswer({ type: "HumanResponseEvent", keep: [3] }, objectSchema)).toEqual({ keep: [3] });
  });

  it("keeps a null value as the answer (a nullable schema's), not the event's other fields", () => {
    expect(humanAnswer({ type: "HumanResponseEvent", value: null }, { type: ["object", "null"] })).toBeNull();
    expect(humanAnswer({ type: "HumanResponseEvent", data: null }, { type: "null" })).toBeNull();
  });

  it("refuses an event that is no object", () => {
    expect(() => humanAnswer("not json", objectSchema)).toThrow(/not JSON/);
    expect(() => humanAnswer([1], objectSchema)).toThrow(/JSON object/);
  });
});
