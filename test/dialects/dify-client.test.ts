/**
 * Dify's workflow API: a client written from Dify's public API reference (dify_client.py,
 * Python standard library only) against the local stack — upload an image, run blocking and
 * streaming, resume a stream, stop a streaming run and a blocking one (from another thread, by the
 * task id its headers carry), read the run and the logs with filters, and a user who sees nothing
 * of another's. Then from TypeScript: the routes' errors in Dify's shape, top-level files and
 * remote URLs, /info and /parameters, a run that waits for a person, and /v1 with a workflow token.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LocalStack } from "@cvflow/local";
import { examplePhoto, skipping } from "@cvflow/vision/test-assets";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, testStack } from "../local-stack.js";
import { echoWorkflow } from "../fixtures/echo-workflow.js";
import { runCommand } from "../run-command.js";

const python = findPython3();
const photo = examplePhoto("dog.jpg");

/** Two steps over the image: its width and its height. */
const sizeSpec = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [
    { type: "roboflow_core/property_definition@v1", name: "width", data: "$inputs.image", operations: [{ type: "ExtractImageProperty", property_name: "width" }] },
    { type: "roboflow_core/property_definition@v1", name: "height", data: "$inputs.image", operations: [{ type: "ExtractImageProperty", property_name: "height" }] },
  ],
  outputs: [
    { type: "JsonField", name: "width", selector: "$steps.width.output" },
    { type: "JsonField", name: "height", selector: "$steps.height.output" },
  ],
};

/** One step that waits 20 s (stopping with the run's signal), then passes `x` on: a run to stop. */
const slowSpec = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "x", default_value: 1 }],
  steps: [{ type: "test/pause@v1", name: "wait", ms: 20_000, value: "$inputs.x" }],
  outputs: [{ type: "JsonField", name: "waited", selector: "$steps.wait.output" }],
};

/** A person confirms `x`: the run waits for the answer, then outputs it. */
const askSpec = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "x", default_value: 1 }],
  steps: [{ type: "cvflow/wait_for_input@v1", name: "ask", data: "$inputs.x", prompt: "Is x right?", answer_schema: { type: "object", required: ["ok"] } }],
  outputs: [{ type: "JsonField", name: "answer", selector: "$steps.ask.answer" }],
};

let stack: LocalStack;
let size: { width: number; height: number };
const base = (url: string) => `/${stack.workspace}/workflows/${url}/dify/v1`;

