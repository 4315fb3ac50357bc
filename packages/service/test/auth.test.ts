/** Who may call what: 401 vs 403, scopes, workspaces, public workflows, workflow tokens, where the key may travel. */
import { describe, expect, it } from "vitest";
import { ECHO_WORKFLOW } from "../src/testing/index.js";
import { KEYS, testService, WORKSPACE } from "./harness.js";

async function withWorkflows() {
  const t = await testService();
  await t.store.create(WORKSPACE, { url: "private-flow", name: "Private", specification: ECHO_WORKFLOW });
  await t.store.create(WORKSPACE, { url: "public-flow", name: "Public", specification: ECHO_WORKFLOW, public: true });
  return t;
}

const errorOf = (response: { body: unknown }) => (response.body as { error: { code: string; status: number; message: string } }).error;

describe("credentials", () => {
  it("are read from the Authorization header, the api_key query parameter and the body", async () => {
    const { call } = await withWorkflows();
    const run = { body: { inputs: { x: 2 } } };
    expect((await call("POST", `/${WORKSPACE}/workflows/private-flow`, { ...run, headers: { authorization: `Bearer ${KEYS.admin}` } })).statusCode).toBe(200);
    expect((await call("POST", `/${WORKSPACE}/workflows/private-flow?api_key=${KEYS.admin}`, run)).statusCode).toBe(200);
    expect((await call("POST", `/${WORKSPACE}/workflows/private-flow`, { body: { ...run.body, api_key: KEYS.admin } })).statusCode).toBe(200);
    expect((await call("POST", `/${WORKSPACE}/workflows/private-flow`, { ...run, headers: { authorization: `bearer   ${KEYS.admin}` } })).statusCode).toBe(200);
  });

  it("missing or unknown is 401 unauthorized", async () => {
    const { call } = await withWorkflows();
    for (const init of [{}, { key: "cvf_nope" }, { headers: { authorization: `Basic ${KEYS.admin}` } }]) {
      const response = await call("GET", `/${WORKSPACE}/workflows`, init);
      expect(response.statusCode).toBe(401);
      expect(errorOf(response)).toMatchObject({ code: "unauthorized", status: 401 });
    }
  });

  it("of another workspace, or without the scope, is 403 forbidden", async () => {
    const { call } = await withWorkflows();
    const otherWorkspace = await call("GET", `/${WORKSPACE}/workflows`, { key: KEYS.other });
    expect(otherWorkspace.statusCode).toBe(403);
    expect(errorOf(otherWorkspace).message).toContain('"other"');
    const noScope = await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.reader, body: { name: "x", config: ECHO_WORKFLOW } });
    expect(noScope.statusCode).toBe(403);
    expect((noScope.body as { error: { details: unknown } }).error.details).toEqual({ required: ["workflow:create"], missing: ["workflow:create"] });
    const forkNeedsBoth = await call("POST", `/${WORKSPACE}/forkWorkflow`, { key: KEYS.runner, body: { url: "private-flow" } });
    expect(errorOf(forkNeedsBoth).code).toBe("forbidden");
  });

  it("are not asked where none is needed, but one sent must be valid", async () => {
    const { call } = await withWorkflows();
    expect((await call("GET", "/health")).statusCode).toBe(200);
    expect((await call("POST", "/workflows/validate", { body: ECHO_WORKFLOW, key: KEYS.other })).statusCode).toBe(200);
    expect((await call("POST", `/${WORKSPACE}/workflows/public-flow`, { key: "cvf_typo", body: {} })).statusCode).toBe(401);
  });

  it("inline runs and uploads need a key with workflow:run, of any workspace", async () => {
    const { call } = await withWorkflows();
    const body = { specification: ECHO_WORKFLOW, inputs: { x: 1 } };
    expect((await call("POST", "/workflows/run", { body })).statusCode).toBe(401);
    expect((await call("POST", "/workflows/run", { body, key: KEYS.reader })).statusCode).toBe(403);
    expect((await call("POST", "/workflows/run", { body, key: KEYS.other })).statusCode).toBe(200);
    expect((await call("POST", "/uploads", { key: KEYS.runner })).statusCode).toBe(200);
    expect((await call("POST", "/uploads", { key: KEYS.reader })).statusCode).toBe(403);
  });
});

describe("saved workflows", () => {
  it("public ones are readable and runnable without a key, by anyone", async () => {
    const { call } = await withWorkflows();
    expect((await call("POST", `/${WORKSPACE}/workflows/public-flow`, { body: { inputs: { x: 3 } } })).body).toEqual({ outputs: [{ x: 3 }] });
    expect((await call("POST", `/infer/workflows/${WORKSPACE}/public-flow`, { body: {} })).statusCode).toBe(200);
    expect((await call("GET", `/${WORKSPACE}/workflows/public-flow`)).statusCode).toBe(200);
    expect((await call("POST", `/${WORKSPACE}/workflows/public-flow/describe_interface`, { key: KEYS.other })).statusCode).toBe(200);
    // Public is for reading and running only.
    expect((await call("GET", `/${WORKSPACE}/workflows/public-flow/versions`)).statusCode).toBe(401);
  });

  it("private ones: 401 without a key, 403 with a foreign one, and neither says whether it exists", async () => {
    const { call } = await withWorkflows();
    for (const url of ["private-flow", "no-such-flow"]) {
      expect((await call("POST", `/${WORKSPACE}/workflows/${url}`, { body: {} })).statusCode).toBe(401);
      expect((await call("GET", `/${WORKSPACE}/workflows/${url}`, { key: KEYS.other })).statusCode).toBe(403);
    }
    const missing = await call("GET", `/${WORKSPACE}/workflows/no-such-flow`, { key: KEYS.reader });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe("workflow_not_found");
    expect((await call("POST", `/${WORKSPACE}/workflows/private-flow`, { key: KEYS.reader, body: {} })).statusCode).toBe(403);
  });
});

