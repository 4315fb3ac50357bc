/** `cvflow workflows ...` against the real service over loopback: each subcommand's request and output. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BLUR_WORKFLOW as SPECIFICATION, RecordedApi, TEST_KEYS, TEST_WORKSPACE } from "@cvflow/service/testing";
import { cvflow } from "./spawn-cvflow.js";

let api: RecordedApi;
let env: Record<string, string>;
const dir = mkdtempSync(`${tmpdir()}/cvflow-cli-`);
const SPEC = `${dir}/spec.json`;
const config = JSON.stringify({ specification: SPECIFICATION });
/** A version id (sortableId) is 25 characters, a time 24: the table columns they head are that wide. */
const VERSION = "VERSION".padEnd(25);

beforeAll(() => writeFileSync(SPEC, JSON.stringify(SPECIFICATION)));
beforeEach(async () => {
  api = await RecordedApi.start();
  env = { CVFLOW_URL: api.url, CVFLOW_API_KEY: TEST_KEYS.admin };
});
afterEach(() => api.close());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** "shelf" ("Shelf audit") in the store, at its second version. */
async function shelf() {
  const { store } = api.test;
  await store.create(TEST_WORKSPACE, { url: "shelf", name: "Shelf", specification: SPECIFICATION });
  return store.update(TEST_WORKSPACE, "shelf", { name: "Shelf audit" });
}

