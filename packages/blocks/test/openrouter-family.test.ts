/**
 * The OpenRouter-backed blocks (openrouter@v1, llama/kimi/gemma/qwen3.x rows, meta_vlm, qwen_vlm)
 * against a local server speaking OpenRouter's chat completions: what cvflow sends (path, bearer
 * key, model slug, messages and their order, the image as a JPEG of the photo's size, max_tokens,
 * temperature, provider routing, reasoning) and the reading of real-shaped answers (content,
 * message.reasoning), then the failures: a refused key, 429 with Retry-After, 5xx, a model that
 * refuses the reasoning config, an answer without content, a cancelled run, Roboflow's managed
 * key and qwen_vlm's native backend. End to end: qwen_vlm@v2 detection -> vlm_as_detector@v2.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import sharp from "sharp";
import { parseUrlAllowList, type WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { OPENROUTER_BLOCKS } from "../src/models/foundation/openrouter-models.js";
import { encodeUnderCap } from "../src/models/foundation/openrouter-chat.js";
import { createWorkflowEngine } from "../src/runtime.js";
import { photo } from "./image-fixtures.js";
import { scriptedProvider, type Recorded, type ScriptedProvider } from "./scripted-provider.js";

const KEY = "sk-or-v1-test-0123456789abcdef";
const PHOTO = "dog.jpg";

let openrouter: ScriptedProvider;
let image: WorkflowImage;
beforeAll(async () => {
  openrouter = await scriptedProvider();
});
afterAll(() => openrouter.close());
beforeEach(() => {
  openrouter.requests.length = 0;
});

const engine = () => createWorkflowEngine({ egress: { urlPolicy: { allowList: parseUrlAllowList("127.0.0.1") }, endpoints: { openrouter: openrouter.url } } });

function workflow(step: Record<string, unknown>, outputs = "*") {
  return {
    version: "1.0",
    inputs: [
      { type: "WorkflowImage", name: "image" },
      { type: "WorkflowParameter", name: "key" },
    ],
    steps: [{ name: "vlm", images: "$inputs.image", api_key: "$inputs.key", ...step }],
    outputs: [{ type: "JsonField", name: "vlm", selector: `$steps.vlm.${outputs}` }],
  };
}

/** A chat completion as OpenRouter returns it. */
function completion(content: string | null, extra: Record<string, unknown> = {}) {
  return {
    id: "gen-1733390000-abc",
    provider: "Together",
    model: "some/model",
    object: "chat.completion",
    created: 1733390000,
    choices: [{ index: 0, finish_reason: content === null ? "length" : "stop", native_finish_reason: "stop", message: { role: "assistant", content, refusal: null, ...extra } }],
    usage: { prompt_tokens: 1200, completion_tokens: 12, total_tokens: 1212 },
  };
}

/** The image a request carried: its data URL's media type and the decoded size. */
async function sentImage(request: Recorded): Promise<{ mediaType: string; width: number; height: number; parts: string[] }> {
  const messages = request.json.messages as { role: string; content: unknown }[];
  const user = messages.find((m) => m.role === "user")!;
  const parts = user.content as { type: string; image_url?: { url: string } }[];
  const url = parts.find((p) => p.type === "image_url")!.image_url!.url;
  const [, mediaType, base64] = /^data:([^;]+);base64,(.+)$/.exec(url)!;
  const meta = await sharp(Buffer.from(base64!, "base64")).metadata();
  return { mediaType: mediaType!, width: meta.width!, height: meta.height!, parts: parts.map((p) => p.type) };
}

/** What a run that must fail threw. */
async function failureOf(run: Promise<unknown>): Promise<{ code: string; message: string; details: unknown }> {
  try {
    await run;
  } catch (error) {
    return error as { code: string; message: string; details: unknown };
  }
  throw new Error("the run succeeded");
}

