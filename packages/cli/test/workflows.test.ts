/** `cvflow workflows ...`: each subcommand's request and output. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeApi, SPECIFICATION, WORKFLOW } from "../../sdk/test/fake-api.js";
import { cvflow } from "./spawn-cvflow.js";

let api: FakeApi;
let env: Record<string, string>;
const dir = mkdtempSync(`${tmpdir()}/cvflow-cli-`);
const SPEC = `${dir}/spec.json`;
const config = JSON.stringify({ specification: SPECIFICATION });

beforeAll(async () => {
  api = await FakeApi.start();
  env = { CVFLOW_URL: api.url, CVFLOW_API_KEY: "cvf_admin" };
  writeFileSync(SPEC, JSON.stringify(SPECIFICATION));
});
beforeEach(() => api.reset());
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("cvflow workflows", () => {
  it("lists a workspace's workflows as a table, and as JSON", async () => {
    const { code, stdout } = await cvflow(["workflows", "list", "acme"], env);
    expect(code).toBe(0);
    expect(stdout).toBe(["URL    NAME         PUBLIC  VERSION  UPDATED", "shelf  Shelf audit  no      v2       2025-01-02T00:00:00.000Z", ""].join("\n"));
    expect(api.last("/acme/workflows").headers["authorization"]).toBe("Bearer cvf_admin");
    expect(JSON.parse((await cvflow(["workflows", "list", "acme", "--json"], env)).stdout)).toEqual([WORKFLOW]);
  });

  it("gets a workflow: summary and definition, only the definition, or JSON", async () => {
    const readable = await cvflow(["workflows", "get", "acme/shelf"], env);
    expect(readable.code).toBe(0);
    expect(readable.stdout).toContain('etag     "etag-2"\nspecification\n{\n  "version": "1.0"');
    expect(JSON.parse((await cvflow(["workflows", "get", "acme/shelf", "--spec"], env)).stdout)).toEqual(SPECIFICATION);
    const json = JSON.parse((await cvflow(["workflows", "get", "acme/shelf", "--json"], env)).stdout);
    expect(json).toMatchObject({ etag: '"etag-2"', specification: SPECIFICATION, workflow: { url: "shelf" } });
  });

  it("creates a workflow from a definition file", async () => {
    const { code, stdout } = await cvflow(["workflows", "create", "acme/shelf", SPEC, "--name", "Shelf audit", "--public"], env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^created acme\/shelf\nname {5}Shelf audit\n/);
    expect(api.last("/acme/createWorkflow").json).toEqual({ name: "Shelf audit", url: "shelf", public: true, config });

    await cvflow(["workflows", "create", "acme", SPEC, "--name", "Shelf audit"], env);
    expect(api.last("/acme/createWorkflow").json).toEqual({ name: "Shelf audit", config });
  });

  it("updates with If-Match, and refuses an update with nothing to change", async () => {
    const { code, stdout } = await cvflow(["workflows", "update", "acme/shelf", "--spec", SPEC, "--private", "--etag", '"etag-2"'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('etag     "etag-3"');
    const request = api.last("/acme/updateWorkflow");
    expect(request.headers["if-match"]).toBe('"etag-2"');
    expect(request.json).toEqual({ url: "shelf", config, public: false });

    const nothing = await cvflow(["workflows", "update", "acme/shelf"], env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("nothing to update");
    const both = await cvflow(["workflows", "update", "acme/shelf", "--public", "--private"], env);
    expect(both.code).toBe(2);
  });

  it("reports a stale etag as the server's 412 with exit 1", async () => {
    api.reply("POST /:workspace/updateWorkflow", { status: 412, body: { error: { code: "precondition_failed", message: "The workflow changed since it was read", status: 412, details: {} } } });
    const { code, stderr } = await cvflow(["workflows", "update", "acme/shelf", "--name", "x", "--etag", '"old"'], env);
    expect(code).toBe(1);
    expect(stderr).toBe("cvflow: precondition_failed: The workflow changed since it was read\n");
  });

  it("forks, deletes, restores", async () => {
    expect((await cvflow(["workflows", "fork", "acme/shelf", "--new-url", "shelf-copy", "--new-name", "Copy"], env)).stdout).toMatch(/^forked acme\/shelf-copy\n/);
    expect(api.last("/acme/forkWorkflow").json).toEqual({ url: "shelf", new_url: "shelf-copy", new_name: "Copy" });

    const deleted = await cvflow(["workflows", "delete", "acme/shelf", "--etag", '"etag-2"'], env);
    expect(deleted.stdout).toBe("deleted acme/shelf (restore it with: cvflow workflows restore acme/shelf)\n");
    expect(api.last("/acme/workflows/shelf", "DELETE").headers["if-match"]).toBe('"etag-2"');

    expect((await cvflow(["workflows", "restore", "acme/shelf"], env)).stdout).toMatch(/^restored acme\/shelf\n/);
    expect(api.last("/acme/trash/restore").json).toEqual({ url: "shelf" });
  });

  it("lists versions and the trash", async () => {
    expect((await cvflow(["workflows", "versions", "acme/shelf"], env)).stdout).toBe(
      ["VERSION  CREATED                   NAME", "v2       2025-01-02T00:00:00.000Z  Shelf audit", "v1       2025-01-01T00:00:00.000Z  Shelf", ""].join("\n"),
    );
    expect((await cvflow(["workflows", "trash", "acme"], env)).stdout).toBe(["URL    NAME         DELETED", "shelf  Shelf audit  2025-01-03T00:00:00.000Z", ""].join("\n"));
  });

  it("makes a workflow token", async () => {
    const { code, stdout } = await cvflow(["workflows", "token", "acme/shelf", "--ttl", "60"], env);
    expect(code).toBe(0);
    expect(stdout).toBe("cvt_token\nexpires 2025-01-01T00:15:00.000Z\n");
    expect(api.last("/acme/workflowToken").json).toEqual({ url: "shelf", ttl_seconds: 60 });
  });

  it("exits 2 for a workflow named without its workspace", async () => {
    const { code, stderr } = await cvflow(["workflows", "get", "shelf"], env);
    expect(code).toBe(2);
    expect(stderr).toContain('"shelf" is not workspace/url');
  });
});
