/** The Lambda handler: routing (404, 405), bodies, headers, and the error envelope on every path. */
import { describe, expect, it } from "vitest";
import { echoSpec, KEYS, WORKSPACE } from "../../packages/service/test/harness.js";
import { testApi } from "./harness.js";

describe("routing", () => {
  it("answers a route the table does not know with 404 route_not_found", async () => {
    const { invoke } = await testApi();
    const response = await invoke({ path: "/no/such/route/here" });
    expect(response.statusCode).toBe(404);
    const message = "No route for GET /no/such/route/here; the routes are listed at GET /openapi.json";
    expect(response.body).toEqual({ error: { code: "route_not_found", message, status: 404, details: { method: "GET", path: "/no/such/route/here" } }, message, error_type: "route_not_found" });
  });

  it("answers a known path with another method with 405 and Allow", async () => {
    const { invoke } = await testApi();
    const deleteHealth = await invoke({ method: "DELETE", path: "/health" });
    expect(deleteHealth.statusCode).toBe(405);
    expect(deleteHealth.headers["allow"]).toBe("GET");
    expect(deleteHealth.body.error).toMatchObject({ code: "method_not_allowed", details: { allowed: ["GET"] } });
    const getRun = await invoke({ method: "PUT", path: `/${WORKSPACE}/workflows/flow` });
    expect(getRun.headers["allow"]).toBe("POST, GET, DELETE");
  });

  it("matches a trailing slash, decodes path parameters, and prefers static paths", async () => {
    const { invoke, store } = await testApi();
    await store.create(WORKSPACE, { url: "my-flow", name: "Mine", specification: echoSpec, public: true });
    expect((await invoke({ path: "/health/" })).statusCode).toBe(200);
    expect((await invoke({ path: `/${WORKSPACE}/workflows/my%2Dflow` })).body.workflow.url).toBe("my-flow");
    expect((await invoke({ path: "/workflows/definition/schema" })).body).toHaveProperty("schema");
    expect((await invoke({ method: "POST", path: `/infer/workflows/${WORKSPACE}/my-flow`, body: { inputs: { x: 3 } } })).body).toEqual({ outputs: [{ x: 3 }] });
  });
});

describe("requests and responses", () => {
  it("reads headers whatever their case, and answers JSON with the request id and the ETag", async () => {
    const { invoke } = await testApi();
    const created = await invoke({ method: "POST", path: `/${WORKSPACE}/createWorkflow`, headers: { AUTHORIZATION: `Bearer ${KEYS.admin}`, "Content-Type": "application/json" }, body: { name: "Flow", config: echoSpec } });
    expect(created.statusCode).toBe(201);
    expect(created.headers["content-type"]).toMatch(/^application\/json/);
    expect(created.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.headers["etag"]).toBe(`"${created.body.etag}"`);
  });

  it("parses JSON whatever the Content-Type, base64-encoded or not; bad JSON is 400 invalid_json", async () => {
    const { invoke } = await testApi();
    const body = JSON.stringify(echoSpec);
    expect((await invoke({ method: "POST", path: "/workflows/validate", body, headers: { "content-type": "application/x-www-form-urlencoded" } })).body).toEqual({ status: "ok" });
    expect((await invoke({ method: "POST", path: "/workflows/validate", body: Buffer.from(body).toString("base64"), isBase64Encoded: true, headers: { "content-type": "application/octet-stream" } })).body).toEqual({ status: "ok" });
    for (const bad of ["{not json", '{"__proto__": {"admin": true}}']) {
      const response = await invoke({ method: "POST", path: "/workflows/validate", body: bad });
      expect(response.statusCode).toBe(400);
      expect(response.body.error.code).toBe("invalid_json");
    }
  });

  it("turns any unexpected failure into 500 internal_error with the request id, and nothing of the cause", async () => {
    const { invoke, store } = await testApi();
    store.list = async () => {
      throw new Error("socket hang up at /var/task/secret.js:12");
    };
    const response = await invoke({ path: `/${WORKSPACE}/workflows`, headers: { authorization: `Bearer ${KEYS.admin}` } });
    expect(response.statusCode).toBe(500);
    expect(response.body.error).toEqual({ code: "internal_error", message: expect.stringContaining(response.headers["x-request-id"]!), status: 500, details: { request_id: response.headers["x-request-id"] } });
    expect(JSON.stringify(response.body)).not.toMatch(/secret|socket|at \//);
  });
});
