/** `handle`: routing (404, 405, trailing slash, decoding, static paths first), and the error envelope for what nobody expected. */
import { describe, expect, it } from "vitest";
import { ECHO_WORKFLOW } from "../src/testing/index.js";
import { KEYS, testService, WORKSPACE } from "./harness.js";

describe("routing", () => {
  it("answers a route the table does not know with 404 route_not_found", async () => {
    const { request } = await testService();
    const response = await request("GET", "/no/such/route/here");
    expect(response.statusCode).toBe(404);
    const message = "No route for GET /no/such/route/here; the routes are listed at GET /openapi.json";
    expect(response.body).toEqual({ error: { code: "route_not_found", message, status: 404, details: { method: "GET", path: "/no/such/route/here" } }, message, error_type: "route_not_found" });
  });

  it("answers a known path with another method with 405 and Allow", async () => {
    const { request } = await testService();
    const deleteHealth = await request("DELETE", "/health");
    expect(deleteHealth.statusCode).toBe(405);
    expect(deleteHealth.headers["allow"]).toBe("GET");
    expect(deleteHealth.body.error).toMatchObject({ code: "method_not_allowed", details: { allowed: ["GET"] } });
    const getRun = await request("PUT", `/${WORKSPACE}/workflows/flow`);
    expect(getRun.headers["allow"]).toBe("POST, GET, DELETE");
  });

  it("answers HEAD and OPTIONS, which no route has, with 405 and Allow", async () => {
    const { request } = await testService();
    for (const method of ["HEAD", "OPTIONS"]) {
      const response = await request(method, "/health");
      expect([response.statusCode, response.headers["allow"]]).toEqual([405, "GET"]);
    }
  });

  it("matches a trailing slash, decodes path parameters, and prefers static paths", async () => {
    const { request, store } = await testService();
    await store.create(WORKSPACE, { url: "my-flow", name: "Mine", specification: ECHO_WORKFLOW, public: true });
    expect((await request("GET", "/health/")).statusCode).toBe(200);
    expect((await request("GET", `/${WORKSPACE}/workflows/my%2Dflow`)).body.workflow.url).toBe("my-flow");
    expect((await request("GET", "/workflows/definition/schema")).body).toHaveProperty("schema");
    expect((await request("POST", `/infer/workflows/${WORKSPACE}/my-flow`, { body: { inputs: { x: 3 } } })).body).toEqual({ outputs: [{ x: 3 }] });
  });
});

describe("errors", () => {
  it("turns any unexpected failure into 500 internal_error with the request id, and nothing of the cause", async () => {
    const { request, store } = await testService();
    store.list = async () => {
      throw new Error("socket hang up at /var/task/secret.js:12");
    };
    const response = await request("GET", `/${WORKSPACE}/workflows`, { headers: { authorization: `Bearer ${KEYS.admin}` } });
    expect(response.statusCode).toBe(500);
    expect(response.body.error).toEqual({ code: "internal_error", message: expect.stringContaining(response.headers["x-request-id"]!), status: 500, details: { request_id: response.headers["x-request-id"] } });
    expect(JSON.stringify(response.body)).not.toMatch(/secret|socket|at \//);
  });
});
