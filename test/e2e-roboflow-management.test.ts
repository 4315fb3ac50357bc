/**
 * Roboflow's management calls, unchanged, over real HTTP against the local stack. Each request is
 * transcribed from Roboflow's Python SDK (the `roboflow` package: roboflow/adapters/rfapi.py, and
 * the CLI commands over it in roboflow/cli/handlers/workflow.py, at roboflow/roboflow-python
 * c731b4e) — method, path, query, body, as `requests` sends them — and each test reads from the
 * answers what that code reads: the status codes it accepts, and the fields it takes out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { createS3Client, S3ApiKeyStore } from "@cvflow/store";
import { testStack } from "./local-stack.js";
import { echoWorkflow } from "./fixtures/echo-workflow.js";

let stack: LocalStack;
let otherKey: string;
beforeAll(async () => {
  stack = await testStack();
  const keys = new S3ApiKeyStore(createS3Client({ endpoint: stack.s3.endpoint, region: stack.s3.region, credentials: stack.s3.credentials }), stack.s3.bucket);
  otherKey = (await keys.create("other", ["workflow:read", "workflow:create", "workflow:update"], "test")).key;
}, 60_000);
afterAll(() => stack?.close());


// ---- `requests`, as rfapi calls it -------------------------------------------------------------

/** urllib.parse.urlencode as `requests` encodes `params`: quote_plus keeps letters, digits and `_.-~`, a space is `+`. */
function urlencode(params: Record<string, string>): string {
  const quotePlus = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, "+");
  return Object.entries(params)
    .map(([name, value]) => `${quotePlus(name)}=${quotePlus(value)}`)
    .join("&");
}

interface Answer {
  status: number;
  body: any;
}

