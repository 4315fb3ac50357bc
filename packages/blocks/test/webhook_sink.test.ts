/**
 * webhook_sink@v1 against a real HTTP server on loopback: what it sends (method, query, headers,
 * JSON / urlencoded / multipart bodies, a photo as JPEG, a secret from environment_secrets_store),
 * Roboflow's documented multipart example with ConvertImageToJPEG, bytes in form_data and JSON,
 * Roboflow's outputs for success, an error status, a redirect, no answer in time; the run's abort;
 * the cooldown on a controlled clock; disable_sinks and disable_sink; a URL the rules refuse.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import sharp from "sharp";
import { MemoryVideoState, WorkflowError } from "@cvflow/engine";
import { parseUrlAllowList } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { createWorkflowEngine } from "../src/runtime.js";
import { photo, synthetic } from "./image-fixtures.js";
import { formOf, recordingServer, type Answer, type RecordedRequest, type RecordingServer } from "./recording-server.js";

const SECRET = "hook-key-5f1e2d";
let server: RecordingServer;
let answer: (request: RecordedRequest) => Answer = () => ({ json: { ok: true } });

beforeAll(async () => {
  server = await recordingServer((request) => answer(request));
  process.env["WORKFLOW_SECRET_HOOK_KEY"] = SECRET;
});
afterAll(async () => {
  delete process.env["WORKFLOW_SECRET_HOOK_KEY"];
  await server.close();
});
afterEach(() => {
  server.requests.length = 0;
  server.onRequest = undefined;
  answer = () => ({ json: { ok: true } });
  vi.useRealTimers();
});

const engine = createWorkflowEngine({ egress: { urlPolicy: { allowList: parseUrlAllowList("127.0.0.1") } } });
const closedEngine = createWorkflowEngine({ egress: { urlPolicy: {} } });

function workflow(sink: Record<string, unknown>, inputs: Record<string, unknown>[] = [], extraSteps: Record<string, unknown>[] = []) {
  return {
    version: "1.0",
    inputs: [{ type: "WorkflowParameter", name: "url" }, ...inputs],
    steps: [...extraSteps, { type: "roboflow_core/webhook_sink@v1", name: "hook", url: "$inputs.url", cooldown_seconds: 0, fire_and_forget: false, ...sink }],
    outputs: [{ type: "JsonField", name: "hook", selector: "$steps.hook.*" }],
  };
}

const SENT = { error_status: false, throttling_status: false, message: "Notification sent successfully" };

describe("webhook_sink@v1", () => {
  it("POSTs json_payload (after its operations) with query parameters and headers, a secret header among them", async () => {
    const definition = workflow(
      {
        method: "POST",
        query_parameters: { camera: "gate 2", flags: [1, true, "x"], ratio: 0.5 },
        headers: { "X-Api-Key": "$steps.secrets.workflow_secret_hook_key", "X-Count": 3 },
        json_payload: { count: "$inputs.classes", classes: "$inputs.classes", note: "plain", nested: { a: [1, 2] } },
        json_payload_operations: { count: [{ type: "SequenceLength" }], missing: [{ type: "SequenceLength" }] },
      },
      [{ type: "WorkflowParameter", name: "classes" }],
      [{ type: "roboflow_core/environment_secrets_store@v1", name: "secrets", variables_storing_secrets: ["WORKFLOW_SECRET_HOOK_KEY"] }],
    );
    const result = await engine.run(definition, { url: `${server.url}/hooks/in?existing=1`, classes: ["car", "dog"] });
    expect(result.outputs).toEqual([{ hook: SENT }]);
    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent!.method).toBe("POST");
    expect(sent!.url).toBe("/hooks/in?existing=1&camera=gate+2&flags=1&flags=True&flags=x&ratio=0.5");
    expect(sent!.headers["x-api-key"]).toBe(SECRET);
    expect(sent!.headers["x-count"]).toBe("3");
    expect(sent!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(sent!.body.toString("utf8"))).toEqual({ count: 2, classes: ["car", "dog"], note: "plain", nested: { a: [1, 2] } });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it("GET with an empty json_payload sends {} as Roboflow's requests does; form_data alone goes urlencoded", async () => {
    expect((await engine.run(workflow({ method: "GET" }), { url: `${server.url}/ping` })).outputs).toEqual([{ hook: SENT }]);
    expect(server.requests[0]).toMatchObject({ method: "GET", url: "/ping", body: Buffer.from("{}") });
    await engine.run(workflow({ method: "PUT", form_data: { label: "a b&c", values: [1, 2.5], none: null }, json_payload: { ignored: true } }), { url: `${server.url}/form` });
    const put = server.requests[1]!;
    expect(put.method).toBe("PUT");
    expect(put.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(put.body.toString("utf8")).toBe("label=a+b%26c&values=1&values=2.5");
  });

  it.skipIf(missing("webhook multipart with a photo", { photos: ["dog.jpg"] }))("sends multi_part_encoded_files as multipart: form_data fields, then a photo as JPEG and text parts", async () => {
    const dog = await photo("dog.jpg");
    const definition = workflow(
      { method: "POST", multi_part_encoded_files: { image: "$inputs.image", report: "$inputs.report" }, form_data: { camera: "gate", count: 2 } },
      [
        { type: "WorkflowImage", name: "image" },
        { type: "WorkflowParameter", name: "report" },
      ],
    );
    expect((await engine.run(definition, { url: `${server.url}/upload`, image: dog, report: "a,b\n1,2\n" })).outputs).toEqual([{ hook: SENT }]);
    const sent = server.requests[0]!;
    expect(sent.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const form = await formOf(sent);
    expect([...form.keys()]).toEqual(["camera", "count", "image", "report"]);
    expect(form.get("camera")).toBe("gate");
    expect(form.get("count")).toBe("2");
    const image = form.get("image") as File;
    expect(image.name).toBe("image");
    const jpeg = Buffer.from(await image.arrayBuffer());
    expect(jpeg.equals(await dog.encode("jpeg", 95))).toBe(true);
    expect(await sharp(jpeg).metadata()).toMatchObject({ format: "jpeg", width: dog.width, height: dog.height });
    expect(await (form.get("report") as File).text()).toBe("a,b\n1,2\n");
  });

  it.skipIf(missing("webhook multipart with ConvertImageToJPEG", { photos: ["dog.jpg"] }))(
    "sends Roboflow's documented multipart example (ConvertImageToJPEG on the image); bytes in form_data go as a file part too",
    async () => {
      const dog = await photo("dog.jpg");
      const definition = workflow(
        {
          method: "POST",
          multi_part_encoded_files: { image: "$inputs.image" },
          multi_part_encoded_files_operations: { image: [{ type: "ConvertImageToJPEG" }] },
          form_data: { thumbnail: "$inputs.image", camera: "gate" },
          form_data_operations: { thumbnail: [{ type: "ConvertImageToJPEG", compression_level: 20 }] },
        },
        [{ type: "WorkflowImage", name: "image" }],
      );
      expect((await engine.run(definition, { url: `${server.url}/upload`, image: dog })).outputs).toEqual([{ hook: SENT }]);
      const form = await formOf(server.requests[0]!);
      expect([...form.keys()]).toEqual(["thumbnail", "camera", "image"]);
      expect(form.get("camera")).toBe("gate");
      const parts = { image: form.get("image") as File, thumbnail: form.get("thumbnail") as File };
      expect([parts.image.name, parts.thumbnail.name]).toEqual(["image", "thumbnail"]);
      const decoded = async (file: File) => sharp(Buffer.from(await file.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
      const meanError = (pixels: Buffer) => pixels.reduce((sum, v, i) => sum + Math.abs(v - dog.pixels.data[i]!), 0) / pixels.length;
      const [image, thumbnail] = [await decoded(parts.image), await decoded(parts.thumbnail)];
      expect(image.info).toMatchObject({ format: "raw", width: dog.width, height: dog.height, channels: 3 });
      expect(thumbnail.info).toMatchObject({ width: dog.width, height: dog.height });
      // Quality 95 (the default) stays close to the photo; quality 20 is smaller and further off.
      expect(meanError(image.data)).toBeLessThan(2);
      expect(meanError(thumbnail.data)).toBeGreaterThan(2 * meanError(image.data));
      expect(parts.thumbnail.size).toBeLessThan(parts.image.size / 2);
    },
  );

  it("sends ConvertImageToBase64 and ConvertImageToJPEG results in JSON as base64 strings", async () => {
    const image = synthetic(32, 24, 3, (x, y, c) => (c === 0 ? x * 8 : y * 10));
    const definition = workflow(
      {
        method: "POST",
        json_payload: { image: "$inputs.image", jpeg: "$inputs.image" },
        json_payload_operations: { image: [{ type: "ConvertImageToBase64" }], jpeg: [{ type: "ConvertImageToJPEG" }] },
      },
      [{ type: "WorkflowImage", name: "image" }],
    );
    expect((await engine.run(definition, { url: `${server.url}/json`, image })).outputs).toEqual([{ hook: SENT }]);
    const body = JSON.parse(server.requests[0]!.body.toString("utf8")) as { image: string; jpeg: string };
    // Both are the image as a quality-95 JPEG: ConvertImageToBase64 encodes pixels as ConvertImageToJPEG's default does.
    expect(body.jpeg).toBe(body.image);
    const { data, info } = await sharp(Buffer.from(body.image, "base64")).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 32, height: 24 });
    expect(data.reduce((max, v, i) => Math.max(max, Math.abs(v - image.pixels.data[i]!)), 0)).toBeLessThanOrEqual(8);
  });

  it("reports an error status, a redirect (not followed) and no answer within request_timeout in error_status", async () => {
    answer = () => ({ status: 500, text: "boom" });
    expect((await engine.run(workflow({ method: "POST" }), { url: `http://user:pw@${server.url.slice(7)}/fails?token=abc#frag` })).outputs[0]).toEqual({
      hook: { error_status: true, throttling_status: false, message: `Failed to send webhook notification. Internal error details: HTTP 500 from ${server.url}/fails` },
    });
    answer = () => ({ status: 302, text: "", headers: { location: "http://169.254.169.254/" } });
    expect((await engine.run(workflow({ method: "POST" }), { url: `${server.url}/moved` })).outputs[0]).toMatchObject({
      hook: { error_status: true, message: `Failed to send webhook notification. Internal error details: HTTP 302 (a redirect, which is not followed) from ${server.url}/moved` },
    });
    expect(server.requests.map((r) => r.url)).toEqual(["/fails?token=abc", "/moved"]);
    // The URL's user info goes as basic auth (requests' rule), never into the message.
    expect(server.requests[0]!.headers["authorization"]).toBe(`Basic ${Buffer.from("user:pw").toString("base64")}`);
    answer = () => "hang";
    const hung = (await engine.run(workflow({ method: "POST", request_timeout: 1 }), { url: `${server.url}/slow` })).outputs[0] as { hook: Record<string, unknown> };
    expect(hung.hook).toEqual({ error_status: true, throttling_status: false, message: `Failed to send webhook notification. Internal error details: ${server.url}/slow did not answer within 1000 ms` });
  });

  it("fails the run when the run is cancelled while waiting for the answer", async () => {
    answer = () => "hang";
    const controller = new AbortController();
    server.onRequest = () => controller.abort(new WorkflowError("run_cancelled", "cancelled by the test", 409));
    const run = engine.run(workflow({ method: "POST", request_timeout: 600 }), { url: `${server.url}/hang` }, { signal: controller.signal });
    await expect(run).rejects.toMatchObject({ code: "run_cancelled" });
    expect(server.requests).toHaveLength(1);
  });

  it("keeps Roboflow's cooldown: within cooldown_seconds of the last send it sends nothing and says throttled", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const videoState = new MemoryVideoState();
    const definition = workflow({ method: "POST", cooldown_seconds: 5 });
    const run = async () => ((await engine.run(definition, { url: `${server.url}/cool` }, { services: { videoState } })).outputs[0] as { hook: unknown }).hook;
    expect(await run()).toEqual(SENT);
    vi.setSystemTime(new Date("2026-01-01T00:00:04.999Z"));
    expect(await run()).toEqual({ error_status: false, throttling_status: true, message: "Sink cooldown applies" });
    vi.setSystemTime(new Date("2026-01-01T00:00:05Z"));
    expect(await run()).toEqual(SENT);
    expect(server.requests).toHaveLength(2);
    // A run with a store of its own (any request outside a video pipeline) starts with no cooldown.
    expect(((await engine.run(definition, { url: `${server.url}/cool` })).outputs[0] as { hook: unknown }).hook).toEqual(SENT);
    expect(server.requests).toHaveLength(3);
  });

  it("one send per cooldown across the elements of a batch in one run", async () => {
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowBatchInput", name: "labels", kind: ["string"] }, { type: "WorkflowParameter", name: "url" }],
      steps: [{ type: "roboflow_core/webhook_sink@v1", name: "hook", url: "$inputs.url", method: "POST", json_payload: { label: "$inputs.labels" }, fire_and_forget: false }],
      outputs: [{ type: "JsonField", name: "throttled", selector: "$steps.hook.throttling_status" }],
    };
    const result = await engine.run(definition, { url: `${server.url}/batch`, labels: ["a", "b", "c"] });
    expect(result.outputs.map((o) => (o as { throttled: boolean }).throttled).filter((t) => !t)).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it("sends nothing under the run's disable_sinks or the step's disable_sink, and says which", async () => {
    const definition = workflow({ method: "POST" });
    expect((await engine.run(definition, { url: `${server.url}/off` }, { services: { sinksDisabled: true } })).outputs[0]).toEqual({
      hook: { error_status: false, throttling_status: false, message: "Sink was disabled by workflow execution policy" },
    });
    expect((await engine.run(workflow({ method: "POST", disable_sink: true }), { url: `${server.url}/off` })).outputs[0]).toEqual({
      hook: { error_status: false, throttling_status: false, message: "Sink was disabled by parameter `disable_sink`" },
    });
    expect(server.requests).toHaveLength(0);
  });

  it("fails the step with url_not_allowed for an address the rules refuse, a secret URL's path masked", async () => {
    await expect(closedEngine.run(workflow({ method: "POST" }), { url: `${server.url}/private` })).rejects.toMatchObject({ code: "url_not_allowed" });
    process.env["WORKFLOW_SECRET_HOOK_URL"] = `${server.url}/services/T0/B0/sekret-path`;
    try {
      const definition = {
        version: "1.0",
        inputs: [],
        steps: [
          { type: "roboflow_core/environment_secrets_store@v1", name: "secrets", variables_storing_secrets: ["WORKFLOW_SECRET_HOOK_URL"] },
          { type: "roboflow_core/webhook_sink@v1", name: "hook", url: "$steps.secrets.workflow_secret_hook_url", method: "POST" },
        ],
        outputs: [{ type: "JsonField", name: "hook", selector: "$steps.hook.*" }],
      };
      const error = await closedEngine.run(definition, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowError);
      expect((error as WorkflowError).code).toBe("url_not_allowed");
      expect(JSON.stringify((error as WorkflowError).toJSON())).not.toContain("sekret-path");
    } finally {
      delete process.env["WORKFLOW_SECRET_HOOK_URL"];
    }
    expect(server.requests).toHaveLength(0);
  });
});
