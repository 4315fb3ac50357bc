/** Managing saved workflows: create, read, versions, update with ETags, fork, trash and restore. */
import { describe, expect, it } from "vitest";
import { ECHO_WORKFLOW } from "../src/testing/index.js";
import { KEYS, testService, WORKSPACE } from "./harness.js";

interface Tagged {
  workflow: { id: string; url: string; name: string; workspace: string; public: boolean; versionId: string; config: string; createdAt: string; updatedAt: string };
  etag: string;
}

async function created(name = "Count things", extra: Record<string, unknown> = {}) {
  const t = await testService();
  const response = await t.call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name, config: JSON.stringify({ specification: ECHO_WORKFLOW }), ...extra } });
  expect(response.statusCode).toBe(201);
  return { ...t, first: response.body as Tagged, headers: response.headers };
}

const codeOf = (response: { body: unknown }) => (response.body as { error: { code: string } }).error.code;

describe("createWorkflow", () => {
  it("saves a workflow, its url made from the name, and answers it with its ETag", async () => {
    const { first, headers } = await created();
    expect(first.workflow).toMatchObject({ id: "count-things", url: "count-things", name: "Count things", workspace: WORKSPACE, public: false });
    expect(JSON.parse(first.workflow.config)).toEqual({ specification: ECHO_WORKFLOW });
    expect(headers).toEqual({ etag: `"${first.etag}"` });
  });

  it("takes config as a JSON string, as {specification}, or as a bare specification (wrapped)", async () => {
    const { call } = await testService();
    for (const [url, config] of [["as-string", JSON.stringify({ specification: ECHO_WORKFLOW })], ["as-object", { specification: ECHO_WORKFLOW }], ["bare", ECHO_WORKFLOW]] as const) {
      const response = await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name: url, url, config } });
      expect(JSON.parse((response.body as Tagged).workflow.config)).toEqual({ specification: ECHO_WORKFLOW });
    }
  });

  it("refuses a taken url (409), bad config (400) and missing fields (400)", async () => {
    const { call } = await created();
    const again = await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name: "Count things", config: ECHO_WORKFLOW } });
    expect(again.statusCode).toBe(409);
    expect(codeOf(again)).toBe("workflow_exists");
    expect(codeOf(await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name: "x", config: "{not json" } }))).toBe("invalid_config");
    expect(codeOf(await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name: "x", config: [1] } }))).toBe("invalid_config");
    expect(codeOf(await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { config: ECHO_WORKFLOW } }))).toBe("invalid_request");
    expect(codeOf(await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name: "x" } }))).toBe("invalid_request");
    expect(codeOf(await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name: "!!!", config: ECHO_WORKFLOW } }))).toBe("invalid_request");
    expect(codeOf(await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: [] }))).toBe("invalid_request");
  });
});

describe("reading", () => {
  it("lists without definitions, gets one with its ETag, lists versions newest first", async () => {
    const { call, first } = await created();
    const list = await call("GET", `/${WORKSPACE}/workflows`, { key: KEYS.reader });
    const { config: _config, ...summary } = first.workflow;
    expect(list.body).toEqual({ workflows: [summary], status: "ok" });
    const got = await call("GET", `/${WORKSPACE}/workflows/count-things`, { key: KEYS.reader });
    expect(got.body).toEqual(first);
    expect(got.headers).toEqual({ etag: `"${first.etag}"` });
    const updated = await call("POST", `/${WORKSPACE}/updateWorkflow`, { key: KEYS.admin, body: { url: "count-things", name: "Renamed" } });
    const versions = (await call("GET", `/${WORKSPACE}/workflows/count-things/versions`, { key: KEYS.reader })).body as { versions: { versionId: string; name: string }[] };
    expect(versions.versions.map((v) => [v.versionId, v.name])).toEqual([
      [(updated.body as Tagged).workflow.versionId, "Renamed"],
      [first.workflow.versionId, "Count things"],
    ]);
  });
});