/** One request as `requests` sends it: `params` in the query, `json` as the body with its Content-Type; a POST without one has an empty body. */
async function send(method: string, pathAndQuery: string, options: { params?: Record<string, string>; json?: unknown } = {}): Promise<Answer> {
  const query = options.params ? `${pathAndQuery.includes("?") ? "&" : "?"}${urlencode(options.params)}` : "";
  const response = await fetch(`${stack.url}${pathAndQuery}${query}`, {
    method,
    headers: { accept: "*/*", "user-agent": "python-requests/2.32.3", ...(options.json === undefined ? {} : { "content-type": "application/json" }) },
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** rfapi._normalize_workflow_config: a bare specification is wrapped as {"specification": …}, compactly; anything else is sent as it is. */
function normalizeWorkflowConfig(config: string | undefined): string {
  if (config === undefined) return "{}";
  const parsed = JSON.parse(config) as Record<string, unknown>;
  const bare = !("specification" in parsed) && ["version", "inputs", "steps", "outputs"].some((k) => k in parsed);
  return bare ? JSON.stringify({ specification: parsed }) : config;
}

/** Python's json.dumps with its default separators (", " and ": "), as Workspace.create_workflow and the CLI serialise a definition. */
function pythonJsonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  if (value !== null && typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJsonDumps(v)}`).join(", ")}}`;
  return JSON.stringify(value);
}

// Workspace (and the workspace the key belongs to) as the SDK addresses it: GET/POST {API_URL}/{workspace}/….
const rfapi = {
  listWorkflows: (ws: string, key = stack.apiKey) => send("GET", `/${ws}/workflows`, { params: { api_key: key } }),
  getWorkflow: (ws: string, url: string, key = stack.apiKey) => send("GET", `/${ws}/workflows/${url}`, { params: { api_key: key } }),
  /** The slug is made from the name when not given, config and template default to "{}", and all go in the query string. */
  createWorkflow: (ws: string, fields: { name: string; url?: string; config?: string; template?: string }, key = stack.apiKey) =>
    send("POST", `/${ws}/createWorkflow`, {
      params: {
        api_key: key,
        name: fields.name,
        url: fields.url ?? fields.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, ""),
        template: fields.template ?? "{}",
        config: normalizeWorkflowConfig(fields.config),
      },
    }),
  updateWorkflow: (ws: string, fields: { workflow_id: string; workflow_name: string; workflow_url: string; config: string }) =>
    send("POST", `/${ws}/updateWorkflow`, {
      params: { api_key: stack.apiKey },
      json: { id: fields.workflow_id, name: fields.workflow_name, url: fields.workflow_url, config: normalizeWorkflowConfig(fields.config) },
    }),
  listWorkflowVersions: (ws: string, url: string) => send("GET", `/${ws}/workflows/${url}/versions`, { params: { api_key: stack.apiKey } }),
  forkWorkflow: (ws: string, fields: { source_workspace: string; source_workflow: string; name?: string; url?: string }) =>
    send("POST", `/${ws}/forkWorkflow`, {
      params: { api_key: stack.apiKey },
      json: { source_workspace: fields.source_workspace, source_workflow: fields.source_workflow, ...(fields.name ? { name: fields.name } : {}), ...(fields.url ? { url: fields.url } : {}) },
    }),
  // The trash calls put api_key in the URL they format themselves.
  deleteWorkflow: (ws: string, url: string) => send("DELETE", `/${ws}/workflows/${url}?api_key=${stack.apiKey}`),
  listTrash: (ws: string) => send("GET", `/${ws}/trash?api_key=${stack.apiKey}`),
  restoreTrashItem: (ws: string, itemType: string, itemId: string) => send("POST", `/${ws}/trash/restore?api_key=${stack.apiKey}`, { json: { type: itemType, id: itemId } }),
};

/** The statuses each rfapi function takes as success (anything else raises RoboflowError). */
const SUCCESS = { list: [200], get: [200], create: [200, 201], update: [200], versions: [200], fork: [200, 201], delete: [200], trash: [200], restore: [200] };

// ---- the calls ---------------------------------------------------------------------------------

describe("creating and reading, as Workspace.create_workflow, list_workflows and get_workflow do", () => {
  it("create_workflow(name, definition) sends a bare definition wrapped, in the query; list and get answer what the SDK and inference read", async () => {
    const created = await rfapi.createWorkflow("demo", { name: "Count People 2", config: pythonJsonDumps(echoWorkflow) });
    expect(SUCCESS.create).toContain(created.status);
    expect(created.body.workflow).toMatchObject({ id: "count-people-2", url: "count-people-2", name: "Count People 2" });

    const list = await rfapi.listWorkflows("demo");
    expect(SUCCESS.list).toContain(list.status);
    expect(list.body.status).toBe("ok");
    const listed = list.body.workflows.find((w: { url: string }) => w.url === "count-people-2");
    expect(listed).toMatchObject({ id: "count-people-2", name: "Count People 2", url: "count-people-2" });
    expect(Date.parse(listed.createdAt)).not.toBeNaN();

    const got = await rfapi.getWorkflow("demo", "count-people-2");
    expect(SUCCESS.get).toContain(got.status);
    // What inference's get_workflow_specification reads: workflow.config, a JSON string holding the specification, and workflow.id.
    expect(typeof got.body.workflow.config).toBe("string");
    expect(JSON.parse(got.body.workflow.config).specification).toEqual(echoWorkflow);
    expect(got.body.workflow).toMatchObject({ id: "count-people-2", name: "Count People 2", url: "count-people-2" });

    const run = await send("POST", "/infer/workflows/demo/count-people-2", { json: { api_key: stack.apiKey, inputs: { x: 7 } } });
    expect(run).toEqual({ status: 200, body: { outputs: [{ x: 7 }] } });
  });

  it("create_workflow(name) with no definition makes an empty shell (config and template \"{}\"), which `roboflow workflow update --definition` fills: get, then update by id, name, url", async () => {
    const shell = await rfapi.createWorkflow("demo", { name: "Empty shell" });
    expect(SUCCESS.create).toContain(shell.status);
    expect(shell.body.workflow.url).toBe("empty-shell");
    expect(JSON.parse(shell.body.workflow.config)).toEqual({ specification: {} });
    const unrunnable = await send("POST", "/infer/workflows/demo/empty-shell", { json: { api_key: stack.apiKey, inputs: {} } });
    expect(unrunnable.status).toBe(400);
    expect(unrunnable.body.error.code).toBe("invalid_workflow");

    // _update_workflow: the existing workflow's id, name and url, the new definition as json.dumps of the file.
    const existing = (await rfapi.getWorkflow("demo", "empty-shell")).body.workflow;
    const updated = await rfapi.updateWorkflow("demo", { workflow_id: existing.id, workflow_name: existing.name, workflow_url: existing.url, config: pythonJsonDumps(echoWorkflow) });
    expect(SUCCESS.update).toContain(updated.status);
    expect(JSON.parse(updated.body.workflow.config)).toEqual({ specification: echoWorkflow });

    // Without --definition it sends back the config it read, unchanged.
    const again = (await rfapi.getWorkflow("demo", "empty-shell")).body.workflow;
    const resent = await rfapi.updateWorkflow("demo", { workflow_id: again.id, workflow_name: again.name, workflow_url: again.url, config: again.config });
    expect(SUCCESS.update).toContain(resent.status);
    expect(JSON.parse(resent.body.workflow.config)).toEqual({ specification: echoWorkflow });

    const versions = await rfapi.listWorkflowVersions("demo", "empty-shell");
    expect(SUCCESS.versions).toContain(versions.status);
    expect(versions.body.versions).toHaveLength(3);
    expect((await send("POST", "/infer/workflows/demo/empty-shell", { json: { api_key: stack.apiKey, inputs: { x: 3 } } })).body).toEqual({ outputs: [{ x: 3 }] });
  });

  it("an update whose id names another workflow than its url is refused, not applied to either", async () => {
    await rfapi.createWorkflow("demo", { name: "Left", config: JSON.stringify(echoWorkflow) });
    await rfapi.createWorkflow("demo", { name: "Right", config: JSON.stringify(echoWorkflow) });
    const crossed = await rfapi.updateWorkflow("demo", { workflow_id: "left", workflow_name: "Crossed", workflow_url: "right", config: JSON.stringify(echoWorkflow) });
    expect(crossed.status).toBe(400);
    expect(crossed.body.error).toMatchObject({ code: "invalid_request", details: { field: "id" } });
    expect((await rfapi.getWorkflow("demo", "left")).body.workflow.name).toBe("Left");
    expect((await rfapi.getWorkflow("demo", "right")).body.workflow.name).toBe("Right");
  });
});

describe("forking, as rfapi.fork_workflow and `roboflow workflow fork` do", () => {
  it("`roboflow workflow fork <url>` (source in the same workspace) reads the copy's workflow.url; fork_workflow with name and url names the copy", async () => {
    await rfapi.createWorkflow("demo", { name: "Fork source", config: JSON.stringify(echoWorkflow) });
    const plain = await rfapi.forkWorkflow("demo", { source_workspace: "demo", source_workflow: "fork-source" });
    expect(SUCCESS.fork).toContain(plain.status);
    expect(plain.body.workflow.url).toBe("fork-source-copy");

    const named = await rfapi.forkWorkflow("demo", { source_workspace: "demo", source_workflow: "fork-source", name: "My fork", url: "my-fork" });
    expect(SUCCESS.fork).toContain(named.status);
    expect(named.body.workflow).toMatchObject({ url: "my-fork", name: "My fork", public: false });
    expect(JSON.parse(named.body.workflow.config)).toEqual({ specification: echoWorkflow });
  });

  it("`roboflow workflow fork other/<url>`: another workspace's public workflow is copied, a private one is 403 and nothing is made", async () => {
    const shared = await rfapi.createWorkflow("other", { name: "Their shared", config: JSON.stringify(echoWorkflow) }, otherKey);
    expect(SUCCESS.create).toContain(shared.status);
    const published = await send("POST", "/other/updateWorkflow", { params: { api_key: otherKey }, json: { url: "their-shared", public: true } });
    expect(published.status).toBe(200);
    expect(SUCCESS.create).toContain((await rfapi.createWorkflow("other", { name: "Their private", config: JSON.stringify(echoWorkflow) }, otherKey)).status);

    const copied = await rfapi.forkWorkflow("demo", { source_workspace: "other", source_workflow: "their-shared" });
    expect(SUCCESS.fork).toContain(copied.status);
    expect(copied.body.workflow).toMatchObject({ url: "their-shared-copy", workspace: "demo", public: false });

    const refused = await rfapi.forkWorkflow("demo", { source_workspace: "other", source_workflow: "their-private" });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");
    expect((await rfapi.getWorkflow("demo", "their-private-copy")).status).toBe(404);
  });
});

describe("the trash, as rfapi.delete_workflow, list_trash and restore_trash_item (and the CLI's delete and restore) do", () => {
  it("delete → a second delete is 404 and the CLI finds it in sections.workflows → `roboflow trash list` reads items → restore by the id the trash lists", async () => {
    await rfapi.createWorkflow("demo", { name: "To trash", config: JSON.stringify(echoWorkflow) });
    const deleted = await rfapi.deleteWorkflow("demo", "to-trash");
    expect(SUCCESS.delete).toContain(deleted.status);

    // _delete_workflow's idempotent re-delete: a 404, then the workflow looked up in the trash by url or id.
    const again = await rfapi.deleteWorkflow("demo", "to-trash");
    expect(again.status).toBe(404);
    const trash = await rfapi.listTrash("demo");
    expect(SUCCESS.trash).toContain(trash.status);
    const inTrash = trash.body.sections.workflows.find((w: { url: string; id: string }) => w.url === "to-trash" || w.id === "to-trash");
    expect(inTrash).toBeDefined();

    // `roboflow trash list`: type, id, name, deletedAt, scheduledCleanupAt of every item.
    const item = trash.body.items.find((i: { id: string }) => i.id === inTrash.id);
    expect(item).toMatchObject({ type: "workflow", id: "to-trash", name: "To trash" });
    expect(Date.parse(item.scheduledCleanupAt) - Date.parse(item.deletedAt)).toBeGreaterThanOrEqual(30 * 86_400_000);

    // _restore_workflow: restore_trash_item(api_key, ws, "workflow", match["id"]), which documents {restored: True, type, id}.
    const restored = await rfapi.restoreTrashItem("demo", "workflow", inTrash.id);
    expect(SUCCESS.restore).toContain(restored.status);
    expect(restored.body).toMatchObject({ restored: true, type: "workflow", id: "to-trash" });
    expect((await rfapi.getWorkflow("demo", "to-trash")).body.workflow.url).toBe("to-trash");
    expect((await rfapi.listTrash("demo")).body.items.some((i: { id: string }) => i.id === "to-trash")).toBe(false);
  });

  it("restoring a kind of item this trash does not hold (a project) is a 400 naming the field", async () => {
    const project = await rfapi.restoreTrashItem("demo", "project", "some-project");
    expect(project.status).toBe(400);
    expect(project.body.error).toMatchObject({ code: "invalid_request", details: { field: "type" } });
  });
});
