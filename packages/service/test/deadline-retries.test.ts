/**
 * Whether a 504 deadline_exceeded may be retried: with Retry-After when the time went to
 * transient waits (here a store call that hangs, as a slow S3 would), without it when the
 * workflow's own steps used the time — and then an identical request within a minute gets the
 * same 504 at once instead of a second run.
 */
import { traceTransientWait } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { overrunWorkflow } from "../src/testing/index.js";
import { KEYS, testService, WORKSPACE } from "./harness.js";

const auth = { authorization: `Bearer ${KEYS.runner}` };
const overrunning = (value: number) => overrunWorkflow(1_500, value);

describe("an overrun the workflow's own steps caused", () => {
  it("has no Retry-After, and an identical request within a minute gets the same 504 without running", async () => {
    const { request } = await testService({ limits: { runDeadlineMs: 300 } });
    const run = () => request("POST", "/workflows/run", { headers: auth, body: { specification: overrunning(1) } });
    const first = await run();
    expect(first.statusCode).toBe(504);
    expect(first.headers["retry-after"]).toBeUndefined();
    expect(first.body.error.details).toMatchObject({ finished_steps: ["quick"], running_steps: ["slow"], retryable: false, repeated: false, transient_wait_ms: 0 });
    const again = await run();
    expect(again.statusCode).toBe(504);
    expect(again.headers["retry-after"]).toBeUndefined();
    expect(again.body.error).toMatchObject({
      code: "deadline_exceeded",
      details: { finished_steps: ["quick"], running_steps: ["slow"], retryable: false, repeated: true, first_request_id: first.headers["x-request-id"] },
    });
    expect(again.body.error.details.request_id).toBe(again.headers["x-request-id"]);
    expect(again.body.error.message).toContain("not run again");
  });

  it("does not answer a request that differs in its body or credential from memory", async () => {
    const { request } = await testService({ limits: { runDeadlineMs: 300 } });
    await request("POST", "/workflows/run", { headers: auth, body: { specification: overrunning(1) } });
    const otherBody = await request("POST", "/workflows/run", { headers: auth, body: { specification: overrunning(2) } });
    const otherKey = await request("POST", "/workflows/run", { headers: { authorization: `Bearer ${KEYS.admin}` }, body: { specification: overrunning(1) } });
    for (const answer of [otherBody, otherKey]) expect([answer.statusCode, answer.body.error.details.repeated]).toEqual([504, false]);
  });
});

describe("an overrun spent waiting on the store", () => {
  it("carries Retry-After: 1 and runs a retry again", async () => {
    const { request, store } = await testService({ limits: { runDeadlineMs: 300 } });
    // As an S3-backed store's calls are traced (packages/store's s3-client.ts).
    store.list = () => traceTransientWait("store", () => new Promise(() => {}));
    const list = () => request("GET", `/${WORKSPACE}/workflows`, { headers: { authorization: `Bearer ${KEYS.admin}` } });
    for (const attempt of [await list(), await list()]) {
      expect(attempt.statusCode).toBe(504);
      expect(attempt.headers["retry-after"]).toBe("1");
      expect(attempt.body.error.details).toMatchObject({ retryable: true });
      expect(attempt.body.error.details).not.toHaveProperty("repeated");
      // The store call hung from the start to the deadline: at least the share that makes a retry worth it.
      expect(attempt.body.error.details.transient_wait_ms).toBeGreaterThanOrEqual(0.25 * 300);
    }
  });
});