describe("updateWorkflow", () => {
  it("saves a new version when the ETag carried back (If-Match, quoted or not, or in the body) is current", async () => {
    const { call, first } = await created();
    const viaHeader = await call("POST", `/${WORKSPACE}/updateWorkflow`, { key: KEYS.admin, headers: { "if-match": `"${first.etag}"` }, body: { url: "count-things", public: true } });
    expect(viaHeader.statusCode).toBe(200);
    const second = viaHeader.body as Tagged;
    expect(second.workflow.public).toBe(true);
    expect(second.workflow.versionId).not.toBe(first.workflow.versionId);
    const viaBody = await call("POST", `/${WORKSPACE}/updateWorkflow`, { key: KEYS.admin, body: { url: "count-things", etag: second.etag, config: { ...ECHO_WORKFLOW, outputs: [] } } });
    expect(JSON.parse((viaBody.body as Tagged).workflow.config).specification.outputs).toEqual([]);
  });

  it("refuses a stale ETag with 412, so that no update is lost", async () => {
    const { call, first } = await created();
    await call("POST", `/${WORKSPACE}/updateWorkflow`, { key: KEYS.admin, headers: { "if-match": first.etag }, body: { url: "count-things", name: "One" } });
    const stale = await call("POST", `/${WORKSPACE}/updateWorkflow`, { key: KEYS.admin, headers: { "if-match": first.etag }, body: { url: "count-things", name: "Two" } });
    expect(stale.statusCode).toBe(412);
    expect(codeOf(stale)).toBe("precondition_failed");
    expect(((await call("GET", `/${WORKSPACE}/workflows/count-things`, { key: KEYS.admin })).body as Tagged).workflow.name).toBe("One");
  });

  it("needs something to change, and an existing workflow", async () => {
    const { call } = await created();
    expect((await call("POST", `/${WORKSPACE}/updateWorkflow`, { key: KEYS.admin, body: { url: "count-things" } })).statusCode).toBe(400);
    expect((await call("POST", `/${WORKSPACE}/updateWorkflow`, { key: KEYS.admin, body: { url: "nope", name: "x" } })).statusCode).toBe(404);
  });

  it("names the workflow by id as Roboflow's clients do (the id is the url); an id and a url that differ are refused", async () => {
    const { call } = await created();
    const byId = await call("POST", `/${WORKSPACE}/updateWorkflow`, { key: KEYS.admin, body: { id: "count-things", name: "By id" } });
    expect(byId.statusCode).toBe(200);
    expect((byId.body as Tagged).workflow).toMatchObject({ url: "count-things", name: "By id" });
    const both = await call("POST", `/${WORKSPACE}/updateWorkflow`, { key: KEYS.admin, body: { id: "count-things", url: "count-things", name: "Both" } });
    expect((both.body as Tagged).workflow.name).toBe("Both");
    const differ = await call("POST", `/${WORKSPACE}/updateWorkflow`, { key: KEYS.admin, body: { id: "count-things", url: "renamed", name: "x" } });
    expect(differ.statusCode).toBe(400);
    expect((differ.body as { error: { details: unknown } }).error.details).toEqual({ field: "id" });
    const neither = await call("POST", `/${WORKSPACE}/updateWorkflow`, { key: KEYS.admin, body: { name: "x" } });
    expect(neither.statusCode).toBe(400);
    expect((neither.body as { error: { message: string } }).error.message).toBe('"url" is required (or "id", the same)');
  });
});

