/**
 * anthropic_claude@v1-v3 against a local server speaking Anthropic's Messages API (POST
 * /v1/messages, answers and errors shaped as Anthropic documents them): what cvflow sends (path,
 * headers, model id, max_tokens, the prompt, the image as a JPEG shrunk to max_image_size,
 * thinking), how answers are read (text after thinking, stop_reason), a detection answer through
 * vlm_as_detector to boxes, the checks across fields, and failures: a refused key, 429 with
 * Retry-After, 529 overloaded, the run's deadline and its cancellation while Anthropic is silent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import sharp from "sharp";
import { parseUrlAllowList } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { createWorkflowEngine } from "../src/runtime.js";
import { photo, synthetic } from "./image-fixtures.js";
import { scriptedProvider, type ScriptedProvider } from "./scripted-provider.js";

const KEY = "sk-ant-api03-test-key-0123456789";

let anthropic: ScriptedProvider;
beforeAll(async () => {
  anthropic = await scriptedProvider();
});
afterAll(() => anthropic.close());
beforeEach(() => {
  anthropic.requests.length = 0;
});

const engine = () => createWorkflowEngine({ egress: { urlPolicy: { allowList: parseUrlAllowList("127.0.0.1") }, endpoints: { anthropic: anthropic.url } } });

function claude(version: 1 | 2 | 3, step: Record<string, unknown>, extraSteps: Record<string, unknown>[] = [], outputs = [{ type: "JsonField", name: "claude", selector: "$steps.claude.*" }]) {
  return {
    version: "1.0",
    inputs: [
      { type: "WorkflowImage", name: "image" },
      { type: "WorkflowParameter", name: "key" },
    ],
    steps: [{ type: `roboflow_core/anthropic_claude@v${version}`, name: "claude", images: "$inputs.image", api_key: "$inputs.key", ...step }, ...extraSteps],
    outputs,
  };
}

/** A Messages API answer as Anthropic writes it. */
function message(content: Record<string, unknown>[], stop_reason = "end_turn") {
  return {
    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5-20250929",
    content,
    stop_reason,
    stop_sequence: null,
    usage: { input_tokens: 1571, output_tokens: 87 },
  };
}
const text = (t: string) => ({ type: "text", text: t });
const anthropicError = (type: string, msg: string) => ({ type: "error", error: { type, message: msg }, request_id: "req_011CSHoEeqs5C35K2UUqR7Fy" });

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

describe.skipIf(missing("anthropic_claude on a photo", { photos: ["bus.jpg"] }))("anthropic_claude on a photo", () => {
  it("object detection: the JPEG shrunk to 1024, Anthropic's headers and v2's defaults; vlm_as_detector turns the answer into boxes on the photo", async () => {
    const bus = await photo("bus.jpg");
    expect([bus.width, bus.height]).toEqual([810, 1080]);
    const answer = '{"detections": [{"x_min": 0.1, "y_min": 0.2, "x_max": 0.9, "y_max": 0.75, "class_name": "bus", "confidence": 0.92}, {"x_min": 0.1, "y_min": 0.4, "x_max": 0.3, "y_max": 0.9, "class_name": "person", "confidence": 0.8}]}';
    anthropic.reply({ json: message([text(answer)]) });
    const definition = claude(
      2,
      { task_type: "object-detection", classes: ["bus", "person"] },
      [{ type: "roboflow_core/vlm_as_detector@v2", name: "boxes", image: "$inputs.image", vlm_output: "$steps.claude.output", classes: "$steps.claude.classes", model_type: "anthropic-claude", task_type: "object-detection" }],
      [
        { type: "JsonField", name: "claude", selector: "$steps.claude.*" },
        { type: "JsonField", name: "boxes", selector: "$steps.boxes.predictions" },
      ],
    );
    const { outputs } = await engine().run(definition, { image: bus, key: KEY }, { serialize: true });

    expect(anthropic.requests).toHaveLength(1);
    const sent = anthropic.requests[0]!;
    expect([sent.method, sent.path]).toEqual(["POST", "/v1/messages"]);
    expect(sent.headers["x-api-key"]).toBe(KEY);
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(sent.headers["authorization"]).toBeUndefined();
    const body = sent.json;
    // v2: the friendly name sent as its exact version, max_tokens the model's output limit, no temperature.
    expect(Object.keys(body).sort()).toEqual(["max_tokens", "messages", "model", "system"]);
    expect(body.model).toBe("claude-sonnet-4-5-20250929");
    expect(body.max_tokens).toBe(64000);
    expect(body.system).toContain('{"detections": [{"x_min"');
    expect(body.messages).toHaveLength(1);
    const [imagePart, textPart] = body.messages[0].content;
    expect(body.messages[0].role).toBe("user");
    expect(textPart).toEqual({ type: "text", text: "Classes to detect: bus, person" });
    expect(imagePart.type).toBe("image");
    expect(imagePart.source.type).toBe("base64");
    expect(imagePart.source.media_type).toBe("image/jpeg");
    const sentImage = await sharp(Buffer.from(imagePart.source.data, "base64")).metadata();
    expect([sentImage.format, sentImage.width, sentImage.height]).toEqual(["jpeg", 768, 1024]);

    const out = outputs[0]!;
    expect(out["claude"]).toEqual({ output: answer, classes: ["bus", "person"] });
    // Normalized corners scaled to the 810x1080 photo the detector was given.
    const boxes = (out["boxes"] as { image: unknown; predictions: Record<string, number | string>[] });
    expect(boxes.image).toEqual({ width: 810, height: 1080 });
    const rows = boxes.predictions.map((p) => [p["class"], p["class_id"], p["x"], p["y"], p["width"], p["height"], p["confidence"]]);
    expect(rows).toEqual([
      ["bus", 0, 405, 513, 648, 594, 0.92],
      ["person", 1, 162, 702, 162, 540, 0.8],
    ]);
  });
});

