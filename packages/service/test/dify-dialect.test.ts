/**
 * What the client script does not reach: a batch's outputs, every status, task ids, the error
 * mapping, and the stream's `event: ping` every 10 s (on a controlled clock).
 */
import type { RunRecord, RunStatus, Runs } from "@cvflow/runs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { errorBody } from "../src/error-body.js";
import { difyErrorBody } from "../src/dialects/dify/errors.js";
import { difyEventStream } from "../src/dialects/dify/runs.js";
import { difyOutputs, difyStatus, runIdOfTask, runStatusesOf } from "../src/dialects/dify/views.js";
import type { ServiceRequest } from "../src/http.js";

describe("Dify's views of a run", () => {
  it("outputs: one image's as they are, a batch's as a list per output in image order", () => {
    expect(difyOutputs(undefined)).toEqual({});
    expect(difyOutputs([{ width: 640, label: "dog" }])).toEqual({ width: 640, label: "dog" });
    expect(difyOutputs([{ width: 640, label: "dog" }, { width: 320 }])).toEqual({ width: [640, 320], label: ["dog", null] });
  });

  it("statuses: cancelled is stopped, waiting paused, timed_out failed; a filter takes back every status it names", () => {
    const statuses: RunStatus[] = ["queued", "running", "waiting", "succeeded", "failed", "cancelled", "timed_out"];
    expect(statuses.map(difyStatus)).toEqual(["running", "running", "paused", "succeeded", "failed", "stopped", "failed"]);
    expect(runStatusesOf("running")).toEqual(["queued", "running"]);
    expect(runStatusesOf("failed")).toEqual(["failed", "timed_out"]);
    expect(runStatusesOf("stopped")).toEqual(["cancelled"]);
  });

  it("task ids: the run id and the record's task id; anything else names no run", () => {
    expect(runIdOfTask("abc.def")).toEqual({ runId: "abc", taskId: "def" });
    expect(runIdOfTask("abc")).toBeUndefined();
    expect(runIdOfTask(".def")).toBeUndefined();
  });
});

describe("Dify's error bodies", () => {
  const dify = (code: string, status: number, details: Record<string, unknown> = {}) => difyErrorBody(errorBody(code, "why", status, details));

  it("any 400 is invalid_param with the field as params", () => {
    expect(dify("invalid_request", 400, { field: "user" })).toEqual({ status: 400, code: "invalid_param", message: "why", params: "user" });
    expect(dify("missing_input", 400, { pointer: "/inputs/image" })).toEqual({ status: 400, code: "invalid_param", message: "why", params: "/inputs/image" });
    expect(dify("app_unavailable", 400)).toEqual({ status: 400, code: "app_unavailable", message: "why" });
  });

  it("401/403/404 by status, 413 file_too_large, a 500 internal_server_error, Dify's own codes and other statuses as they are", () => {
    expect([dify("unauthorized", 401), dify("forbidden", 403), dify("run_not_found", 404)].map((b) => b.code)).toEqual(["unauthorized", "forbidden", "not_found"]);
    expect(dify("request_too_large", 413)).toEqual({ status: 413, code: "file_too_large", message: "why" });
    expect(dify("internal_error", 500)).toEqual({ status: 500, code: "internal_server_error", message: "why" });
    expect(dify("unsupported_file_type", 415)).toEqual({ status: 415, code: "unsupported_file_type", message: "why" });
    expect(dify("idempotency_key_reused", 422)).toEqual({ status: 422, code: "idempotency_key_reused", message: "why" });
    expect(dify("runs_not_configured", 501)).toEqual({ status: 501, code: "runs_not_configured", message: "why" });
  });
});

describe("Dify's stream", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends `event: ping` after each 10 s without a chunk, as Dify does", async () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    // A run whose log stays silent until the caller leaves.
    const runs = {
      events: {
        async *follow(_id: string, _after: number, options: { signal?: AbortSignal }) {
          await new Promise((resolve) => options.signal?.addEventListener("abort", resolve, { once: true }));
        },
      },
    } as unknown as Runs;
    const record = { id: "r", taskId: "t" } as RunRecord;
    const request = { streamSignal: caller.signal, requestId: "q" } as ServiceRequest;
    const response = difyEventStream(runs, record, 0, request);
    expect(response.headers).toMatchObject({ "content-type": expect.stringMatching(/^text\/event-stream/), "x-cvflow-task-id": "r.t", "x-cvflow-run-id": "r" });
    const iterator = response.stream[Symbol.asyncIterator]();
    await iterator.next(); // retry:
    const quiet = iterator.next();
    await vi.advanceTimersByTimeAsync(9_999);
    let pinged = false;
    void quiet.then(() => (pinged = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(pinged).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await quiet).value).toBe("event: ping\n\n");
    caller.abort();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });
});