describe("cvflow workflows", () => {
  it("lists a workspace's workflows as a table, and as JSON", async () => {
    const { value } = await shelf();
    const { code, stdout } = await cvflow(["workflows", "list", "acme"], env);
    expect(code).toBe(0);
    expect(stdout).toBe([`URL    NAME         PUBLIC  ${VERSION}  UPDATED`, `shelf  Shelf audit  no      ${value.versionId}  ${value.updatedAt}`, ""].join("\n"));
    expect(api.last("/acme/workflows").headers["authorization"]).toBe(`Bearer ${TEST_KEYS.admin}`);
    expect(JSON.parse((await cvflow(["workflows", "list", "acme", "--json"], env)).stdout)).toEqual(await api.test.store.list(TEST_WORKSPACE));
  });

  it("gets a workflow: summary and definition, only the definition, or JSON", async () => {
    await shelf();
    const readable = await cvflow(["workflows", "get", "acme/shelf"], env);
    expect(readable.code).toBe(0);
    const { etag } = api.last("/acme/workflows/shelf").answer!.json;
    expect(readable.stdout).toContain(`etag     ${etag}\nspecification\n{\n  "version": "1.0"`);
    expect(JSON.parse((await cvflow(["workflows", "get", "acme/shelf", "--spec"], env)).stdout)).toEqual(SPECIFICATION);
    const json = JSON.parse((await cvflow(["workflows", "get", "acme/shelf", "--json"], env)).stdout);
    expect(json).toMatchObject({ etag, specification: SPECIFICATION, workflow: { url: "shelf" } });
  });

  it("creates a workflow from a definition file", async () => {
    const { code, stdout } = await cvflow(["workflows", "create", "acme/shelf", SPEC, "--name", "Shelf audit", "--public"], env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^created acme\/shelf\nname {5}Shelf audit\n/);
    expect(api.last("/acme/createWorkflow").json).toEqual({ name: "Shelf audit", url: "shelf", public: true, config });
    expect((await api.test.store.get(TEST_WORKSPACE, "shelf"))!.value).toMatchObject({ name: "Shelf audit", public: true, specification: SPECIFICATION });

    await cvflow(["workflows", "create", "acme", SPEC, "--name", "Shelf audit"], env);
    expect(api.last("/acme/createWorkflow").json).toEqual({ name: "Shelf audit", config });
  });

  it("updates with If-Match, and refuses an update with nothing to change", async () => {
    const { etag } = await shelf();
    const { code, stdout } = await cvflow(["workflows", "update", "acme/shelf", "--spec", SPEC, "--private", "--etag", etag], env);
    expect(code).toBe(0);
    expect(stdout).toContain(`etag     ${api.last("/acme/updateWorkflow").answer!.json.etag}`);
    const request = api.last("/acme/updateWorkflow");
    expect(request.headers["if-match"]).toBe(etag);
    expect(request.json).toEqual({ url: "shelf", config, public: false });

    const nothing = await cvflow(["workflows", "update", "acme/shelf"], env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("nothing to update");
    const both = await cvflow(["workflows", "update", "acme/shelf", "--public", "--private"], env);
    expect(both.code).toBe(2);
  });

  it("reports a stale etag as the server's 412 with exit 1", async () => {
    await shelf();
    const { code, stderr } = await cvflow(["workflows", "update", "acme/shelf", "--name", "x", "--etag", '"old"'], env);
    expect(code).toBe(1);
    const { error } = api.last("/acme/updateWorkflow").answer!.json;
    expect(error.code).toBe("precondition_failed");
    expect(stderr).toBe(`cvflow: precondition_failed: ${error.message}\n`);
  });

  it("forks, deletes, restores", async () => {
    const { etag } = await shelf();
    expect((await cvflow(["workflows", "fork", "acme/shelf", "--new-url", "shelf-copy", "--new-name", "Copy"], env)).stdout).toMatch(/^forked acme\/shelf-copy\n/);
    expect(api.last("/acme/forkWorkflow").json).toEqual({ url: "shelf", new_url: "shelf-copy", new_name: "Copy" });

    const deleted = await cvflow(["workflows", "delete", "acme/shelf", "--etag", etag], env);
    expect(deleted.stdout).toBe("deleted acme/shelf (restore it with: cvflow workflows restore acme/shelf)\n");
    expect(api.last("/acme/workflows/shelf", "DELETE").headers["if-match"]).toBe(etag);

    expect((await cvflow(["workflows", "restore", "acme/shelf"], env)).stdout).toMatch(/^restored acme\/shelf\n/);
    expect(api.last("/acme/trash/restore").json).toEqual({ url: "shelf" });
  });

  it("lists versions and the trash", async () => {
    const { store } = api.test;
    const first = await store.create(TEST_WORKSPACE, { url: "shelf", name: "Shelf", specification: SPECIFICATION });
    const second = await store.update(TEST_WORKSPACE, "shelf", { name: "Shelf audit" });
    expect((await cvflow(["workflows", "versions", "acme/shelf"], env)).stdout).toBe(
      [
        `${VERSION}  ${"CREATED".padEnd(24)}  NAME`,
        `${second.value.versionId}  ${second.value.updatedAt}  Shelf audit`,
        `${first.value.versionId}  ${first.value.createdAt}  Shelf`,
        "",
      ].join("\n"),
    );
    await store.remove(TEST_WORKSPACE, "shelf");
    const [trashed] = await store.trash(TEST_WORKSPACE);
    expect((await cvflow(["workflows", "trash", "acme"], env)).stdout).toBe(["URL    NAME         DELETED", `shelf  Shelf audit  ${trashed!.deletedAt}`, ""].join("\n"));
  });

  it("makes a workflow token", async () => {
    await shelf();
    const { code, stdout } = await cvflow(["workflows", "token", "acme/shelf", "--ttl", "60"], env);
    expect(code).toBe(0);
    const { token, expires_at } = api.last("/acme/workflowToken").answer!.json;
    expect(stdout).toBe(`${token}\nexpires ${expires_at}\n`);
    expect(api.last("/acme/workflowToken").json).toEqual({ url: "shelf", ttl_seconds: 60 });
  });

  it("exits 2 for a workflow named without its workspace", async () => {
    const { code, stderr } = await cvflow(["workflows", "get", "shelf"], env);
    expect(code).toBe(2);
    expect(stderr).toContain('"shelf" is not workspace/url');
  });
});
