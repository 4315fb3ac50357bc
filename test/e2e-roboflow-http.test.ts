/**
 * The HTTP surface Roboflow's clients meet, over real HTTP against the local stack: error bodies
 * that carry the top-level fields inference_sdk reads (from the service, the gateway and
 * node:http's refusals), the legacy inline run path, the video pipeline routes' 404s, every
 * management call's fields in the query string, and workspace names that routes already use.
 */
import { maxHeaderSize, request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { reservedWorkspaceNames } from "@cvflow/service";
import { call, testStack } from "./local-stack.js";
import { echoWorkflow } from "./fixtures/echo-workflow.js";

let stack: LocalStack;
beforeAll(async () => {
  stack = await testStack();
}, 60_000);
afterAll(() => stack?.close());


/** The body inference_sdk's wrap_errors reads: the envelope, and `message`/`error_type` beside it, equal to the envelope's. */
function expectRoboflowFields(body: any, code: string): void {
  expect(body.error.code).toBe(code);
  expect(body.message).toBe(body.error.message);
  expect(body.error_type).toBe(code);
}

describe("error bodies carry the fields Roboflow's clients read", () => {
  it("the service, a definition with several problems: inner_error_message lists each at its pointer", async () => {
    const definition = {
      ...echoWorkflow,
      steps: [{ type: "no_such_block@v1", name: "a" }, { type: "roboflow_core/property_definition@v1", name: "b", data: "$inputs.missing", operations: [] }],
    };
    const { status, body } = await call(stack, "POST", "/workflows/validate", { body: definition });
    expect(status).toBe(400);
    expectRoboflowFields(body, "invalid_workflow");
    const errors = body.error.details.errors as { pointer: string; message: string }[];
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]!.pointer).toMatch(/^\/steps\/0/);
    expect(body.inner_error_message).toBe(errors.map((error) => `at ${error.pointer}: ${error.message}`).join("; "));
  });

  it("the service, one problem: its pointer, nothing more", async () => {
    const { status, body } = await call(stack, "POST", "/workflows/run", { body: { specification: { ...echoWorkflow, outputs: [{ type: "JsonField", name: "x", selector: "$steps.nope.output" }] } } });
    expect(status).toBe(400);
    expectRoboflowFields(body, "invalid_workflow");
    const [only] = body.error.details.errors;
    expect(body.error.details.errors).toHaveLength(1);
    expect(body.inner_error_message).toBe(`at ${only.pointer}: ${only.message}`);
    expect(only.pointer).toBe("/outputs/0/selector");
  });

  it("the service, an error without an underlying cause (404 route_not_found): no inner_error_message key at all", async () => {
    const { status, body } = await call(stack, "GET", "/no/such/route");
    expect(status).toBe(404);
    expectRoboflowFields(body, "route_not_found");
    expect(Object.keys(body).sort()).toEqual(["error", "error_type", "message"]);
  });

  it("the gateway, a request over 6 MB: 413 request_too_large before the function, with the same fields", async () => {
    const { status, body } = await call(stack, "POST", "/workflows/run", { body: { specification: echoWorkflow, padding: "x".repeat(6 * 1024 * 1024) } });
    expect(status).toBe(413);
    expectRoboflowFields(body, "request_too_large");
    expect(Object.keys(body).sort()).toEqual(["error", "error_type", "message"]);
  });

  it("node:http's refusal of headers over its limit: 431 with the same fields", async () => {
    const response = await fetch(`${stack.url}/health`, { headers: { "x-padding": "p".repeat(maxHeaderSize + 1) } });
    expect(response.status).toBe(431);
    const body = (await response.json()) as any;
    expectRoboflowFields(body, "request_headers_too_large");
    expect(Object.keys(body).sort()).toEqual(["error", "error_type", "message"]);
  });
});

describe("POST /infer/workflows, inference_sdk's legacy inline run", () => {
  it("runs the specification as POST /workflows/run does, with the client's payload (api_key, use_cache, enable_profiling, disable_sinks)", async () => {
    const payload = { api_key: stack.apiKey, use_cache: true, enable_profiling: false, disable_sinks: true, inputs: { x: 7 }, specification: echoWorkflow };
    const legacy = await call(stack, "POST", "/infer/workflows", { body: payload, key: null });
    const current = await call(stack, "POST", "/workflows/run", { body: payload, key: null });
    expect(legacy.status).toBe(200);
    expect(legacy.body).toEqual({ outputs: [{ x: 7 }] });
    expect(current.body).toEqual(legacy.body);
    // Its access is the inline run's: an API key with workflow:run.
    expect((await call(stack, "POST", "/infer/workflows", { body: { specification: echoWorkflow }, key: null })).status).toBe(401);
  });
});

