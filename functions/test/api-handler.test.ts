/**
 * The Lambda handler translates: a Function URL event's headers (any case), body (base64 or not)
 * and remaining time reach the service, and its answer comes back as the result, JSON with the
 * invocation's request id. The rules themselves are tested on the service (packages/service/test).
 */
import { describe, expect, it } from "vitest";
import { ECHO_WORKFLOW, overrunWorkflow, TEST_KEYS, TEST_WORKSPACE } from "@cvflow/service/testing";
import { testApi } from "./harness.js";

describe("requests and responses", () => {
  it("reads headers whatever their case, and answers JSON with the request id and the ETag", async () => {
    const { invoke } = await testApi();
    const created = await invoke({ method: "POST", path: `/${TEST_WORKSPACE}/createWorkflow`, headers: { AUTHORIZATION: `Bearer ${TEST_KEYS.admin}`, "Content-Type": "application/json" }, body: { name: "Flow", config: ECHO_WORKFLOW } });
    expect(created.statusCode).toBe(201);
    expect(created.headers["content-type"]).toMatch(/^application\/json/);
    expect(created.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.headers["etag"]).toBe(`"${created.body.etag}"`);
  });

  it("parses JSON whatever the Content-Type, base64-encoded or not; bad JSON is 400 invalid_json", async () => {
    const { invoke } = await testApi();
    const body = JSON.stringify(ECHO_WORKFLOW);
    expect((await invoke({ method: "POST", path: "/workflows/validate", body, headers: { "content-type": "application/x-www-form-urlencoded" } })).body).toEqual({ status: "ok" });
    expect((await invoke({ method: "POST", path: "/workflows/validate", body: Buffer.from(body).toString("base64"), isBase64Encoded: true, headers: { "content-type": "application/octet-stream" } })).body).toEqual({ status: "ok" });
    for (const bad of ["{not json", '{"__proto__": {"admin": true}}']) {
      const response = await invoke({ method: "POST", path: "/workflows/validate", body: bad });
      expect(response.statusCode).toBe(400);
      expect(response.body.error.code).toBe("invalid_json");
    }
  });
});

describe("the deadline", () => {
  const slowSpec = overrunWorkflow(4_000);
  const auth = { authorization: `Bearer ${TEST_KEYS.runner}` };

  it("comes earlier when the Lambda has less time left than the run limit, keeping the margin", async () => {
    const { invoke } = await testApi({ limits: { runDeadlineMs: 20_000, deadlineMarginMs: 1_000 }, lambdaTimeoutMs: 1_600 });
    const started = performance.now();
    const response = await invoke({ method: "POST", path: "/workflows/run", headers: auth, body: { specification: slowSpec } });
    expect(response.statusCode).toBe(504);
    // Before the Lambda's own 1.6 s timeout would have killed it: the margin was kept.
    expect(performance.now() - started).toBeLessThan(1_600);
  });
});