describe.skipIf(missing("OpenRouter family", { photos: [PHOTO] }))("OpenRouter-backed blocks", () => {
  beforeAll(async () => {
    image = await photo(PHOTO);
  });

  it("each row of the table: chat completions at OpenRouter with its default model, the task as system + user text and image, Roboflow's defaults", async () => {
    expect(OPENROUTER_BLOCKS).toHaveLength(9);
    for (const row of OPENROUTER_BLOCKS) {
      openrouter.requests.length = 0;
      openrouter.reply({ json: completion('```json\n{"class_name": "dog", "confidence": 0.9}\n```') });
      const step = { type: row.type, task_type: "classification", classes: ["dog", "cat"], ...(row.models ? {} : { model_id: "openai/gpt-4o-mini" }) };
      const { outputs } = await engine().run(workflow(step), { image, key: KEY });
      expect(outputs, row.type).toEqual([{ vlm: { output: '```json\n{"class_name": "dog", "confidence": 0.9}\n```', classes: ["dog", "cat"] } }]);
      const [sent] = openrouter.requests;
      expect(openrouter.requests, row.type).toHaveLength(1);
      expect(sent!.method).toBe("POST");
      expect(sent!.path).toBe("/chat/completions");
      expect(sent!.headers["authorization"]).toBe(`Bearer ${KEY}`);
      expect(sent!.headers["content-type"]).toBe("application/json");
      expect(sent!.json.model, row.type).toBe(row.models ? row.models[row.defaultModel!] : "openai/gpt-4o-mini");
      expect(sent!.json.max_tokens).toBe(500);
      expect(sent!.json.temperature).toBe(0.1);
      // Own-key blocks send no provider filter; the passthrough ones default to "deny".
      expect(sent!.json.provider, row.type).toEqual(row.generation === "own-key" ? undefined : { data_collection: "deny" });
      expect(sent!.json.reasoning).toBeUndefined();
      const [system, user] = sent!.json.messages;
      expect(system.role).toBe("system");
      expect(system.content).toContain('{"class_name": "a-class", "confidence": 0.8}');
      expect(user.content[0]).toEqual({ type: "text", text: "Classes to choose from: dog, cat" });
      expect(await sentImage(sent!)).toEqual({ mediaType: "image/jpeg", width: image.width, height: image.height, parts: ["text", "image_url"] });
    }
  });

  it("model_version picks the slug; privacy_level zdr and allow; an unconstrained prompt goes alone as the user's text", async () => {
    openrouter.reply({ json: completion("A dog on grass.") }, { json: completion("A dog.") });
    const kimi = { type: "roboflow_core/kimi_openrouter@v2", model_version: "Kimi K2.5 - OpenRouter", prompt: "What is this?", privacy_level: "zdr", temperature: 0.7, max_tokens: 64 };
    expect((await engine().run(workflow(kimi, "output"), { image, key: KEY })).outputs).toEqual([{ vlm: "A dog on grass." }]);
    await engine().run(workflow({ ...kimi, privacy_level: "allow" }), { image, key: KEY });
    const [zdr, allow] = openrouter.requests;
    expect(zdr!.json).toMatchObject({ model: "moonshotai/kimi-k2.5", max_tokens: 64, temperature: 0.7, provider: { data_collection: "deny", zdr: true } });
    expect(zdr!.json.messages).toHaveLength(1);
    expect(zdr!.json.messages[0].content[0]).toEqual({ type: "text", text: "What is this?" });
    expect(allow!.json.provider).toBeUndefined();
  });

  it("a model_version parameter outside the list is refused before anything is sent", async () => {
    const definition = workflow({ type: "roboflow_core/google_gemma@v2", model_version: "$inputs.model", prompt: "hi" });
    definition.inputs.push({ type: "WorkflowParameter", name: "model" });
    await expect(engine().run(definition, { image, key: KEY, model: "Gemma 9" })).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("model") });
    expect(openrouter.requests).toHaveLength(0);
  });

  it("Roboflow's managed key (the v2 blocks' default) is refused, asking for an OpenRouter key; nothing is sent", async () => {
    const definition = workflow({ type: "roboflow_core/llama_vision@v2", prompt: "hi" });
    delete (definition.steps[0] as Record<string, unknown>)["api_key"];
    await expect(engine().run(definition, { image })).rejects.toMatchObject({ code: "invalid_field", message: expect.stringContaining("pass your own OpenRouter API key") });
    expect(openrouter.requests).toHaveLength(0);
  });

  it("a task's missing field and a fine-tune without its id do not compile", () => {
    expect(() => engine().compile(workflow({ type: "roboflow_core/kimi_openrouter@v1", task_type: "object-detection" }))).toThrow(/classes/);
    expect(() => engine().compile(workflow({ type: "roboflow_core/llama_3_2_vision@v1", task_type: "object-detection", classes: ["a"] }))).toThrow(/task_type/);
    expect(() => engine().compile(workflow({ type: "roboflow_core/qwen_vlm@v1", prompt: "hi", model_version: "Fine-tuned model" }))).toThrow(/fine_tuned_model_id/);
  });

  it("401: provider_auth_failed naming OpenRouter and the status, the key masked in what OpenRouter echoed", async () => {
    openrouter.reply({ status: 401, json: { error: { message: `No auth credentials found for ${KEY}`, code: 401 } } });
    const failure = await failureOf(engine().run(workflow({ type: "roboflow_core/openrouter@v1", model_id: "x/y", prompt: "hi" }), { image, key: KEY }));
    expect(failure).toMatchObject({ code: "provider_auth_failed", message: expect.stringContaining("OpenRouter refused the API key given (401)") });
    expect(JSON.stringify([failure.message, failure.details])).not.toContain(KEY);
    expect(openrouter.requests).toHaveLength(1);
  });

  it("429 with Retry-After and a 502 are retried, then the answer is read; three 429s are provider_rate_limited", async () => {
    openrouter.reply({ status: 429, headers: { "retry-after": "0" }, json: { error: { message: "Rate limit exceeded" } } }, { status: 502, json: { error: { message: "upstream" } } }, { json: completion("ok") });
    const step = { type: "roboflow_core/qwen3_6_openrouter@v1", prompt: "hi" };
    expect((await engine().run(workflow(step, "output"), { image, key: KEY })).outputs).toEqual([{ vlm: "ok" }]);
    expect(openrouter.requests).toHaveLength(3);
    openrouter.requests.length = 0;
    const limited = { status: 429, headers: { "retry-after": "0" }, json: { error: { message: "Rate limit exceeded" } } } as const;
    openrouter.reply(limited, limited, limited);
    await expect(engine().run(workflow(step), { image, key: KEY })).rejects.toMatchObject({ code: "provider_rate_limited", details: { status: 429, retry_after_s: 0 } });
    expect(openrouter.requests).toHaveLength(3);
  });

  it("an answer without content: provider_error saying max_tokens ran out when finish_reason is length", async () => {
    openrouter.reply({ json: completion(null, { reasoning: "thinking..." }) });
    await expect(engine().run(workflow({ type: "roboflow_core/kimi_openrouter@v1", prompt: "hi" }), { image, key: KEY })).rejects.toMatchObject({
      code: "provider_error",
      message: expect.stringContaining("raise max_tokens"),
    });
  });

  it("a cancelled run stops the call it is waiting on", async () => {
    openrouter.reply("hang");
    const controller = new AbortController();
    const run = engine().run(workflow({ type: "roboflow_core/google_gemma@v1", prompt: "hi" }), { image, key: KEY }, { signal: controller.signal });
    while (openrouter.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: expect.stringMatching(/cancel/) });
  });

  it("a run's deadline ends a call that is never answered", async () => {
    openrouter.reply("hang");
    await expect(engine().run(workflow({ type: "roboflow_core/google_gemma@v1", prompt: "hi" }), { image, key: KEY }, { deadlineMs: 300 })).rejects.toMatchObject({
      code: expect.stringMatching(/timeout|deadline/),
    });
    expect(openrouter.requests).toHaveLength(1);
  });

  it("meta_vlm: one user message, image first; reasoning at the chosen effort, dropped once when the model refuses it; thinking returned", async () => {
    openrouter.reply(
      { status: 400, json: { error: { message: "reasoning.effort: Invalid option: expected one of low|high", code: 400 } } },
      { json: completion('[{"label": "dog", "x_min": 100, "y_min": 200, "x_max": 600, "y_max": 900}]', { reasoning: "I see a dog." }) },
    );
    const step = { type: "roboflow_core/meta_vlm@v1", task_type: "object-detection", classes: ["dog"], reasoning_effort: "medium" };
    const { outputs } = await engine().run(workflow(step), { image, key: KEY });
    expect(outputs[0]!["vlm"]).toEqual({ output: '[{"label": "dog", "x_min": 100, "y_min": 200, "x_max": 600, "y_max": 900}]', classes: ["dog"], thinking: "I see a dog." });
    const [first, second] = openrouter.requests;
    expect(first!.json).toMatchObject({ model: "meta/muse-spark-1.2", max_tokens: 2048, reasoning: { effort: "medium" }, provider: { data_collection: "deny" } });
    expect(first!.json.temperature).toBeUndefined();
    expect(first!.json.messages).toHaveLength(1);
    expect(await sentImage(first!)).toMatchObject({ mediaType: "image/jpeg", width: image.width, height: image.height, parts: ["image_url", "text"] });
    expect(first!.json.messages[0].content[1].text).toContain('"x_min": <int>');
    expect(first!.json.messages[0].content[1].text).toContain("dog");
    const { reasoning: _reasoning, ...rest } = first!.json;
    expect(second!.json).toEqual(rest);
  });

  it("a 5xx never drops the reasoning config (only a 4xx refusing it does)", async () => {
    const failing = { status: 503, json: { error: { message: "reasoning unsupported upstream" } } } as const;
    openrouter.reply(failing, failing, failing);
    await expect(engine().run(workflow({ type: "roboflow_core/meta_vlm@v1", prompt: "hi" }), { image, key: KEY })).rejects.toMatchObject({ code: "provider_error", details: { status: 503 } });
    expect(openrouter.requests.map((r) => r.json.reasoning)).toEqual([{ effort: "low" }, { effort: "low" }, { effort: "low" }]);
  });

  it("qwen_vlm: the native backend (Roboflow's default) is model_unavailable and sends nothing; v1 on OpenRouter prompts as the others, thinking empty", async () => {
    await expect(engine().run(workflow({ type: "roboflow_core/qwen_vlm@v1", prompt: "hi" }), { image, key: KEY })).rejects.toMatchObject({
      code: "model_unavailable",
      message: expect.stringContaining('"qwen3_5-2b"'),
    });
    expect(openrouter.requests).toHaveLength(0);
    openrouter.reply({ json: completion("caption", { reasoning: "ignored by v1" }) });
    const { outputs } = await engine().run(workflow({ type: "roboflow_core/qwen_vlm@v1", backend: "openrouter", task_type: "caption" }), { image, key: KEY });
    expect(outputs).toEqual([{ vlm: { output: "caption", classes: null, thinking: "" } }]);
    const [sent] = openrouter.requests;
    expect(sent!.json).toMatchObject({ model: "qwen/qwen3.6-27b", max_tokens: 500, temperature: 0.1 });
    expect(sent!.json.messages[0].role).toBe("system");
  });

  it("qwen_vlm@v2: reasoning off by default, low for a model that cannot turn it off", async () => {
    openrouter.reply({ json: completion("a") }, { json: completion("b") });
    const step = { type: "roboflow_core/qwen_vlm@v2", backend: "openrouter", prompt: "hi" };
    await engine().run(workflow(step), { image, key: KEY });
    await engine().run(workflow({ ...step, openrouter_model_version: "Qwen 3 VL 8B Thinking" }), { image, key: KEY });
    expect(openrouter.requests.map((r) => [r.json.model, r.json.reasoning, r.json.max_tokens])).toEqual([
      ["qwen/qwen3.7-plus", { enabled: false }, 2048],
      ["qwen/qwen3-vl-8b-thinking", { effort: "low" }, 2048],
    ]);
  });

  it("end to end: qwen_vlm@v2 object detection -> vlm_as_detector@v2 (model_type qwen) gives boxes in the photo's pixels", async () => {
    openrouter.reply({ json: completion('```json\n[{"box_2d": [100, 250, 500, 1000], "label": "dog"}]\n```') });
    const definition = {
      version: "1.0",
      inputs: [
        { type: "WorkflowImage", name: "image" },
        { type: "WorkflowParameter", name: "key" },
      ],
      steps: [
        { type: "roboflow_core/qwen_vlm@v2", name: "vlm", images: "$inputs.image", api_key: "$inputs.key", backend: "openrouter", task_type: "object-detection", classes: ["dog", "cat"] },
        { type: "roboflow_core/vlm_as_detector@v2", name: "parser", image: "$inputs.image", vlm_output: "$steps.vlm.output", classes: "$steps.vlm.classes", model_type: "qwen", task_type: "object-detection" },
      ],
      outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.parser.predictions" }],
    };
    const { outputs } = await engine().run(definition, { image, key: KEY });
    const sent = openrouter.requests[0]!;
    expect(await sentImage(sent)).toMatchObject({ parts: ["image_url", "text"] });
    expect(sent.json.messages[0].content[1].text).toContain('"box_2d" is [x_min, y_min, x_max, y_max]');
    const predictions = (outputs[0]!["predictions"] as { predictions: Record<string, unknown>[] }).predictions;
    const { width, height } = image;
    const [x1, y1, x2, y2] = [Math.round((100 * width) / 1000), Math.round((250 * height) / 1000), Math.round((500 * width) / 1000), height];
    expect(predictions).toHaveLength(1);
    expect(predictions[0]).toMatchObject({ class: "dog", class_id: 0, confidence: 1, x: (x1 + x2) / 2, y: (y1 + y2) / 2, width: x2 - x1, height: y2 - y1 });
  });

  it("encodeUnderCap: shrinks the long edge by a tenth at a time until the base64 fits", async () => {
    const full = await encodeUnderCap(image);
    expect([full.width, full.height]).toEqual([image.width, image.height]);
    const cap = Math.floor(full.base64.length / 3);
    const small = await encodeUnderCap(image, cap);
    expect(small.base64.length).toBeLessThanOrEqual(cap);
    const longEdge = Math.max(small.width, small.height);
    expect(longEdge).toBeLessThan(Math.max(image.width, image.height));
    // The long edge is one of the steps max, floor(max * 0.9), floor(that * 0.9), ...
    const steps = [Math.max(image.width, image.height)];
    while (steps.at(-1)! > longEdge) steps.push(Math.floor(steps.at(-1)! * 0.9));
    expect(steps.at(-1)).toBe(longEdge);
    expect(small.mediaType).toBe("image/jpeg");
  });
});
