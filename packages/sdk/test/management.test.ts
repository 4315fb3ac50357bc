/** The management calls against the real service in-process: routes, bodies, If-Match, and what they return. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BLUR_WORKFLOW, RecordedApi, TEST_KEYS, TEST_WORKSPACE } from "@cvflow/service/testing";
import { CvflowClient } from "../src/index.js";

let api: RecordedApi;
let client: CvflowClient;
const config = JSON.stringify({ specification: BLUR_WORKFLOW });

beforeAll(async () => {
  api = await RecordedApi.start();
  client = new CvflowClient({ baseUrl: api.baseUrl, apiKey: TEST_KEYS.admin, fetch: api.fetch });
});
beforeEach(() => api.reset());
afterAll(() => api.close());

/** ETags as the body carries them: without their quotes (the ETag header has them). */
const bare = (etag: string): string => etag.replace(/"/g, "");

/** A workflow in the store: two versions of "listed", and "gone" in the trash. */
async function seed(): Promise<void> {
  const { store } = api.test;
  await store.create(TEST_WORKSPACE, { url: "listed", name: "Listed", specification: BLUR_WORKFLOW });
  await store.update(TEST_WORKSPACE, "listed", { name: "Listed audit" });
  await store.create(TEST_WORKSPACE, { url: "gone", name: "Gone", specification: BLUR_WORKFLOW });
  await store.remove(TEST_WORKSPACE, "gone");
}

describe("management", () => {
  it("lists workflows, versions and the trash", async () => {
    await seed();
    const { store } = api.test;
    expect(await client.listWorkflows("acme")).toEqual((await store.list(TEST_WORKSPACE)).filter((w) => w.url === "listed"));
    expect((await client.workflowVersions("acme", "listed")).map((v) => v.versionId)).toEqual((await store.versions(TEST_WORKSPACE, "listed")).map((v) => v.versionId));
    expect((await client.workflowVersions("acme", "listed")).map((v) => v.name)).toEqual(["Listed audit", "Listed"]);
    expect((await client.listTrash("acme"))[0]!.deletedAt).toBe((await store.trash(TEST_WORKSPACE))[0]!.deletedAt);
    api.reset();
    await client.listWorkflows("acme");
    await client.workflowVersions("acme", "listed");
    await client.listTrash("acme");
    expect(api.received.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /acme/workflows", "GET /acme/workflows/listed/versions", "GET /acme/trash"]);
    expect(api.received.every((r) => r.headers["authorization"] === `Bearer ${TEST_KEYS.admin}`)).toBe(true);
  });

  it("creates a workflow with config as the JSON string of {specification}, and gets it with its parsed definition and etag", async () => {
    const created = await client.createWorkflow("acme", { name: "Shelf audit", url: "shelf", specification: BLUR_WORKFLOW, public: true });
    const request = api.last("/acme/createWorkflow");
    expect(request.method).toBe("POST");
    expect(request.json).toEqual({ name: "Shelf audit", url: "shelf", public: true, config });
    expect(created.workflow).toMatchObject({ url: "shelf", name: "Shelf audit", public: true, config });
    expect(created.etag).toBe(bare((await api.test.store.get(TEST_WORKSPACE, "shelf"))!.etag));

    const got = await client.getWorkflow("acme", "shelf");
    expect(got.workflow.name).toBe("Shelf audit");
    expect(got.specification).toEqual(BLUR_WORKFLOW);
    expect(got.etag).toBe(created.etag);
    expect(api.last("/acme/workflows/shelf").method).toBe("GET");
  });

  it("takes the etag from the ETag header when the body has none, and a config sent as an object", async () => {
    await client.createWorkflow("acme", { name: "Header", url: "header", specification: BLUR_WORKFLOW });
    // The service's answer as a server that sends less would: no etag in the body, config as an object.
    const lessBody: typeof fetch = async (input, init) => {
      const real = await api.fetch(input, init);
      const { etag: _etag, ...body } = (await real.json()) as Record<string, any>;
      body.workflow.config = JSON.parse(body.workflow.config);
      return new Response(JSON.stringify(body), { status: real.status, headers: real.headers });
    };
    const got = await new CvflowClient({ baseUrl: api.baseUrl, apiKey: TEST_KEYS.admin, fetch: lessBody }).getWorkflow("acme", "header");
    expect(got).toMatchObject({ etag: (await api.test.store.get(TEST_WORKSPACE, "header"))!.etag, specification: BLUR_WORKFLOW });
  });

  it("gets a version by its id: an older one with its own definition and no etag, the current one with its etag", async () => {
    const first = await client.createWorkflow("acme", { name: "Versioned", url: "versioned", specification: BLUR_WORKFLOW });
    const changed = { ...BLUR_WORKFLOW, outputs: [] };
    const second = await client.updateWorkflow("acme", "versioned", { specification: changed }, { etag: first.etag });

    const older = await client.getWorkflow("acme", "versioned", { versionId: first.workflow.versionId });
    const request = api.last("/acme/workflows/versioned");
    expect([request.method, request.query.get("workflow_version_id")]).toEqual(["GET", first.workflow.versionId]);
    expect(older.workflow.versionId).toBe(first.workflow.versionId);
    expect(older.specification).toEqual(BLUR_WORKFLOW);
    expect(older).not.toHaveProperty("etag");

    const current = await client.getWorkflow("acme", "versioned", { versionId: second.workflow.versionId });
    expect(current).toMatchObject({ specification: changed, etag: second.etag });
    await expect(client.getWorkflow("acme", "versioned", { versionId: "01NOSUCHVERSION" })).rejects.toMatchObject({ status: 404, code: "workflow_version_not_found" });
  });

  it("updates with If-Match and only the fields given", async () => {
    const { etag } = await client.createWorkflow("acme", { name: "Update me", url: "update-me", specification: BLUR_WORKFLOW });
    const updated = await client.updateWorkflow("acme", "update-me", { specification: { specification: BLUR_WORKFLOW }, public: false }, { etag });
    expect(updated.etag).not.toBe(etag);
    expect(updated.etag).toBe(bare((await api.test.store.get(TEST_WORKSPACE, "update-me"))!.etag));
    const request = api.last("/acme/updateWorkflow");
    expect(request.headers["if-match"]).toBe(etag);
    expect(request.json).toEqual({ url: "update-me", public: false, config });

    const renamed = await client.updateWorkflow("acme", "update-me", { name: "Renamed" });
    expect(api.last("/acme/updateWorkflow").headers["if-match"]).toBeUndefined();
    expect(api.last("/acme/updateWorkflow").json).toEqual({ url: "update-me", name: "Renamed" });
    expect(renamed.workflow.name).toBe("Renamed");
  });

  it("forks, deletes (with If-Match), restores and makes workflow tokens", async () => {
    const { etag } = await client.createWorkflow("acme", { name: "Fork me", url: "fork-me", specification: BLUR_WORKFLOW });
    expect((await client.forkWorkflow("acme", "fork-me", { newUrl: "fork-me-copy", newName: "Copy" })).workflow.url).toBe("fork-me-copy");
    expect(api.last("/acme/forkWorkflow").json).toEqual({ url: "fork-me", new_url: "fork-me-copy", new_name: "Copy" });

    expect(await client.deleteWorkflow("acme", "fork-me", { etag })).toEqual({ deleted: "fork-me" });
    const deletion = api.last("/acme/workflows/fork-me", "DELETE");
    expect(deletion.headers["if-match"]).toBe(etag);
    expect(deletion.body.length).toBe(0);

    expect((await client.restoreWorkflow("acme", "fork-me")).workflow.url).toBe("fork-me");
    expect(api.last("/acme/trash/restore").json).toEqual({ url: "fork-me" });

    const token = await client.createWorkflowToken("acme", "fork-me", { ttlSeconds: 60 });
    expect(token).toEqual({ token: api.last("/acme/workflowToken").answer!.json.token, expiresAt: api.last("/acme/workflowToken").answer!.json.expires_at });
    expect(Date.parse(token.expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
    expect(api.last("/acme/workflowToken").json).toEqual({ url: "fork-me", ttl_seconds: 60 });
  });

  it("encodes workspace and workflow names as path segments", async () => {
    await expect(client.getWorkflow("my team", "a/b")).rejects.toMatchObject({ status: 400 });
    expect(api.received[0]!.path).toBe("/my%20team/workflows/a%2Fb");
  });
});
