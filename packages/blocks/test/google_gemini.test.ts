/**
 * google_gemini@v1-v4 against a local server speaking the Gemini API's generateContent (POST
 * /v1beta/models/{model}:generateContent, answers and errors shaped as Google documents them):
 * what cvflow sends (path, key header and never a key in the URL, contents with inline_data,
 * systemInstruction, generationConfig per version and model, v4's response schema, the code
 * execution tool), how answers are read (first text part, finishReason, blocked prompts), v4's
 * box_2d answer through vlm_as_detector to boxes, a key from environment_secrets_store, and
 * failures: Gemini's refused-key 400, 429 and 503 retried, the run's deadline and its cancellation
 * while Gemini is silent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import sharp from "sharp";
import { parseUrlAllowList } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { createWorkflowEngine } from "../src/runtime.js";
import { photo, synthetic } from "./image-fixtures.js";
import { scriptedProvider, type ScriptedProvider } from "./scripted-provider.js";

const KEY = "AIzaSyD-test-gemini-key-0123456789";

let gemini: ScriptedProvider;
beforeAll(async () => {
  gemini = await scriptedProvider();
});
afterAll(() => gemini.close());
beforeEach(() => {
  gemini.requests.length = 0;
});

const engine = () => createWorkflowEngine({ egress: { urlPolicy: { allowList: parseUrlAllowList("127.0.0.1") }, endpoints: { gemini: gemini.url } } });

function workflow(version: 1 | 2 | 3 | 4, step: Record<string, unknown>, extraSteps: Record<string, unknown>[] = [], outputs = [{ type: "JsonField", name: "gemini", selector: "$steps.gemini.*" }]) {
  return {
    version: "1.0",
    inputs: [
      { type: "WorkflowImage", name: "image" },
      { type: "WorkflowParameter", name: "key" },
      { type: "WorkflowParameter", name: "model", default_value: "gemini-2.5-flash" },
    ],
    steps: [{ type: `roboflow_core/google_gemini@v${version}`, name: "gemini", images: "$inputs.image", api_key: "$inputs.key", ...step }, ...extraSteps],
    outputs,
  };
}

/** A generateContent answer as Gemini writes it. */
function answer(parts: Record<string, unknown>[], finishReason = "STOP") {
  return {
    candidates: [{ content: { parts, role: "model" }, finishReason, index: 0 }],
    usageMetadata: { promptTokenCount: 1290, candidatesTokenCount: 42, totalTokenCount: 1332 },
    modelVersion: "gemini-2.5-flash",
    responseId: "mV1QaK2fN9-ugLUP8ZC5mAk",
  };
}
const googleError = (code: number, status: string, message: string, reason?: string) => ({
  error: { code, message, status, ...(reason ? { details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: "googleapis.com" }] } : {}) },
});

async function failure(run: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  return run.then(
    () => {
      throw new Error("the run succeeded");
    },
    (error: { code: string; message: string; details: Record<string, unknown> }) => error,
  );
}

