/**
 * slack_notification@v1 against a loopback server speaking Slack's Web API: chat.postMessage
 * (bearer token from a secret, JSON body, the message template with operations), the external
 * file upload for attachments (getUploadURLExternal, the bytes to the upload URL, completeUploadExternal),
 * Slack's `ok: false` refusals, a 429, an HTTP error, and a definition without a token.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseUrlAllowList } from "@cvflow/vision";
import { createWorkflowEngine } from "../src/runtime.js";
import { formOf, recordingServer, type Answer, type RecordedRequest, type RecordingServer } from "./recording-server.js";

const TOKEN = "xoxb-test-91c3";
let server: RecordingServer;
let answer: (request: RecordedRequest) => Answer;
let engine: ReturnType<typeof createWorkflowEngine>;

/** Slack's answers, as its API reference shows them. */
function slack(request: RecordedRequest): Answer {
  if (request.url === "/api/chat.postMessage") return { json: { ok: true, channel: "C0123", ts: "1700000000.000100", message: { text: "..." } } };
  if (request.url === "/api/files.getUploadURLExternal") {
    const n = server.requests.filter((r) => r.url === request.url).length;
    return { json: { ok: true, upload_url: `${server.url}/upload/v1/F${n}`, file_id: `F${n}` } };
  }
  if (request.url.startsWith("/upload/v1/")) return { text: `OK - ${request.body.length}` };
  if (request.url === "/api/files.completeUploadExternal") return { json: { ok: true, files: [{ id: "F1" }, { id: "F2" }] } };
  return { status: 404, json: { ok: false, error: "unknown_method" } };
}

beforeAll(async () => {
  server = await recordingServer((request) => answer(request));
  engine = createWorkflowEngine({ egress: { urlPolicy: { allowList: parseUrlAllowList("127.0.0.1") }, endpoints: { slack: `${server.url}/api/` } } });
  process.env["WORKFLOW_SECRET_SLACK_TOKEN"] = TOKEN;
});
afterAll(async () => {
  delete process.env["WORKFLOW_SECRET_SLACK_TOKEN"];
  await server.close();
});
afterEach(() => {
  server.requests.length = 0;
  answer = slack;
});
answer = slack;

function workflow(fields: Record<string, unknown>) {
  return {
    version: "1.0",
    inputs: [
      { type: "WorkflowParameter", name: "classes" },
      { type: "WorkflowParameter", name: "report" },
    ],
    steps: [
      { type: "roboflow_core/environment_secrets_store@v1", name: "secrets", variables_storing_secrets: ["WORKFLOW_SECRET_SLACK_TOKEN"] },
      {
        type: "roboflow_core/slack_notification@v1",
        name: "notify",
        slack_token: "$steps.secrets.workflow_secret_slack_token",
        channel: "C0123",
        message: "Seen {{ $parameters.count }} objects: {{$parameters.classes}}; {{ $parameters.unknown }}",
        message_parameters: { count: "$inputs.classes", classes: "$inputs.classes" },
        message_parameters_operations: { count: [{ type: "SequenceLength" }] },
        fire_and_forget: false,
        cooldown_seconds: 0,
        cooldown_session_key: "session-1",
        ...fields,
      },
    ],
    outputs: [{ type: "JsonField", name: "notify", selector: "$steps.notify.*" }],
  };
}

const run = async (fields: Record<string, unknown> = {}) =>
  ((await engine.run(workflow(fields), { classes: ["car", "dog"], report: "class,count\ncar,1\n" })).outputs[0] as { notify: Record<string, unknown> }).notify;
const SENT = { error_status: false, throttling_status: false, message: "Notification sent successfully" };