/** A request with a JSON body whatever its method, as python's requests sends one. */
function withJsonBody(method: string, path: string, json: unknown): Promise<{ status: number; body: any }> {
  const data = JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${stack.url}${path}`, { method, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
    });
    request.on("error", reject);
    request.end(data);
  });
}

describe("/inference_pipelines/*: served by the local stack (inference_sdk's calls: test/roboflow-client-pipelines.test.ts)", () => {
  it.each([
    ["GET", "/inference_pipelines/abc-123/status"],
    ["POST", "/inference_pipelines/abc-123/terminate"],
    ["GET", "/inference_pipelines/abc-123/consume"],
  ])("%s %s: an unknown pipeline is 404 pipeline_not_found with Roboflow's fields", async (method, path) => {
    // The client (python requests) sends its api_key in a JSON body, on GET too, which fetch will not.
    const { status, body } = await withJsonBody(method, path, { api_key: stack.apiKey });
    expect(status).toBe(404);
    expectRoboflowFields(body, "pipeline_not_found");
    expect(body.error.details).toEqual({ pipeline_id: "abc-123" });
  });

  it.each([
    ["PUT", "/inference_pipelines"],
    ["DELETE", "/inference_pipelines/a/b/c/d"],
    ["POST", "/inference_pipelines/initialise_webrtc"],
  ])("%s %s: no workspace's route either, 404 route_not_found", async (method, path) => {
    const { status, body } = await withJsonBody(method, path, { api_key: stack.apiKey });
    expect(status).toBe(404);
    expectRoboflowFields(body, "route_not_found");
  });
});

describe("management calls take their fields in the query string as in the body", () => {
  const query = (fields: Record<string, string>) => `?${new URLSearchParams({ api_key: stack.apiKey, ...fields })}`;

  it("create (name, url, config as a JSON string, template) -> update -> fork -> token -> delete -> restore, with no body at all", async () => {
    const created = await call(stack, "POST", `/demo/createWorkflow${query({ name: "From the query", url: "from-query", config: JSON.stringify({ specification: echoWorkflow }), template: "{}" })}`, { key: null });
    expect(created.status).toBe(201);
    expect(created.body.workflow).toMatchObject({ url: "from-query", name: "From the query", public: false });
    expect(JSON.parse(created.body.workflow.config)).toEqual({ specification: echoWorkflow });
    expect((await call(stack, "POST", "/demo/workflows/from-query", { body: { inputs: { x: 5 } } })).body).toEqual({ outputs: [{ x: 5 }] });

    const updated = await call(stack, "POST", `/demo/updateWorkflow${query({ url: "from-query", name: "Renamed", public: "true", etag: created.body.etag })}`, { key: null });
    expect(updated.status).toBe(200);
    expect(updated.body.workflow).toMatchObject({ name: "Renamed", public: true });

    const fork = await call(stack, "POST", `/demo/forkWorkflow${query({ url: "from-query", new_url: "query-fork", new_name: "Fork" })}`, { key: null });
    expect(fork.status).toBe(201);
    expect(fork.body.workflow).toMatchObject({ url: "query-fork", name: "Fork" });

    const before = Date.now();
    const token = await call(stack, "POST", `/demo/workflowToken${query({ url: "from-query", ttl_seconds: "60" })}`, { key: null });
    const after = Date.now();
    expect(token.status).toBe(200);
    const expiresAt = Date.parse(token.body.expires_at);
    // expires_at is in whole seconds: at least the second of `before` + 60, at most `after` + 60.
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 60_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 60_000);

    const stale = await call(stack, "DELETE", `/demo/workflows/from-query${query({ etag: created.body.etag })}`, { key: null });
    expect(stale.status).toBe(412);
    const deleted = await call(stack, "DELETE", `/demo/workflows/from-query${query({ etag: updated.body.etag })}`, { key: null });
    expect(deleted).toMatchObject({ status: 200, body: { deleted: "from-query" } });

    const restored = await call(stack, "POST", `/demo/trash/restore${query({ url: "from-query" })}`, { key: null });
    expect(restored.status).toBe(200);
    expect(restored.body.workflow).toMatchObject({ url: "from-query", name: "Renamed" });
  });

  it("a field in both places is the body's", async () => {
    const created = await call(stack, "POST", `/demo/createWorkflow${query({ name: "Query name", url: "query-url" })}`, { body: { name: "Body name", url: "body-url", config: { specification: echoWorkflow } }, key: null });
    expect(created.status).toBe(201);
    expect(created.body.workflow).toMatchObject({ url: "body-url", name: "Body name" });
  });

  it("query text that is not the field's type, or not JSON, or JSON too deep: 400 naming the field", async () => {
    const config = JSON.stringify({ specification: echoWorkflow });
    const notBoolean = await call(stack, "POST", `/demo/createWorkflow${query({ name: "x", url: "bad-public", config, public: "yes" })}`, { key: null });
    expect(notBoolean).toMatchObject({ status: 400, body: { error: { code: "invalid_request", details: { field: "public" } } } });
    const notInteger = await call(stack, "POST", `/demo/workflowToken${query({ url: "body-url", ttl_seconds: "1.5" })}`, { key: null });
    expect(notInteger).toMatchObject({ status: 400, body: { error: { code: "invalid_request", details: { field: "ttl_seconds" } } } });
    const notJson = await call(stack, "POST", `/demo/createWorkflow${query({ name: "x", url: "bad-config", config: "{not json" })}`, { key: null });
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: "invalid_config", details: { field: "config" } } } });
    const deep = await call(stack, "POST", `/demo/createWorkflow${query({ name: "x", url: "deep-config", config: "[".repeat(65) + "]".repeat(65) })}`, { key: null });
    expect(deep).toMatchObject({ status: 400, body: { error: { code: "too_deeply_nested", details: { limit: 64 } } } });
    const missing = await call(stack, "POST", `/demo/createWorkflow${query({ url: "no-name", config })}`, { key: null });
    expect(missing).toMatchObject({ status: 400, body: { error: { code: "invalid_request", message: '"name" is required' } } });
  });
});

describe("workspace names the routes use", () => {
  it("are the first segments of the fixed routes", () => {
    expect(reservedWorkspaceNames()).toEqual(["batch", "events", "handlers", "health", "infer", "inference_pipelines", "openapi.json", "results", "runs", "ui", "uploads", "v1", "workflows"]);
  });

  it("the local stack refuses to start with one as its workspace, naming them all", async () => {
    await expect(testStack({ workspace: "infer" })).rejects.toMatchObject({
      code: "reserved_workspace",
      message: `"infer" cannot name a workspace: it is the first segment of fixed routes. Reserved: ${reservedWorkspaceNames().join(", ")}`,
    });
  });
});