/** Resolves once `condition` holds (a request has reached the server), checking at each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

const small = synthetic(300, 200, 3, (x, y, c) => (x * 3 + y * 5 + c * 40) % 256);

describe.skipIf(missing("google_gemini on a photo", { photos: ["bus.jpg"] }))("google_gemini on a photo", () => {
  it("v4 object detection: the JPEG at its own size, the key in x-goog-api-key, box_2d asked with a response schema; vlm_as_detector turns the answer into boxes", async () => {
    const bus = await photo("bus.jpg");
    const boxes = '[{"box_2d": [200, 100, 750, 900], "label": "bus"}, {"box_2d": [400, 100, 900, 300], "label": "person"}]';
    gemini.reply({ json: answer([{ text: boxes }]) });
    const definition = workflow(
      4,
      { task_type: "object-detection", classes: ["bus", "person"] },
      [{ type: "roboflow_core/vlm_as_detector@v2", name: "boxes", image: "$inputs.image", vlm_output: "$steps.gemini.output", classes: "$steps.gemini.classes", model_type: "google-gemini", task_type: "object-detection" }],
      [
        { type: "JsonField", name: "gemini", selector: "$steps.gemini.*" },
        { type: "JsonField", name: "boxes", selector: "$steps.boxes.predictions" },
      ],
    );
    const { outputs } = await engine().run(definition, { image: bus, key: KEY });

    expect(gemini.requests).toHaveLength(1);
    const sent = gemini.requests[0]!;
    // v4's default model; the key in its header, not in the URL.
    expect([sent.method, sent.path]).toEqual(["POST", "/v1beta/models/gemini-3.1-pro-preview:generateContent"]);
    expect(sent.headers["x-goog-api-key"]).toBe(KEY);
    expect(sent.headers["content-type"]).toBe("application/json");
    const body = sent.json;
    expect(Object.keys(body).sort()).toEqual(["contents", "generationConfig"]);
    expect(body.contents).toHaveLength(1);
    expect(body.contents[0].role).toBe("user");
    const [imagePart, textPart] = body.contents[0].parts;
    expect(imagePart.inline_data.mime_type).toBe("image/jpeg");
    const sentImage = await sharp(Buffer.from(imagePart.inline_data.data, "base64")).metadata();
    expect([sentImage.format, sentImage.width, sentImage.height]).toEqual(["jpeg", 810, 1080]);
    expect(textPart.text).toContain('"box_2d"');
    expect(textPart.text).toContain("[y_min, x_min, y_max, x_max]");
    expect(textPart.text).toMatch(/bus, person$/);
    expect(body.generationConfig).toEqual({
      response_mime_type: "application/json",
      candidate_count: 1,
      response_schema: {
        type: "ARRAY",
        items: {
          type: "OBJECT",
          properties: {
            box_2d: { type: "ARRAY", items: { type: "INTEGER", minimum: 0, maximum: 1000 }, minItems: 4, maxItems: 4 },
            label: { type: "STRING", enum: ["bus", "person"] },
          },
          required: ["box_2d", "label"],
          propertyOrdering: ["box_2d", "label"],
        },
      },
    });

    const out = outputs[0]!;
    expect(out["gemini"]).toEqual({ output: boxes, classes: ["bus", "person"] });
    const detections = out["boxes"] as { image: unknown; predictions: Record<string, number | string>[] };
    expect(detections.image).toEqual({ width: 810, height: 1080 });
    expect(detections.predictions.map((p) => [p["class"], p["class_id"], p["x"], p["y"], p["width"], p["height"], p["confidence"]])).toEqual([
      ["bus", 0, 405, 513, 648, 594, 1],
      ["person", 1, 162, 702, 162, 540, 1],
    ]);
  });
});

describe("google_gemini", () => {
  it("v1: gemini-2.5-flash by default, max_output_tokens 450, temperature, OCR's system instruction; an answer cut at MAX_TOKENS still read", async () => {
    gemini.reply({ json: answer([{ text: "CARE LABEL" }], "MAX_TOKENS") });
    const { outputs } = await engine().run(workflow(1, { task_type: "ocr", temperature: 0.4 }), { image: small, key: KEY });
    const sent = gemini.requests[0]!;
    expect(sent.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(sent.json.generationConfig).toEqual({ response_mime_type: "text/plain", candidate_count: 1, max_output_tokens: 450, temperature: 0.4 });
    expect(sent.json.systemInstruction.parts[0].text).toMatch(/OCR/);
    expect(outputs[0]!["gemini"]).toEqual({ output: "CARE LABEL", classes: null });
  });

  it("v2: Gemini 3 gets thinking_level and no temperature, Gemini 2.5 the temperature and no thinking; a preview alias goes as its model", async () => {
    gemini.reply({ json: answer([{ text: "a" }]) }, { json: answer([{ text: "b" }]) }, { json: answer([{ text: "c" }]) });
    const step = { prompt: "Describe", thinking_level: "low", temperature: 0.3, max_tokens: 900 };
    await engine().run(workflow(2, { ...step, model_version: "gemini-3-flash-preview" }), { image: small, key: KEY });
    await engine().run(workflow(2, { ...step, model_version: "gemini-2.5-flash" }), { image: small, key: KEY });
    await engine().run(workflow(2, { prompt: "Describe", model_version: "gemini-2.5-pro-preview-03-25" }), { image: small, key: KEY });
    const [three, two, alias] = gemini.requests;
    expect(three!.path).toBe("/v1beta/models/gemini-3-flash-preview:generateContent");
    expect(three!.json.generationConfig).toEqual({ response_mime_type: "text/plain", candidate_count: 1, max_output_tokens: 900, thinking_config: { thinking_level: "low" } });
    expect(two!.json.generationConfig).toEqual({ response_mime_type: "text/plain", candidate_count: 1, max_output_tokens: 900, temperature: 0.3 });
    expect(three!.json.systemInstruction).toBeUndefined();
    expect(three!.json.contents[0].parts[1]).toEqual({ text: "Describe" });
    expect(alias!.path).toBe("/v1beta/models/gemini-2.5-pro:generateContent");
    expect(alias!.json.generationConfig).toEqual({ response_mime_type: "text/plain", candidate_count: 1 });
  });

  it("v3: code execution for Gemini 3 models only; the text part after the code's parts is the output", async () => {
    const withCode = answer([
      { executableCode: { language: "PYTHON", code: "print(2 + 2)" } },
      { codeExecutionResult: { outcome: "OUTCOME_OK", output: "4\n" } },
      { text: '{"count": 4}' },
    ]);
    gemini.reply({ json: withCode }, { json: answer([{ text: '{"count": 4}' }]) });
    const step = { task_type: "structured-answering", output_structure: { count: "how many stripes" }, google_code_execution: true };
    const { outputs } = await engine().run(workflow(3, { ...step, model_version: "gemini-3.5-flash" }), { image: small, key: KEY });
    expect(outputs[0]!["gemini"]).toEqual({ output: '{"count": 4}', classes: null });
    await engine().run(workflow(3, { ...step, model_version: "$inputs.model" }), { image: small, key: KEY });
    const [three, older] = gemini.requests;
    expect(three!.json.tools).toEqual([{ code_execution: {} }]);
    expect(three!.json.generationConfig.response_mime_type).toBe("application/json");
    expect(three!.json.contents[0].parts[1].text).toContain('"count": "how many stripes"');
    expect(older!.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(older!.json.tools).toBeUndefined();
  });

  it("v3 object detection asks for normalized corners (no schema); a model name from a selector must be one of the version's", async () => {
    gemini.reply({ json: answer([{ text: '{"detections": []}' }]) });
    await engine().run(workflow(3, { task_type: "object-detection", classes: ["dot"], model_version: "$inputs.model" }), { image: small, key: KEY, model: "gemini-3.7-flash" });
    const sent = gemini.requests[0]!;
    expect(sent.path).toBe("/v1beta/models/gemini-3.7-flash:generateContent");
    expect(sent.json.systemInstruction.parts[0].text).toContain('{"detections": [{"x_min"');
    expect(sent.json.generationConfig.response_schema).toBeUndefined();

    const other = await failure(engine().run(workflow(3, { task_type: "ocr", model_version: "$inputs.model" }), { image: small, key: KEY, model: "../../v1/files" }));
    expect(other.code).toBe("invalid_input");
    expect(other.message).toContain("model_version");
    expect(gemini.requests).toHaveLength(1);
  });

  it("v2+: an answer stopped for safety, cut at MAX_TOKENS or a blocked prompt is provider_error saying so", async () => {
    gemini.reply(
      { json: answer([{ text: "" }], "SAFETY") },
      { json: answer([{ text: "par" }], "MAX_TOKENS") },
      { json: { promptFeedback: { blockReason: "PROHIBITED_CONTENT" }, usageMetadata: { promptTokenCount: 1290, totalTokenCount: 1290 } } },
    );
    const run = () => failure(engine().run(workflow(2, { task_type: "caption", model_version: "gemini-2.5-flash" }), { image: small, key: KEY }));
    const [safety, cut, blocked] = [await run(), await run(), await run()];
    expect([safety.code, cut.code, blocked.code]).toEqual(["provider_error", "provider_error", "provider_error"]);
    expect(safety.message).toContain("finishReason SAFETY");
    expect(cut.message).toContain("max_tokens");
    expect(blocked.message).toContain("prompt blocked: PROHIBITED_CONTENT");
  });

  it("Gemini's 400 for a bad key is provider_auth_failed, the key never in the error; v3's managed-key default is refused before sending", async () => {
    gemini.reply({ status: 400, json: googleError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", "API_KEY_INVALID") });
    const refused = await failure(engine().run(workflow(2, { task_type: "ocr" }), { image: small, key: KEY }));
    expect(refused.code).toBe("provider_auth_failed");
    expect(refused.message).toContain("API key not valid");
    expect(JSON.stringify([refused.message, refused.details])).not.toContain(KEY);
    expect(gemini.requests).toHaveLength(1);

    // Any other 400 stays provider_error, with Google's message.
    gemini.reply({ status: 400, json: googleError(400, "INVALID_ARGUMENT", "Unable to process input image.") });
    const bad = await failure(engine().run(workflow(2, { task_type: "ocr" }), { image: small, key: KEY }));
    expect([bad.code, bad.message]).toEqual(["provider_error", 'Step "gemini" failed: Google Gemini answered 400: Unable to process input image.']);

    gemini.requests.length = 0;
    const definition = workflow(3, { task_type: "ocr" });
    delete (definition.steps[0] as Record<string, unknown>)["api_key"];
    const managed = await failure(engine().run(definition, { image: small, key: KEY }));
    expect(managed.code).toBe("invalid_field");
    expect(managed.message).toContain("rf_key:account");
    expect(gemini.requests).toHaveLength(0);
  });

  it("a key from environment_secrets_store: sent in x-goog-api-key, never in the outputs, masked in Gemini's echo of it", async () => {
    const secret = "AIzaSy-from-environment-9876543210";
    process.env["WORKFLOW_SECRET_GEMINI_KEY"] = secret;
    try {
      const definition = {
        version: "1.0",
        inputs: [{ type: "WorkflowImage", name: "image" }],
        steps: [
          { type: "roboflow_core/environment_secrets_store@v1", name: "secrets", variables_storing_secrets: ["WORKFLOW_SECRET_GEMINI_KEY"] },
          { type: "roboflow_core/google_gemini@v4", name: "gemini", images: "$inputs.image", task_type: "caption", api_key: "$steps.secrets.workflow_secret_gemini_key" },
        ],
        outputs: [
          { type: "JsonField", name: "gemini", selector: "$steps.gemini.*" },
          { type: "JsonField", name: "key", selector: "$steps.secrets.workflow_secret_gemini_key" },
        ],
      };
      gemini.reply({ json: answer([{ text: "Stripes." }]) }, { status: 403, json: googleError(403, "PERMISSION_DENIED", `Key ${secret} is not allowed for this project`) });
      const { outputs } = await engine().run(definition, { image: small });
      expect(gemini.requests[0]!.headers["x-goog-api-key"]).toBe(secret);
      expect(outputs[0]!["gemini"]).toEqual({ output: "Stripes.", classes: null });
      expect(JSON.stringify(outputs)).not.toContain(secret);
      const refused = await failure(engine().run(definition, { image: small }));
      expect(refused.code).toBe("provider_auth_failed");
      expect(refused.message).toContain("Key *** is not allowed");
      expect(JSON.stringify([refused.message, refused.details])).not.toContain(secret);
    } finally {
      delete process.env["WORKFLOW_SECRET_GEMINI_KEY"];
    }
  });

  it("429 RESOURCE_EXHAUSTED with Retry-After and 503 UNAVAILABLE are retried with the same request", async () => {
    gemini.reply(
      { status: 429, headers: { "retry-after": "0" }, json: googleError(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).") },
      { status: 503, headers: { "retry-after": "0" }, json: googleError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.") },
      { json: answer([{ text: "done" }]) },
    );
    const { outputs } = await engine().run(workflow(2, { task_type: "caption" }), { image: small, key: KEY });
    expect(outputs[0]!["gemini"]).toEqual({ output: "done", classes: null });
    expect(gemini.requests).toHaveLength(3);
    expect(new Set(gemini.requests.map((r) => r.body.toString("base64"))).size).toBe(1);
  });

  it("Gemini silent: the run's deadline ends the call (deadline_exceeded), and so does cancelling the run (run_cancelled)", async () => {
    gemini.reply("hang");
    const late = await failure(engine().run(workflow(4, { task_type: "ocr" }), { image: small, key: KEY }, { deadlineMs: 300 }));
    expect(late.code).toBe("deadline_exceeded");

    gemini.requests.length = 0;
    gemini.reply("hang");
    const controller = new AbortController();
    const running = failure(engine().run(workflow(4, { task_type: "ocr" }), { image: small, key: KEY }, { signal: controller.signal }));
    await until(() => gemini.requests.length === 1);
    controller.abort();
    expect((await running).code).toBe("run_cancelled");
  });
});