describe("slack_notification@v1", () => {
  it("posts the formatted message with chat.postMessage, the token as bearer", async () => {
    expect(await run()).toEqual(SENT);
    expect(server.requests).toHaveLength(1);
    const [post] = server.requests;
    expect(post!.method).toBe("POST");
    expect(post!.url).toBe("/api/chat.postMessage");
    expect(post!.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
    expect(post!.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(post!.body.toString("utf8"))).toEqual({ channel: "C0123", text: "Seen 2 objects: ['car', 'dog']; {{ $parameters.unknown }}" });
  });

  it("shares attachments through the external upload: a URL per file, the bytes, then one completion with the message", async () => {
    expect(await run({ attachments: { "report.csv": "$inputs.report", "note.txt": "hello" } })).toEqual(SENT);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /api/files.getUploadURLExternal",
      "POST /upload/v1/F1",
      "POST /api/files.getUploadURLExternal",
      "POST /upload/v1/F2",
      "POST /api/files.completeUploadExternal",
    ]);
    const [url1, bytes1, url2, bytes2, complete] = server.requests;
    expect(Object.fromEntries(await formOf(url1!))).toEqual({ filename: "report.csv", length: "18" });
    expect(bytes1!.body.toString("utf8")).toBe("class,count\ncar,1\n");
    expect(Object.fromEntries(await formOf(url2!))).toEqual({ filename: "note.txt", length: "5" });
    expect(bytes2!.body.toString("utf8")).toBe("hello");
    expect(bytes1!.headers["authorization"]).toBeUndefined();
    for (const call of [url1, url2, complete]) expect(call!.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
    const completion = Object.fromEntries(await formOf(complete!));
    expect(JSON.parse(completion["files"] as string)).toEqual([
      { id: "F1", title: "report.csv" },
      { id: "F2", title: "note.txt" },
    ]);
    expect(completion["channel_id"]).toBe("C0123");
    expect(completion["initial_comment"]).toBe("Seen 2 objects: ['car', 'dog']; {{ $parameters.unknown }}");
  });

  it("reports Slack's refusal code, a 429 and an HTTP error in error_status; the token never shows", async () => {
    answer = () => ({ json: { ok: false, error: "channel_not_found" } });
    expect(await run()).toEqual({ error_status: true, throttling_status: false, message: "Failed to send Slack notification. Internal error details: channel_not_found" });
    answer = () => ({ status: 429, json: { ok: false, error: "ratelimited" }, headers: { "retry-after": "30" } });
    expect(await run()).toMatchObject({ error_status: true, message: "Failed to send Slack notification. Internal error details: ratelimited" });
    answer = () => ({ status: 503, text: `upstream down ${TOKEN}` });
    const down = await run();
    expect(down).toMatchObject({ error_status: true, message: "Failed to send Slack notification. Internal error details: HTTP 503 from Slack's chat.postMessage" });
    expect(JSON.stringify(down)).not.toContain(TOKEN);
    // Not retried: one request per run.
    expect(server.requests).toHaveLength(3);
    answer = (request) => (request.url.startsWith("/upload/") ? { status: 500, text: "" } : slack(request));
    expect(await run({ attachments: { "a.txt": "x" } })).toMatchObject({ error_status: true, message: "Failed to send Slack notification. Internal error details: uploading a.txt was answered with HTTP 500" });
    expect(server.requests.at(-1)!.url).toBe("/upload/v1/F1");
  });

  it("refuses to run with an unset secret as token, and takes a literal one", async () => {
    const base = workflow({ slack_token: "$steps.secrets.workflow_secret_not_set" });
    const unset = { ...base, steps: [{ ...base.steps[0]!, variables_storing_secrets: ["WORKFLOW_SECRET_NOT_SET"] }, base.steps[1]!] };
    await expect(engine.run(unset, { classes: [], report: "" })).rejects.toMatchObject({ code: "invalid_field" });
    expect(server.requests).toHaveLength(0);
    expect(await run({ slack_token: "xoxb-literal" })).toEqual(SENT);
    expect(server.requests.at(-1)!.headers["authorization"]).toBe("Bearer xoxb-literal");
  });
});
