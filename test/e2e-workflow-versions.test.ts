/**
 * Reading an older version of a saved workflow over real HTTP against the local stack
 * (`GET /{workspace}/workflows/{url}?workflow_version_id=…`): that version's body without an ETag,
 * the current version's as a plain read, unknown versions and access, and restoring an old
 * version by saving its definition with the current ETag.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { call, testStack } from "./local-stack.js";
import { echoWorkflow } from "./fixtures/echo-workflow.js";

let stack: LocalStack;
beforeAll(async () => {
  stack = await testStack();
}, 60_000);
afterAll(() => stack?.close());

/** The echo workflow whose parameter defaults to `x`: each version differs in it. */
const echoing = (x: number) => ({ ...echoWorkflow, inputs: [{ type: "WorkflowParameter", name: "x", default_value: x }] });
const configOf = (x: number) => JSON.stringify({ specification: echoing(x) });

/** A private workflow `url` saved twice: "First" echoing 1, then "Second" echoing 2. */
async function twoVersions(url: string) {
  const created = await call(stack, "POST", "/demo/createWorkflow", { body: { name: "First", url, config: configOf(1) } });
  expect(created.status).toBe(201);
  const updated = await call(stack, "POST", "/demo/updateWorkflow", { body: { url, name: "Second", config: configOf(2) }, headers: { "if-match": created.body.etag } });
  expect(updated.status).toBe(200);
  return { first: created.body.workflow.versionId as string, second: updated.body.workflow.versionId as string, etag: updated.body.etag as string };
}

describe("GET /{workspace}/workflows/{url}?workflow_version_id=", () => {
  it("answers an older version as it was saved, without an ETag in the body or the header", async () => {
    const { first, second } = await twoVersions("two-saves");
    const old = await call(stack, "GET", `/demo/workflows/two-saves?workflow_version_id=${first}`);
    expect(old.status).toBe(200);
    expect(Object.keys(old.body)).toEqual(["workflow"]);
    expect(old.body.workflow).toMatchObject({ url: "two-saves", name: "First", versionId: first, public: false });
    expect(JSON.parse(old.body.workflow.config)).toEqual({ specification: echoing(1) });
    expect(old.headers.get("etag")).toBeNull();

    // Roboflow's name for it reads the same version.
    const roboflows = await call(stack, "GET", `/demo/workflows/two-saves?workflow_version=${first}`);
    expect(roboflows.body).toEqual(old.body);

    // The current version named answers as a plain read: with the ETag that updates.
    const plain = await call(stack, "GET", "/demo/workflows/two-saves");
    const named = await call(stack, "GET", `/demo/workflows/two-saves?workflow_version_id=${second}`);
    expect(named.body).toEqual(plain.body);
    expect(named.body.workflow).toMatchObject({ name: "Second", versionId: second });
    expect(named.headers.get("etag")).toBe(`"${plain.body.etag}"`);
  });

  it("restores an older version by saving its config with the current ETag: a third version equal to the first", async () => {
    const { first, etag } = await twoVersions("restorable");
    const old = await call(stack, "GET", `/demo/workflows/restorable?workflow_version_id=${first}`);
    const restored = await call(stack, "POST", "/demo/updateWorkflow", { body: { url: "restorable", config: old.body.workflow.config }, headers: { "if-match": etag } });
    expect(restored.status).toBe(200);
    const versions = await call(stack, "GET", "/demo/workflows/restorable/versions");
    expect(versions.body.versions.map((v: { versionId: string }) => v.versionId)).toHaveLength(3);
    expect(versions.body.versions[0].versionId).toBe(restored.body.workflow.versionId);
    const current = await call(stack, "GET", "/demo/workflows/restorable");
    expect(current.body.workflow.config).toBe(old.body.workflow.config);
    const run = await call(stack, "POST", "/demo/workflows/restorable", { body: { inputs: {} } });
    expect(run.body.outputs).toEqual([{ x: 1 }]);
  });

  it("an unknown version is a 404 naming it; two names that disagree are a 400", async () => {
    const { first, second } = await twoVersions("asked-wrong");
    const unknown = await call(stack, "GET", "/demo/workflows/asked-wrong?workflow_version_id=01NOSUCHVERSION");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "workflow_version_not_found", details: { workflow_version_id: "01NOSUCHVERSION", url: "asked-wrong" } });
    // Another workflow's version is not this one's.
    const other = await twoVersions("other-workflow");
    expect((await call(stack, "GET", `/demo/workflows/asked-wrong?workflow_version_id=${other.first}`)).status).toBe(404);
    const both = await call(stack, "GET", `/demo/workflows/asked-wrong?workflow_version_id=${first}&workflow_version=${second}`);
    expect(both.status).toBe(400);
    expect(both.body.error).toMatchObject({ code: "invalid_request", details: { field: "workflow_version" } });
    expect((await call(stack, "GET", `/demo/workflows/asked-wrong?workflow_version_id=${first}&workflow_version=${first}`)).status).toBe(200);
  });

  it("asks for the workflow's read access first: without a key a private workflow's versions, known or not, are 401", async () => {
    const { first } = await twoVersions("private-one");
    expect((await call(stack, "GET", `/demo/workflows/private-one?workflow_version_id=${first}`, { key: null })).status).toBe(401);
    expect((await call(stack, "GET", "/demo/workflows/private-one?workflow_version_id=01NOSUCHVERSION", { key: null })).status).toBe(401);
  });

  it("is in the OpenAPI document: both query parameters, and an older version's body", async () => {
    const document = (await call(stack, "GET", "/openapi.json")).body;
    const parameters = document.paths["/{workspace}/workflows/{workflow_id}"].get.parameters.filter((p: { in: string }) => p.in === "query").map((p: { name: string }) => p.name);
    expect(parameters).toEqual(expect.arrayContaining(["workflow_version_id", "workflow_version"]));
    expect(document.components.schemas.WorkflowAtVersion.required).toEqual(["workflow"]);
  });
});