describe("anthropic_claude", () => {
  it("v1: its retired names sent as Roboflow maps them, max_tokens 450, a temperature; an answer cut at max_tokens still read", async () => {
    anthropic.reply({ json: message([text("A red and green gradient.")], "max_tokens") });
    const { outputs } = await engine().run(claude(1, { task_type: "caption", model_version: "claude-3-5-haiku", temperature: 1.5 }), { image: small, key: KEY });
    const body = anthropic.requests[0]!.json;
    expect(body.model).toBe("claude-3-5-haiku-20241022");
    expect(body.max_tokens).toBe(450);
    expect(body.temperature).toBe(1.5);
    expect(body.system).toMatch(/caption/i);
    expect(body.system).toMatch(/short/i);
    expect(outputs[0]!["claude"]).toEqual({ output: "A red and green gradient.", classes: null });
    // An image smaller than max_image_size goes at its own size.
    const [imagePart] = body.messages[0].content;
    const sentImage = await sharp(Buffer.from(imagePart.source.data, "base64")).metadata();
    expect([sentImage.width, sentImage.height]).toEqual([300, 200]);
  });

  it("v2: an unconstrained prompt as the user's text, the image shrunk to max_image_size; an answer cut at max_tokens is provider_error", async () => {
    anthropic.reply({ json: message([text("partial")], "max_tokens") });
    const error = await failure(engine().run(claude(2, { prompt: "What is this?", max_image_size: 150, max_tokens: 20 }), { image: small, key: KEY }));
    expect(error.code).toBe("provider_error");
    expect(error.message).toContain("max_tokens");
    const body = anthropic.requests[0]!.json;
    expect(body.system).toBeUndefined();
    expect(body.max_tokens).toBe(20);
    const [imagePart, textPart] = body.messages[0].content;
    expect(textPart).toEqual({ type: "text", text: "What is this?" });
    const sentImage = await sharp(Buffer.from(imagePart.source.data, "base64")).metadata();
    expect([sentImage.width, sentImage.height]).toEqual([150, 100]);
  });

  it("v3 with extended thinking: the budget sent (half the model's limit when unset), no temperature; the text after the thinking block is the output", async () => {
    const answer = message([{ type: "thinking", thinking: "The image shows stripes.", signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3h" }, text('{"class_name": "stripes", "confidence": 0.7}')]);
    anthropic.reply({ json: answer }, { json: answer });
    const base = { task_type: "classification", classes: ["stripes", "dots"], extended_thinking: true };
    const { outputs } = await engine().run(claude(3, { ...base, model_version: "claude-opus-4-6" }), { image: small, key: KEY });
    expect(outputs[0]!["claude"]).toEqual({ output: '{"class_name": "stripes", "confidence": 0.7}', classes: ["stripes", "dots"] });
    const first = anthropic.requests[0]!.json;
    expect(first.model).toBe("claude-opus-4-6");
    expect(first.max_tokens).toBe(128000);
    expect(first.thinking).toEqual({ type: "enabled", budget_tokens: 64000 });
    expect(first.temperature).toBeUndefined();
    expect(first.messages[0].content[1].text).toBe("Classes to choose from: stripes, dots");

    await engine().run(claude(3, { ...base, max_tokens: 4000, thinking_budget_tokens: 2048 }), { image: small, key: KEY });
    const second = anthropic.requests[1]!.json;
    expect([second.max_tokens, second.thinking]).toEqual([4000, { type: "enabled", budget_tokens: 2048 }]);
  });

  it("checks across fields when the workflow compiles: the task's field, temperature and the budget with thinking", () => {
    const problems = (step: Record<string, unknown>) => {
      try {
        engine().compile(claude(3, step));
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problems({ task_type: "unconstrained" })).toMatch(/prompt/);
    expect(problems({ task_type: "object-detection" })).toMatch(/classes/);
    expect(problems({ task_type: "structured-answering" })).toMatch(/output_structure/);
    expect(problems({ task_type: "ocr", extended_thinking: true, temperature: 0.5 })).toMatch(/temperature cannot be used/);
    expect(problems({ task_type: "ocr", extended_thinking: true, max_tokens: 2000, thinking_budget_tokens: 2000 })).toMatch(/must be less than max_tokens/);
    expect(problems({ task_type: "ocr", extended_thinking: true, thinking_budget_tokens: 1000 })).toMatch(/thinking_budget_tokens/);
    expect(problems({ task_type: "ocr", temperature: 1.5 })).toMatch(/temperature/);
    expect(problems({ task_type: "ocr", model_version: "claude-3-opus" })).toMatch(/model_version/);
    expect(problems({ task_type: "ocr", extended_thinking: false, temperature: 0.5 })).toBe("");
  });

  it("v3's default key (Roboflow's managed rf_key:account) is refused before anything is sent", async () => {
    const definition = claude(3, { task_type: "ocr" });
    delete (definition.steps[0] as Record<string, unknown>)["api_key"];
    const error = await failure(engine().run(definition, { image: small, key: KEY }));
    expect(error.code).toBe("invalid_field");
    expect(error.message).toContain("your own Anthropic API key");
    expect(anthropic.requests).toHaveLength(0);
  });

  it("a refused key: provider_auth_failed with Anthropic's message, the key never in the error", async () => {
    anthropic.reply({ status: 401, json: anthropicError("authentication_error", `invalid x-api-key ${KEY}`) });
    const error = await failure(engine().run(claude(2, { task_type: "ocr" }), { image: small, key: KEY }));
    expect(error.code).toBe("provider_auth_failed");
    expect(error.message).toContain("Anthropic");
    expect(error.message).toContain("invalid x-api-key");
    expect(JSON.stringify([error.message, error.details])).not.toContain(KEY);
    expect(anthropic.requests).toHaveLength(1);
  });

  it("429 with Retry-After and 529 overloaded are retried; 429 three times is provider_rate_limited after 2 retries", async () => {
    anthropic.reply(
      { status: 429, headers: { "retry-after": "0" }, json: anthropicError("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit") },
      { status: 529, json: anthropicError("overloaded_error", "Overloaded") },
      { json: message([text("TEXT")]) },
    );
    const { outputs } = await engine().run(claude(2, { task_type: "ocr" }), { image: small, key: KEY });
    expect(outputs[0]!["claude"]).toEqual({ output: "TEXT", classes: null });
    expect(anthropic.requests).toHaveLength(3);
    // The same request each time.
    expect(new Set(anthropic.requests.map((r) => r.body.toString("base64"))).size).toBe(1);

    anthropic.requests.length = 0;
    const limited = { status: 429, headers: { "retry-after": "0" }, json: anthropicError("rate_limit_error", "rate limited") };
    anthropic.reply(limited, limited, limited);
    const error = await failure(engine().run(claude(2, { task_type: "ocr" }), { image: small, key: KEY }));
    expect(error.code).toBe("provider_rate_limited");
    expect(error.message).toContain("2 retries");
    expect(anthropic.requests).toHaveLength(3);
  });

  it("Anthropic silent: the run's deadline ends the call (deadline_exceeded), and so does cancelling the run (run_cancelled)", async () => {
    anthropic.reply("hang");
    const late = await failure(engine().run(claude(2, { task_type: "ocr" }), { image: small, key: KEY }, { deadlineMs: 300 }));
    expect(late.code).toBe("deadline_exceeded");

    anthropic.requests.length = 0;
    anthropic.reply("hang");
    const controller = new AbortController();
    const running = failure(engine().run(claude(2, { task_type: "ocr" }), { image: small, key: KEY }, { signal: controller.signal }));
    await until(() => anthropic.requests.length === 1);
    controller.abort();
    expect((await running).code).toBe("run_cancelled");
  });
});