describe("forkWorkflow", () => {
  it("copies the definition under a new url, private", async () => {
    const { call } = await created("Source", { public: true });
    const fork = await call("POST", `/${WORKSPACE}/forkWorkflow`, { key: KEYS.admin, body: { url: "source" } });
    expect(fork.statusCode).toBe(201);
    expect((fork.body as Tagged).workflow).toMatchObject({ url: "source-copy", name: "Source (copy)", public: false });
    const named = await call("POST", `/${WORKSPACE}/forkWorkflow`, { key: KEYS.admin, body: { url: "source", new_url: "mine", new_name: "Mine" } });
    expect(JSON.parse((named.body as Tagged).workflow.config)).toEqual({ specification: ECHO_WORKFLOW });
    expect((await call("POST", `/${WORKSPACE}/forkWorkflow`, { key: KEYS.admin, body: { url: "missing" } })).statusCode).toBe(404);
  });

  it("takes Roboflow's form: source_workspace and source_workflow, the copy's url and name", async () => {
    const { call } = await created("Source");
    const fork = await call("POST", `/${WORKSPACE}/forkWorkflow`, { key: KEYS.admin, body: { source_workspace: WORKSPACE, source_workflow: "source", name: "Theirs", url: "theirs" } });
    expect(fork.statusCode).toBe(201);
    const copy = (fork.body as Tagged).workflow;
    expect(copy).toMatchObject({ id: "theirs", url: "theirs", name: "Theirs", workspace: WORKSPACE, public: false });
    expect(JSON.parse(copy.config)).toEqual({ specification: ECHO_WORKFLOW });
    // The source workspace defaults to the path's; the copy's url and name to cvflow's defaults.
    const defaults = await call("POST", `/${WORKSPACE}/forkWorkflow`, { key: KEYS.admin, body: { source_workflow: "source" } });
    expect((defaults.body as Tagged).workflow).toMatchObject({ url: "source-copy", name: "Source (copy)" });
    const missing = await call("POST", `/${WORKSPACE}/forkWorkflow`, { key: KEYS.admin, body: { source_workspace: WORKSPACE, source_workflow: "missing" } });
    expect(missing.statusCode).toBe(404);
  });

  it("refuses a field of the other form, naming it", async () => {
    const { call } = await created("Source");
    for (const [body, field] of [
      [{ source_workflow: "source", new_url: "x" }, "new_url"],
      [{ source_workflow: "source", new_name: "x" }, "new_name"],
      [{ url: "source", name: "x" }, "name"],
      [{ url: "source", source_workspace: WORKSPACE }, "source_workspace"],
    ] as const) {
      const refused = await call("POST", `/${WORKSPACE}/forkWorkflow`, { key: KEYS.admin, body });
      expect(refused.statusCode).toBe(400);
      expect((refused.body as { error: { code: string; details: unknown } }).error).toMatchObject({ code: "invalid_request", details: { field } });
    }
  });

  it("copies from another workspace only what the key could read there: a public workflow, not a private one (403)", async () => {
    const { call } = await testService();
    for (const [url, isPublic] of [["shared", true], ["private", false]] as const) {
      const made = await call("POST", "/other/createWorkflow", { key: KEYS.other, body: { name: url, url, config: ECHO_WORKFLOW, public: isPublic } });
      expect(made.statusCode).toBe(201);
    }
    const shared = await call("POST", `/${WORKSPACE}/forkWorkflow`, { key: KEYS.admin, body: { source_workspace: "other", source_workflow: "shared", url: "mine" } });
    expect(shared.statusCode).toBe(201);
    expect((shared.body as Tagged).workflow).toMatchObject({ url: "mine", workspace: WORKSPACE, name: "shared (copy)", public: false });
    const refused = await call("POST", `/${WORKSPACE}/forkWorkflow`, { key: KEYS.admin, body: { source_workspace: "other", source_workflow: "private", url: "stolen" } });
    expect(refused.statusCode).toBe(403);
    expect(codeOf(refused)).toBe("forbidden");
    // Whether a workflow exists elsewhere is not told: a missing one is the same 403.
    expect((await call("POST", `/${WORKSPACE}/forkWorkflow`, { key: KEYS.admin, body: { source_workspace: "other", source_workflow: "none" } })).statusCode).toBe(403);
    expect((await call("GET", `/${WORKSPACE}/workflows/stolen`, { key: KEYS.admin })).statusCode).toBe(404);
  });
});