describe("workflow tokens", () => {
  async function tokenFor(call: Awaited<ReturnType<typeof testService>>["call"], url: string, ttl?: number): Promise<string> {
    const before = Date.now();
    const response = await call("POST", `/${WORKSPACE}/workflowToken`, { key: KEYS.runner, body: { url, ...(ttl ? { ttl_seconds: ttl } : {}) } });
    const after = Date.now();
    expect(response.statusCode).toBe(200);
    const { token, expires_at } = response.body as { token: string; expires_at: string };
    // The relation, not a margin: issued between before and after (to the second), valid for ttl from then.
    const lifetime = (ttl ?? 900) * 1000;
    expect(Date.parse(expires_at)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + lifetime);
    expect(Date.parse(expires_at)).toBeLessThanOrEqual(after + lifetime);
    return token;
  }

  it("run the one workflow they name, and nothing else", async () => {
    const { call } = await withWorkflows();
    await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name: "Second", url: "second", config: ECHO_WORKFLOW } });
    const token = await tokenFor(call, "private-flow");
    expect((await call("POST", `/${WORKSPACE}/workflows/private-flow`, { key: token, body: { inputs: { x: 9 } } })).body).toEqual({ outputs: [{ x: 9 }] });
    expect((await call("POST", `/infer/workflows/${WORKSPACE}/private-flow`, { key: token, body: {} })).statusCode).toBe(200);
    expect((await call("POST", `/${WORKSPACE}/workflows/second`, { key: token, body: {} })).statusCode).toBe(403);
    expect((await call("GET", `/${WORKSPACE}/workflows/private-flow`, { key: token })).statusCode).toBe(403);
    expect((await call("GET", `/${WORKSPACE}/workflows`, { key: token })).statusCode).toBe(403);
    expect((await call("POST", "/workflows/run", { key: token, body: { specification: ECHO_WORKFLOW } })).statusCode).toBe(403);
    expect((await call("POST", "/uploads", { key: token })).statusCode).toBe(403);
  });

  it("are 403 on every other workflow, public ones of their own or another workspace too (which need no credential)", async () => {
    const { call, store } = await withWorkflows();
    await store.create("other", { url: "their-public", name: "Theirs", specification: ECHO_WORKFLOW, public: true });
    const token = await tokenFor(call, "private-flow");
    for (const path of [`/other/workflows/their-public`, `/infer/workflows/other/their-public`, `/${WORKSPACE}/workflows/public-flow`]) {
      const refused = await call("POST", path, { key: token, body: { inputs: { x: 3 } } });
      expect(refused.statusCode).toBe(403);
      expect(errorOf(refused)).toMatchObject({ code: "forbidden", status: 403, message: "A workflow token may only run the workflow it names" });
      expect((await call("POST", path, { body: { inputs: { x: 3 } } })).body).toEqual({ outputs: [{ x: 3 }] });
    }
    expect((await call("GET", `/other/workflows/their-public`, { key: token })).statusCode).toBe(403);
    expect((await call("POST", `/other/workflows/their-public/describe_interface`, { key: token })).statusCode).toBe(403);
    expect((await call("GET", `/other/workflows/their-public`)).statusCode).toBe(200);
  });

  it("expire, and a changed or foreign-signed one is 401", async () => {
    let now = Date.now();
    const { call } = await testService({ now: () => now });
    await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name: "Flow", url: "flow", config: ECHO_WORKFLOW } });
    const token = await tokenFor(call, "flow", 60);
    const run = (key: string) => call("POST", `/${WORKSPACE}/workflows/flow`, { key, body: {} });
    expect((await run(token)).statusCode).toBe(200);
    const [payload, signature] = [token.slice(0, token.lastIndexOf(".")), token.slice(token.lastIndexOf(".") + 1)];
    const forged = Buffer.from(JSON.stringify({ ws: WORKSPACE, wf: "other-flow", exp: 9e9 })).toString("base64url");
    expect((await run(`cvft.${forged}.${signature}`)).statusCode).toBe(401);
    expect((await run(`${payload}.${signature.slice(1)}A`)).statusCode).toBe(401);
    now += 61_000;
    const expired = await run(token);
    expect(expired.statusCode).toBe(401);
    expect(errorOf(expired).message).toMatch(/expired/);
  });

  it("are refused for workflows that do not exist, and when no secret is configured", async () => {
    const { call } = await withWorkflows();
    expect((await call("POST", `/${WORKSPACE}/workflowToken`, { key: KEYS.admin, body: { url: "nope" } })).statusCode).toBe(404);
    expect((await call("POST", `/${WORKSPACE}/workflowToken`, { key: KEYS.admin, body: { url: "private-flow", ttl_seconds: 10 ** 7 } })).statusCode).toBe(400);
    const without = await testService({ tokenSecret: "" });
    await without.store.create(WORKSPACE, { url: "flow", name: "Flow", specification: ECHO_WORKFLOW });
    const refused = await without.call("POST", `/${WORKSPACE}/workflowToken`, { key: KEYS.admin, body: { url: "flow" } });
    expect(refused.statusCode).toBe(501);
    expect((await without.call("POST", `/${WORKSPACE}/workflows/flow`, { key: "cvft.e30.c2ln", body: {} })).statusCode).toBe(401);
  });
});