beforeAll(async () => {
  stack = await testStack({ env: { CVFLOW_BLOCKS_MODULE: fileURLToPath(new URL("../fixtures/pause-block.ts", import.meta.url)) } });
  for (const [url, specification] of [
    ["dify-size", sizeSpec],
    ["dify-slow", slowSpec],
    ["dify-echo", echoWorkflow],
    ["dify-ask", askSpec],
  ] as const) {
    const created = await call(stack, "POST", `/${stack.workspace}/createWorkflow`, { body: { name: url, url, config: { specification } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  const metadata = await sharp(photo).metadata();
  size = { width: metadata.width!, height: metadata.height! };
}, 60_000);
afterAll(() => stack?.close());

describe.skipIf(!python)("Dify's workflow API from a standard-library Python client", () => {
  let report: Record<string, any>;
  beforeAll(async () => {
    const plan = { base_url: stack.url + base("dify-size"), slow_base_url: stack.url + base("dify-slow"), api_key: stack.apiKey, photo, user: "alice", other_user: "bob" };
    const { code, stdout, stderr } = await runCommand(python!, [join(import.meta.dirname, "dify_client.py")], { input: JSON.stringify(plan), env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
    expect(code, stderr.slice(-2000)).toBe(0);
    report = JSON.parse(stdout);
  }, 120_000);

  const returned = (name: string) => {
    expect(report[name], JSON.stringify(report[name])).toHaveProperty("returned");
    return report[name].returned;
  };

  it("uploads an image as multipart/form-data: 201 with Dify's file fields", () => {
    const upload = returned("upload");
    expect(upload.status).toBe(201);
    expect(upload.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "dog.jpg",
      size: readFileSync(photo).length,
      extension: "jpg",
      mime_type: "image/jpeg",
      created_by: "alice",
      created_at: expect.any(Number),
    });
  });

  it("runs blocking with the uploaded image (local_file): task id, run id and the outputs", () => {
    const body = returned("blocking");
    expect(body).toEqual({
      task_id: expect.stringContaining(`${body.workflow_run_id}.`),
      workflow_run_id: expect.any(String),
      data: {
        id: body.workflow_run_id,
        workflow_id: expect.any(String),
        status: "succeeded",
        outputs: size,
        error: null,
        elapsed_time: expect.any(Number),
        total_tokens: 0,
        total_steps: 2,
        created_at: expect.any(Number),
        finished_at: expect.any(Number),
      },
    });
    expect(body.data.finished_at).toBeGreaterThanOrEqual(body.data.created_at);
  });

  it("streams workflow_started, node_started/node_finished per step, workflow_finished, each with task_id and workflow_run_id", () => {
    const { content_type, chunks } = returned("streaming");
    expect(content_type).toMatch(/^text\/event-stream/);
    // The two steps run side by side: their node events may interleave, between the workflow's.
    const events = chunks.map((c: any) => c.event);
    expect([events[0], events.at(-1), events.length]).toEqual(["workflow_started", "workflow_finished", 6]);
    expect(chunks.at(-1)).toMatchObject({ event: "workflow_finished", status: "succeeded", outputs: size });
    const nodes = chunks.filter((c: any) => c.event === "node_started" || c.event === "node_finished");
    expect(nodes).toHaveLength(4);
    expect(new Set(nodes.map((c: any) => c.node_id))).toEqual(new Set(["width", "height"]));
    for (const finished of nodes.filter((c: any) => c.event === "node_finished")) {
      expect(finished).toMatchObject({ status: "succeeded", outputs: { elements: 1, skipped: 0 } });
      expect(finished.elapsed_time).toBeGreaterThanOrEqual(0);
    }
    expect(new Set(nodes.filter((c: any) => c.event === "node_started").map((c: any) => c.index))).toEqual(new Set([1, 2]));
    expect(new Set(chunks.map((c: any) => `${c.task_id} ${c.workflow_run_id}`)).size).toBe(1);
  });

  it("reads the streamed run by its id; another user gets 404 not_found", () => {
    const run = returned("get_run");
    expect(run).toMatchObject({ id: returned("streaming").chunks[0].workflow_run_id, status: "succeeded", outputs: size, total_steps: 2, total_tokens: 0, error: null });
    // The record keeps a line per input, never the image's bytes.
    expect(run.inputs).toEqual({ image: expect.stringMatching(/^base64 image \(\d+ KB\)$/) });
    expect(report["get_run_other_user"]).toEqual({ status: 404, body: { status: 404, code: "not_found", message: expect.any(String) } });
  });

  it("resumes a stream after the last chunk id it saw: the rest, once each", () => {
    const streamed = returned("streaming").chunks;
    const resumed = returned("resume");
    // Chunks 1..3 were seen (ids are the event sequence: run_queued has none, so chunk n is not id n); what comes after id 3 matches the stream's tail.
    expect(resumed.at(-1)).toMatchObject({ event: "workflow_finished", status: "succeeded" });
    expect(resumed.length).toBeLessThan(streamed.length);
    expect(resumed).toEqual(streamed.slice(streamed.length - resumed.length));
  });

  it("refuses another user's upload: 400 invalid_param naming the field", () => {
    expect(report["others_file"]).toEqual({ status: 400, body: { status: 400, code: "invalid_param", message: expect.stringContaining("bob"), params: "inputs.image.upload_file_id" } });
  });

  it("stops a streaming run: result success, workflow_finished stopped within a second", () => {
    const { stop, stop_to_finish_s, chunks } = returned("stop_streaming");
    expect(stop).toEqual({ result: "success" });
    expect(chunks.at(-1)).toMatchObject({ event: "workflow_finished", status: "stopped" });
    expect(chunks.filter((c: any) => c.event === "node_finished").map((c: any) => c.status)).not.toContain("succeeded");
    expect(stop_to_finish_s).toBeLessThan(1);
  });

  it("stops a blocking run from another thread by the X-Cvflow-Task-Id its headers carried: the blocking answer says stopped", () => {
    const { task_id, stop, body, error, stop_to_answer_s } = returned("stop_blocking");
    expect(error).toBeNull();
    expect(task_id).toEqual(body.task_id);
    expect(stop).toEqual({ result: "success" });
    expect(body.data).toMatchObject({ status: "stopped", outputs: {} });
    expect(stop_to_answer_s).toBeLessThan(1);
  });

  it("does not let another user stop a run: 404 not_found", () => {
    expect(report["stop_other_user"]).toEqual({ status: 404, body: { status: 404, code: "not_found", message: expect.any(String) } });
  });

  it("lists logs newest first with Dify's pagination and filters (status, user, keyword, time)", () => {
    const first = returned("logs_succeeded");
    expect(first).toMatchObject({ page: 1, limit: 1, total: 2, has_more: true });
    expect(first.data).toHaveLength(1);
    expect(first.data[0]).toMatchObject({
      workflow_run: { status: "succeeded", total_steps: 2, total_tokens: 0, error: null },
      created_from: "service-api",
      created_by_role: "end_user",
      created_by_end_user: { type: "service_api", session_id: "alice", is_anonymous: false },
    });
    // Newest first: page 1 is the streamed run (started after the blocking one), page 2 the blocking one.
    const second = returned("logs_page_2");
    expect(second).toMatchObject({ page: 2, limit: 1, total: 2, has_more: false });
    expect(first.data[0].id).toBe(returned("streaming").chunks[0].workflow_run_id);
    expect(second.data[0].id).toBe(returned("blocking").workflow_run_id);
    const stopped = returned("logs_stopped");
    expect(stopped.total).toBe(2);
    expect(stopped.data.map((entry: any) => entry.workflow_run.status)).toEqual(["stopped", "stopped"]);
    expect(returned("logs_keyword")).toMatchObject({ total: 1, data: [{ id: first.data[0].id }] });
    expect(returned("logs_after_now")).toMatchObject({ total: 0, data: [], has_more: false });
    expect(returned("logs_other_user")).toMatchObject({ total: 0, data: [] });
  });
});

describe("Dify's routes from TypeScript: errors as Dify's {status, code, message}, files, the app's form, a run that waits, workflow tokens", () => {
  const dify = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(stack, method, path, options);

  it("no credential: 401 unauthorized", async () => {
    const answer = await dify("POST", `${base("dify-size")}/workflows/run`, { key: null, body: { inputs: {}, user: "alice" } });
    expect([answer.status, answer.body]).toEqual([401, { status: 401, code: "unauthorized", message: expect.any(String) }]);
  });

  it("an API key on /v1 (where only a workflow token names the workflow): 401 unauthorized saying what to use", async () => {
    const answer = await dify("POST", "/v1/workflows/run", { body: { inputs: {}, user: "alice" } });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ status: 401, code: "unauthorized", message: expect.stringContaining("/dify/v1") });
  });

  it("a workflow that does not exist: 400 app_unavailable", async () => {
    const answer = await dify("POST", `${base("no-such-workflow")}/workflows/run`, { body: { inputs: {}, user: "alice" } });
    expect([answer.status, answer.body]).toEqual([400, { status: 400, code: "app_unavailable", message: expect.any(String) }]);
  });

  it("a missing user, a bad response_mode, a body that is not JSON: 400 invalid_param with the parameter", async () => {
    const noUser = await dify("POST", `${base("dify-size")}/workflows/run`, { body: { inputs: {} } });
    expect([noUser.status, noUser.body]).toEqual([400, { status: 400, code: "invalid_param", message: expect.stringContaining("user"), params: "user" }]);
    const mode = await dify("POST", `${base("dify-size")}/workflows/run`, { body: { inputs: {}, user: "alice", response_mode: "eventually" } });
    expect(mode.body).toMatchObject({ status: 400, code: "invalid_param", params: "response_mode" });
    const response = await fetch(`${stack.url}${base("dify-size")}/workflows/run`, { method: "POST", headers: { authorization: `Bearer ${stack.apiKey}`, "content-type": "application/json" }, body: "{not json" });
    expect([response.status, await response.json()]).toEqual([400, { status: 400, code: "invalid_param", message: expect.any(String) }]);
  });

  it("an unknown run or task: 404 not_found", async () => {
    const run = await dify("GET", `${base("dify-size")}/workflows/run/00000000000000000000000000`);
    expect([run.status, run.body]).toEqual([404, { status: 404, code: "not_found", message: expect.any(String) }]);
    const task = await dify("POST", `${base("dify-size")}/workflows/tasks/nope/stop`, { body: { user: "alice" } });
    expect([task.status, task.body.code]).toEqual([404, "not_found"]);
  });

  it("uploads: no file 400 no_file_uploaded, two files 400 too_many_files, not an image 415 unsupported_file_type", async () => {
    const upload = async (parts: [string, Blob | string, string?][]) => {
      const form = new FormData();
      for (const [name, value, filename] of parts) (typeof value === "string" ? form.append(name, value) : form.append(name, value, filename));
      const response = await fetch(`${stack.url}${base("dify-size")}/files/upload`, { method: "POST", headers: { authorization: `Bearer ${stack.apiKey}` }, body: form });
      return [response.status, await response.json()];
    };
    const jpeg = new Blob([readFileSync(photo)], { type: "image/jpeg" });
    expect(await upload([["user", "alice"]])).toEqual([400, { status: 400, code: "no_file_uploaded", message: expect.any(String) }]);
    expect(await upload([["user", "alice"], ["file", jpeg, "a.jpg"], ["file", jpeg, "b.jpg"]])).toEqual([400, { status: 400, code: "too_many_files", message: expect.any(String) }]);
    expect(await upload([["user", "alice"], ["file", new Blob(["hello"], { type: "text/plain" }), "a.txt"]])).toEqual([415, { status: 415, code: "unsupported_file_type", message: expect.any(String) }]);
    expect(await upload([["file", jpeg, "a.jpg"]])).toEqual([400, { status: 400, code: "invalid_param", message: expect.any(String), params: "user" }]);
  });

  it("Dify's top-level `files` feed the workflow's one image input; a remote_url goes through the image URL policy", async () => {
    const form = new FormData();
    form.append("user", "carol");
    form.append("file", new Blob([readFileSync(photo)], { type: "image/jpeg" }), "dog.jpg");
    const uploaded = (await (await fetch(`${stack.url}${base("dify-size")}/files/upload`, { method: "POST", headers: { authorization: `Bearer ${stack.apiKey}` }, body: form })).json()) as { id: string };
    const local = { type: "image", transfer_method: "local_file", upload_file_id: uploaded.id };
    const viaFiles = await dify("POST", `${base("dify-size")}/workflows/run`, { body: { inputs: {}, files: [local], user: "carol", response_mode: "blocking" } });
    expect([viaFiles.status, viaFiles.body.data.status, viaFiles.body.data.outputs]).toEqual([200, "succeeded", size]);
    // A private address is refused as any image URL is: the run fails and says why.
    const remote = { type: "image", transfer_method: "remote_url", url: "http://127.0.0.1:9/dog.jpg" };
    const refused = await dify("POST", `${base("dify-size")}/workflows/run`, { body: { inputs: { image: remote }, user: "carol", response_mode: "blocking" } });
    expect([refused.status, refused.body.data.status]).toEqual([200, "failed"]);
    expect(refused.body.data.error).toMatch(/127\.0\.0\.1/);
    const document = await dify("POST", `${base("dify-size")}/workflows/run`, { body: { inputs: { image: { ...local, type: "document" } }, user: "carol" } });
    expect(document.body).toEqual({ status: 400, code: "invalid_param", message: expect.stringContaining('"image"'), params: "inputs.image" });
  });

  it("describes the app (/info) and the form of its inputs (/parameters)", async () => {
    const info = await dify("GET", `${base("dify-slow")}/info`);
    expect(info.body).toEqual({ name: "dify-slow", description: "", tags: [], mode: "workflow", author_name: stack.workspace });
    const parameters = await dify("GET", `${base("dify-size")}/parameters`);
    expect(parameters.body.user_input_form).toEqual([
      { file: { label: "image", variable: "image", required: true, allowed_file_types: ["image"], allowed_file_extensions: [], allowed_file_upload_methods: ["local_file", "remote_url"] } },
    ]);
    expect(parameters.body.file_upload.image).toMatchObject({ enabled: true });
    expect(parameters.body.system_parameters).toMatchObject({ file_size_limit: 6, image_file_size_limit: 6 });
    const slow = await dify("GET", `${base("dify-slow")}/parameters`);
    expect(slow.body.user_input_form).toEqual([{ "text-input": { label: "x", variable: "x", required: false, default: "1" } }]);
    expect(slow.body.file_upload.image.enabled).toBe(false);
  });

  it("a run that waits for a person: workflow_paused with the prompt and schema, then (answered) workflow_finished with the answer", async () => {
    const response = await fetch(`${stack.url}${base("dify-ask")}/workflows/run`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ inputs: { x: 7 }, user: "alice", response_mode: "streaming" }),
    });
    const chunks: any[] = [];
    const decoder = new TextDecoder();
    let text = "";
    for await (const bytes of response.body!) {
      text += decoder.decode(bytes, { stream: true });
      for (let end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n")) {
        const data = text.slice(0, end).split("\n").find((line) => line.startsWith("data: "));
        text = text.slice(end + 2);
        if (!data) continue;
        const chunk = JSON.parse(data.slice(6));
        chunks.push(chunk);
        if (chunk.event === "workflow_paused") {
          const answered = await call(stack, "POST", `/runs/${chunk.workflow_run_id}/input`, { body: { answer: { ok: true } } });
          expect(answered.status, JSON.stringify(answered.body)).toBe(200);
        }
      }
      if (chunks.at(-1)?.event === "workflow_finished") break;
    }
    const paused = chunks.find((c) => c.event === "workflow_paused");
    expect(paused.data).toMatchObject({ status: "paused", paused_nodes: ["ask"], reasons: [{ type: "human_input_required", node_id: "ask", form_content: "Is x right?", answer_schema: { type: "object", required: ["ok"] }, data: 7 }] });
    expect(chunks.at(-1)).toMatchObject({ event: "workflow_finished", data: { status: "succeeded", outputs: { answer: { ok: true } } } });
  });

  it("runs an older version by its id (Dify's POST /workflows/{workflow_id}/run); an unknown one is 400 workflow_not_found", async () => {
    const created = await call(stack, "POST", `/${stack.workspace}/createWorkflow`, { body: { name: "versions", url: "dify-versions", config: { specification: echoWorkflow } } });
    const first = created.body.workflow.versionId;
    const doubled = { ...echoWorkflow, outputs: [...echoWorkflow.outputs, { type: "JsonField", name: "again", selector: "$steps.copy.output" }] };
    const updated = await call(stack, "POST", `/${stack.workspace}/updateWorkflow`, { body: { url: "dify-versions", config: { specification: doubled } }, headers: { "if-match": created.body.etag } });
    expect(updated.status).toBe(200);
    const now = await dify("POST", `${base("dify-versions")}/workflows/run`, { body: { inputs: { x: 2 }, user: "alice" } });
    expect(now.body.data.outputs).toEqual({ x: 2, again: 2 });
    const older = await dify("POST", `${base("dify-versions")}/workflows/${first}/run`, { body: { inputs: { x: 2 }, user: "alice" } });
    expect([older.status, older.body.data.outputs, older.body.data.workflow_id]).toEqual([200, { x: 2 }, first]);
    const unknown = await dify("POST", `${base("dify-versions")}/workflows/nope/run`, { body: { inputs: {}, user: "alice" } });
    expect([unknown.status, unknown.body]).toEqual([400, { status: 400, code: "workflow_not_found", message: expect.any(String) }]);
  });

  it("a workflow token runs its workflow on /v1 (the credential names the app)", async () => {
    const token = await call(stack, "POST", `/${stack.workspace}/workflowToken`, { body: { url: "dify-echo" } });
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    const answer = await dify("POST", "/v1/workflows/run", { key: token.body.token, body: { inputs: { x: 5 }, user: "alice", response_mode: "blocking" } });
    expect([answer.status, answer.body.data.status, answer.body.data.outputs]).toEqual([200, "succeeded", { x: 5 }]);
    const logs = await dify("GET", "/v1/workflows/logs", { key: token.body.token });
    expect(logs.body).toMatchObject({ total: 1, data: [{ id: answer.body.workflow_run_id }] });
  });
});