describe("delete, trash, restore", () => {
  it("moves to the trash, lists it there, and restores it", async () => {
    const { call, first } = await created();
    const deleted = await call("DELETE", `/${WORKSPACE}/workflows/count-things`, { key: KEYS.admin, headers: { "if-match": first.etag } });
    expect(deleted.body).toEqual({ deleted: "count-things" });
    expect((await call("GET", `/${WORKSPACE}/workflows/count-things`, { key: KEYS.admin })).statusCode).toBe(404);
    expect((await call("POST", `/${WORKSPACE}/workflows/count-things`, { key: KEYS.admin, body: {} })).statusCode).toBe(404);
    const trash = (await call("GET", `/${WORKSPACE}/trash`, { key: KEYS.reader })).body as {
      workflows: { url: string; id: string; type: string; deletedAt: string; scheduledCleanupAt: string }[];
      items: unknown[];
      sections: { workflows: unknown[] };
    };
    expect(trash.workflows.map((w) => w.url)).toEqual(["count-things"]);
    const [item] = trash.workflows;
    expect(item).toMatchObject({ id: "count-things", type: "workflow" });
    // Roboflow's shapes of the same list: every item, and the items by kind.
    expect(trash.items).toEqual(trash.workflows);
    expect(trash.sections).toEqual({ workflows: trash.workflows });
    // Gone 30 days later, at the midnight UTC that follows, as S3's expiry rule removes it.
    const deletedAt = Date.parse(item!.deletedAt);
    const cleanup = Date.parse(item!.scheduledCleanupAt);
    expect(cleanup % 86_400_000).toBe(0);
    expect(cleanup - deletedAt).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(cleanup - deletedAt).toBeLessThan(31 * 86_400_000);
    const restored = await call("POST", `/${WORKSPACE}/trash/restore`, { key: KEYS.admin, body: { url: "count-things" } });
    expect(restored.statusCode).toBe(200);
    expect((restored.body as Tagged).workflow.url).toBe("count-things");
    expect((await call("POST", `/${WORKSPACE}/workflows/count-things`, { key: KEYS.admin, body: { inputs: { x: 4 } } })).body).toEqual({ outputs: [{ x: 4 }] });
  });

  it("restores by Roboflow's {type: \"workflow\", id}, the id the trash lists, and answers {restored, type, id} beside the workflow", async () => {
    const { call } = await created();
    await call("DELETE", `/${WORKSPACE}/workflows/count-things`, { key: KEYS.admin });
    const [item] = ((await call("GET", `/${WORKSPACE}/trash`, { key: KEYS.admin })).body as { sections: { workflows: { id: string }[] } }).sections.workflows;
    const notWorkflow = await call("POST", `/${WORKSPACE}/trash/restore`, { key: KEYS.admin, body: { type: "project", id: item!.id } });
    expect(notWorkflow.statusCode).toBe(400);
    expect((notWorkflow.body as { error: { details: unknown } }).error.details).toEqual({ field: "type" });
    const restored = await call("POST", `/${WORKSPACE}/trash/restore`, { key: KEYS.admin, body: { type: "workflow", id: item!.id } });
    expect(restored.statusCode).toBe(200);
    expect(restored.body).toMatchObject({ restored: true, type: "workflow", id: "count-things", workflow: { url: "count-things" } });
    expect(restored.headers).toEqual({ etag: `"${(restored.body as Tagged).etag}"` });
    const gone = await call("POST", `/${WORKSPACE}/trash/restore`, { key: KEYS.admin, body: { type: "workflow", id: item!.id } });
    expect(gone.statusCode).toBe(404);
  });

  it("refuses a stale ETag on delete, and a restore whose url was taken meanwhile", async () => {
    const { call } = await created();
    expect((await call("DELETE", `/${WORKSPACE}/workflows/count-things`, { key: KEYS.admin, headers: { "if-match": "stale" } })).statusCode).toBe(412);
    await call("DELETE", `/${WORKSPACE}/workflows/count-things`, { key: KEYS.admin });
    await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name: "Count things", config: ECHO_WORKFLOW } });
    const clash = await call("POST", `/${WORKSPACE}/trash/restore`, { key: KEYS.admin, body: { url: "count-things" } });
    expect(clash.statusCode).toBe(409);
  });

  it("needs workflow:update", async () => {
    const { call } = await created();
    expect((await call("DELETE", `/${WORKSPACE}/workflows/count-things`, { key: KEYS.reader })).statusCode).toBe(403);
  });
});
