/** The management calls: routes, bodies, If-Match, and what they return. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CvflowClient } from "../src/index.js";
import { FakeApi, SPECIFICATION, WORKFLOW } from "./fake-api.js";

let api: FakeApi;
let client: CvflowClient;

beforeAll(async () => {
  api = await FakeApi.start();
  client = new CvflowClient({ baseUrl: api.url, apiKey: "cvf_admin" });
});
beforeEach(() => api.reset());
afterAll(() => api.close());

describe("management", () => {
  it("lists workflows, versions and the trash", async () => {
    expect(await client.listWorkflows("acme")).toEqual([WORKFLOW]);
    expect((await client.workflowVersions("acme", "shelf")).map((v) => v.versionId)).toEqual(["v2", "v1"]);
    expect((await client.listTrash("acme"))[0]!.deletedAt).toBe("2025-01-03T00:00:00.000Z");
    expect(api.received.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /acme/workflows", "GET /acme/workflows/shelf/versions", "GET /acme/trash"]);
    expect(api.received.every((r) => r.headers["authorization"] === "Bearer cvf_admin")).toBe(true);
  });

  it("gets a workflow with its parsed definition and etag", async () => {
    const got = await client.getWorkflow("acme", "shelf");
    expect(got.workflow.name).toBe("Shelf audit");
    expect(got.specification).toEqual(SPECIFICATION);
    expect(got.etag).toBe('"etag-2"');
    expect(api.last("/acme/workflows/shelf").method).toBe("GET");
  });

  it("takes the etag from the ETag header when the body has none, and a config sent as an object", async () => {
    api.reply("GET /:workspace/workflows/:url", { body: { workflow: { ...WORKFLOW, config: { specification: SPECIFICATION } } }, headers: { etag: '"from-header"' } });
    const got = await client.getWorkflow("acme", "shelf");
    expect(got).toMatchObject({ etag: '"from-header"', specification: SPECIFICATION });
  });

  it("creates a workflow with config as the JSON string of {specification}", async () => {
    const created = await client.createWorkflow("acme", { name: "Shelf audit", url: "shelf", specification: SPECIFICATION, public: true });
    expect(created.etag).toBe('"etag-2"');
    const request = api.last("/acme/createWorkflow");
    expect(request.method).toBe("POST");
    expect(request.json).toEqual({ name: "Shelf audit", url: "shelf", public: true, config: JSON.stringify({ specification: SPECIFICATION }) });
  });

  it("updates with If-Match and only the fields given", async () => {
    const updated = await client.updateWorkflow("acme", "shelf", { specification: { specification: SPECIFICATION }, public: false }, { etag: '"etag-2"' });
    expect(updated.etag).toBe('"etag-3"');
    const request = api.last("/acme/updateWorkflow");
    expect(request.headers["if-match"]).toBe('"etag-2"');
    expect(request.json).toEqual({ url: "shelf", public: false, config: JSON.stringify({ specification: SPECIFICATION }) });

    await client.updateWorkflow("acme", "shelf", { name: "Renamed" });
    expect(api.last("/acme/updateWorkflow").headers["if-match"]).toBeUndefined();
    expect(api.last("/acme/updateWorkflow").json).toEqual({ url: "shelf", name: "Renamed" });
  });

  it("forks, deletes (with If-Match), restores and makes workflow tokens", async () => {
    expect((await client.forkWorkflow("acme", "shelf", { newUrl: "shelf-copy", newName: "Copy" })).workflow.url).toBe("shelf-copy");
    expect(api.last("/acme/forkWorkflow").json).toEqual({ url: "shelf", new_url: "shelf-copy", new_name: "Copy" });

    expect(await client.deleteWorkflow("acme", "shelf", { etag: '"etag-2"' })).toEqual({ deleted: "shelf" });
    const deletion = api.last("/acme/workflows/shelf", "DELETE");
    expect(deletion.headers["if-match"]).toBe('"etag-2"');
    expect(deletion.body.length).toBe(0);

    expect((await client.restoreWorkflow("acme", "shelf")).workflow.url).toBe("shelf");
    expect(api.last("/acme/trash/restore").json).toEqual({ url: "shelf" });

    expect(await client.createWorkflowToken("acme", "shelf", { ttlSeconds: 60 })).toEqual({ token: "cvt_token", expiresAt: "2025-01-01T00:15:00.000Z" });
    expect(api.last("/acme/workflowToken").json).toEqual({ url: "shelf", ttl_seconds: 60 });
  });

  it("encodes workspace and workflow names as path segments", async () => {
    await client.getWorkflow("my team", "a/b");
    expect(api.received[0]!.path).toBe("/my%20team/workflows/a%2Fb");
  });
});