/** CVFLOW_PYTHON, else python3: the client needs nothing but the standard library. */
function findPython3(): string | undefined {
  const candidate = process.env["CVFLOW_PYTHON"] ?? "python3";
  if (spawnSync(candidate, ["-c", "import json, urllib.request, threading"]).status === 0) return candidate;
  skipping("Dify's Python client", [`no ${candidate} here (install python3, or set CVFLOW_PYTHON)`]);
  return undefined;
}

describe("Dify's routes where the deployment cannot stream (a Function URL in BUFFERED mode)", () => {
  let buffered: LocalStack;
  beforeAll(async () => {
    buffered = await testStack({ env: { CVFLOW_INVOKE_MODE: "BUFFERED" } });
    expect((await call(buffered, "POST", `/${buffered.workspace}/createWorkflow`, { body: { name: "echo", url: "echo", config: { specification: echoWorkflow } } })).status).toBe(201);
  }, 60_000);
  afterAll(() => buffered?.close());

  it("blocking answers whole, its task id in the headers; streaming is 501 streaming_unavailable in Dify's shape, before any run starts", async () => {
    const path = `/${buffered.workspace}/workflows/echo/dify/v1/workflows/run`;
    const blocking = await call(buffered, "POST", path, { body: { inputs: { x: 3 }, user: "alice", response_mode: "blocking" } });
    expect([blocking.status, blocking.body.data.outputs, blocking.headers.get("x-cvflow-task-id")]).toEqual([200, { x: 3 }, blocking.body.task_id]);
    const streaming = await call(buffered, "POST", path, { body: { inputs: { x: 3 }, user: "alice", response_mode: "streaming" } });
    expect([streaming.status, streaming.body]).toEqual([501, { status: 501, code: "streaming_unavailable", message: expect.any(String) }]);
    // Refused before any run started: the logs hold the blocking run alone.
    const logs = await call(buffered, "GET", `/${buffered.workspace}/workflows/echo/dify/v1/workflows/logs`);
    expect(logs.body.total).toBe(1);
  });
});
