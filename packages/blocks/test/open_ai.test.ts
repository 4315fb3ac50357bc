/**
 * open_ai@v1-v5, lmm, lmm_for_classification and openai_compatible against a local server speaking
 * OpenAI's wire formats (Chat Completions and Responses, shapes from OpenAI's API reference): what
 * cvflow sends (path, key, model, messages or input, the image's codec and size, token caps,
 * reasoning, structured-output schema) and how real-shaped answers become outputs; errors (a
 * refused key, 429 after retries, an incomplete response, Roboflow's managed key); and end to end:
 * open_ai@v5 object detection -> vlm_as_detector@v2 -> bounding_box_visualization on a photo.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { parseUrlAllowList } from "@cvflow/vision";
import { missing, sharedPhoto } from "@cvflow/vision/test-assets";
import { createWorkflowEngine } from "../src/runtime.js";
import { detectionFormatFor } from "../src/models/foundation/open_ai.js";
import { scriptedProvider, type Recorded, type ScriptedProvider } from "./scripted-provider.js";

const KEY = "sk-proj-test-0123456789abcdef";

let openai: ScriptedProvider;
beforeAll(async () => {
  openai = await scriptedProvider();
});
afterAll(() => openai.close());
beforeEach(() => {
  openai.requests.length = 0;
});

const engine = () => createWorkflowEngine({ egress: { urlPolicy: { allowList: parseUrlAllowList("127.0.0.1") }, endpoints: { openai: `${openai.url}/v1` } } });

function workflow(step: Record<string, unknown>, outputs = [{ type: "JsonField", name: "out", selector: "$steps.llm.*" }]) {
  return {
    version: "1.0",
    inputs: [
      { type: "WorkflowImage", name: "image" },
      { type: "WorkflowParameter", name: "key" },
    ],
    steps: [{ name: "llm", images: "$inputs.image", ...step }],
    outputs,
  };
}

/** A Responses API answer holding `text`, as OpenAI returns it. */
function response(text: string, status = "completed") {
  return {
    id: "resp_1",
    object: "response",
    status,
    model: "gpt-5.1",
    output: [
      { type: "reasoning", id: "rs_1", summary: [] },
      { type: "message", id: "msg_1", role: "assistant", status: "completed", content: [{ type: "output_text", text, annotations: [] }] },
    ],
    usage: { input_tokens: 812, output_tokens: 21, total_tokens: 833 },
  };
}

/** A Chat Completions answer holding `text`. */
function completion(text: string) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    model: "gpt-4o-2024-08-06",
    choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, finish_reason: "stop" }],
    usage: { prompt_tokens: 800, completion_tokens: 12, total_tokens: 812 },
  };
}

/** The image a data: URL carries: its media type and what sharp reads of it. */
async function dataUrlImage(url: string) {
  const match = /^data:(image\/\w+);base64,(.+)$/.exec(url);
  expect(match).not.toBeNull();
  const meta = await sharp(Buffer.from(match![2]!, "base64")).metadata();
  return { mediaType: match![1], format: meta.format, width: meta.width, height: meta.height };
}

const runError = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as { code: string; status: number; message: string; details: Record<string, unknown> },
  );

describe.skipIf(missing("OpenAI blocks on a photo", { photos: ["dog.jpg", "bus.jpg"] }))("OpenAI blocks on a photo", () => {
  // Read when the tests run: a clone without ../shared collects this block (and skips it) without the photos.
  let dog: { type: string; value: string };
  let busBytes: Buffer;
  let bus: { type: string; value: string };
  beforeAll(() => {
    dog = { type: "base64", value: readFileSync(sharedPhoto("dog.jpg")).toString("base64") };
    busBytes = readFileSync(sharedPhoto("bus.jpg"));
    bus = { type: "base64", value: busBytes.toString("base64") };
  });

  it("v5 classification: POST /v1/responses with the key, model, instructions, the text then the JPEG (detail auto); output and classes", async () => {
    openai.reply({ json: response('```json\n{"class_name": "dog", "confidence": 0.93}\n```') });
    const { outputs } = await engine().run(
      workflow({ type: "roboflow_core/open_ai@v5", task_type: "classification", classes: ["dog", "cat"], api_key: "$inputs.key", model_version: "gpt-5.1", max_tokens: 300, temperature: 0.2 }),
      { image: dog, key: KEY },
    );
    expect(outputs[0]!["out"]).toEqual({ output: '```json\n{"class_name": "dog", "confidence": 0.93}\n```', classes: ["dog", "cat"] });
    expect(openai.requests).toHaveLength(1);
    const sent = openai.requests[0]!;
    expect([sent.method, sent.path, sent.headers["authorization"]]).toEqual(["POST", "/v1/responses", `Bearer ${KEY}`]);
    expect(sent.json.model).toBe("gpt-5.1");
    expect(sent.json.max_output_tokens).toBe(300);
    expect(sent.json.temperature).toBe(0.2);
    expect(sent.json.reasoning).toBeUndefined();
    expect(sent.json.instructions).toContain('{"class_name": "a-class", "confidence": 0.8}');
    const [text, image] = sent.json.input[0].content;
    expect(sent.json.input[0].role).toBe("user");
    expect(text).toEqual({ type: "input_text", text: "Classes to choose from: dog, cat" });
    expect(image.type).toBe("input_image");
    expect(image.detail).toBe("auto");
    expect(await dataUrlImage(image.image_url)).toEqual({ mediaType: "image/jpeg", format: "jpeg", width: 768, height: 576 });
  });

  it("v4 reasoning_effort: sent as reasoning.effort when the model takes it, refused when it does not, dropped for a model that does not reason", async () => {
    openai.reply({ json: response("a dog") }, { json: response("a dog") });
    const step = { type: "roboflow_core/open_ai@v4", task_type: "caption", api_key: "$inputs.key" };
    await engine().run(workflow({ ...step, model_version: "gpt-5", reasoning_effort: "minimal" }), { image: dog, key: KEY });
    await engine().run(workflow({ ...step, model_version: "gpt-4o", reasoning_effort: "high" }), { image: dog, key: KEY });
    expect(openai.requests.map((r) => r.json.reasoning)).toEqual([{ effort: "minimal" }, undefined]);
    const refused = await runError(engine().run(workflow({ ...step, model_version: "gpt-5.1", reasoning_effort: "minimal" }), { image: dog, key: KEY }));
    expect(refused?.code).toBe("invalid_field");
    expect(refused?.message).toContain('gpt-5.1 does not take "minimal"');
    expect(openai.requests).toHaveLength(2);
  });

  it("v4 object-detection asks every model for normalized boxes with the JPEG; v5 asks gpt-4o for a pixel list, image first, PNG, no detail", async () => {
    openai.reply({ json: response('{"detections": []}') }, { json: response("[]") });
    const step = { task_type: "object-detection", classes: ["bus", "person"], api_key: "$inputs.key", model_version: "gpt-4o" };
    await engine().run(workflow({ ...step, type: "roboflow_core/open_ai@v4" }), { image: bus, key: KEY });
    await engine().run(workflow({ ...step, type: "roboflow_core/open_ai@v5" }), { image: bus, key: KEY });
    const [v4, v5] = openai.requests as [Recorded, Recorded];
    expect(v4.json.instructions).toContain('"x_min": 0.1');
    expect(v4.json.input[0].content[0]).toEqual({ type: "input_text", text: "Classes to detect: bus, person" });
    expect(await dataUrlImage(v4.json.input[0].content[1].image_url)).toMatchObject({ mediaType: "image/jpeg", width: 810, height: 1080 });
    expect(v5.json.instructions).toBeUndefined();
    expect(v5.json.text).toBeUndefined();
    const [image, text] = v5.json.input[0].content;
    expect(image.detail).toBeUndefined();
    expect(await dataUrlImage(image.image_url)).toEqual({ mediaType: "image/png", format: "png", width: 810, height: 1080 });
    expect(text.text).toContain("in pixels of this 810x1080 image");
    expect(text.text).toContain("Use only these labels: bus, person");
  });

  it("v5 object-detection on gpt-5.2: wrapped boxes enforced by a strict JSON schema; a model Roboflow does not list gets the same", async () => {
    openai.reply({ json: response('{"detections": []}') });
    await engine().run(workflow({ type: "roboflow_core/open_ai@v5", task_type: "object-detection", classes: ["bus"], api_key: "$inputs.key", model_version: "gpt-5.2" }), { image: bus, key: KEY });
    const sent = openai.requests[0]!;
    expect(sent.json.model).toBe("gpt-5.2");
    expect(sent.json.text.format).toMatchObject({ type: "json_schema", name: "detections", strict: true, schema: { type: "object", required: ["detections"] } });
    expect(sent.json.input[0].content[1].text).toContain('a JSON object whose "detections" key holds a list');
    expect([detectionFormatFor("gpt-5.1"), detectionFormatFor("gpt-4o"), detectionFormatFor("gpt-7")]).toEqual(["normalized", "pixels", "pixels-wrapped"]);
  });

  it("v5 object-detection shrinks a large photo to 2048 px (PNG), and vlm_as_detector@v2 maps the pixel boxes back to the photo", async () => {
    const large = await sharp(busBytes).resize(2160, 2880).jpeg({ quality: 92 }).toBuffer();
    // A box in the 1536x2048 upload: (300, 400)-(900, 1600).
    openai.reply({ json: response('[{"box_2d": [300, 400, 900, 1600], "label": "bus"}]') });
    const { outputs } = await engine().run(
      {
        ...workflow({ type: "roboflow_core/open_ai@v5", task_type: "object-detection", classes: ["bus"], api_key: "$inputs.key", model_version: "gpt-4.1" }),
        steps: [
          { type: "roboflow_core/open_ai@v5", name: "llm", images: "$inputs.image", task_type: "object-detection", classes: ["bus"], api_key: "$inputs.key", model_version: "gpt-4.1" },
          { type: "roboflow_core/vlm_as_detector@v2", name: "parser", image: "$inputs.image", vlm_output: "$steps.llm.output", classes: "$steps.llm.classes", model_type: "openai", task_type: "object-detection" },
        ],
        outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.parser.predictions" }],
      },
      { image: { type: "base64", value: large.toString("base64") }, key: KEY },
    );
    const [image, text] = openai.requests[0]!.json.input[0].content;
    expect(await dataUrlImage(image.image_url)).toEqual({ mediaType: "image/png", format: "png", width: 1536, height: 2048 });
    expect(text.text).toContain("1536x2048");
    // Scaled by 2160 / 1536 = 1.40625 and rounded (half to even): corners (422, 562)-(1266, 2250).
    const [prediction] = (outputs[0]!["predictions"] as { predictions: Record<string, number>[] }).predictions;
    expect(prediction).toMatchObject({ class: "bus", x: 844, y: 1406, width: 844, height: 1688 });
  });

  it("v2 and v3 call Chat Completions: system + user messages, image_url with detail, max_tokens (v2) or max_completion_tokens (v3)", async () => {
    openai.reply({ json: completion("A brown dog.") }, { json: completion("Text") });
    const v2 = await engine().run(workflow({ type: "roboflow_core/open_ai@v2", task_type: "caption", api_key: "$inputs.key", image_detail: "low" }), { image: dog, key: KEY });
    await engine().run(workflow({ type: "roboflow_core/open_ai@v3", task_type: "ocr", api_key: "$inputs.key", max_tokens: 99 }), { image: dog, key: KEY });
    expect(v2.outputs[0]!["out"]).toEqual({ output: "A brown dog.", classes: null });
    const [two, three] = openai.requests as [Recorded, Recorded];
    expect(two.path).toBe("/v1/chat/completions");
    expect(two.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect([two.json.model, two.json.max_tokens, two.json.max_completion_tokens]).toEqual(["gpt-4o", 450, undefined]);
    expect(two.json.messages[0]).toEqual({ role: "system", content: expect.stringContaining("Keep the caption short.") });
    expect(two.json.messages[1].content[1].image_url.detail).toBe("low");
    expect(await dataUrlImage(two.json.messages[1].content[1].image_url.url)).toMatchObject({ mediaType: "image/jpeg", width: 768, height: 576 });
    expect([three.json.model, three.json.max_tokens, three.json.max_completion_tokens]).toEqual(["gpt-5", undefined, 99]);
  });

  it("v1: the prompt with the JSON fields asked for; each field an output, not_detected when the answer lacks it", async () => {
    openai.reply({ json: completion('Here:\n```json\n{"count": 1}\n```') });
    const { outputs } = await engine().run(
      workflow({ type: "OpenAI", prompt: "Count dogs", openai_api_key: "$inputs.key", json_output_format: { count: "number of dogs", colour: "fur colour" } }),
      { image: dog, key: KEY },
    );
    expect(outputs[0]!["out"]).toMatchObject({
      raw_output: 'Here:\n```json\n{"count": 1}\n```',
      structured_output: { count: 1, colour: "not_detected" },
      count: 1,
      colour: "not_detected",
      image: { width: 768, height: 576 },
    });
    const sent = openai.requests[0]!;
    expect(sent.json.messages[0].content[0].text).toMatch(/^Count dogs\n\n.*\n\{\n {4}"count": "number of dogs",/);
    expect(sent.json.max_tokens).toBe(450);
  });

  it("a key from environment_secrets_store: sent as the bearer token, never in the outputs, masked in a provider's echo of it", async () => {
    const secret = "sk-from-environment-9876543210";
    process.env["WORKFLOW_SECRET_OPENAI_KEY"] = secret;
    try {
      const definition = {
        version: "1.0",
        inputs: [{ type: "WorkflowImage", name: "image" }],
        steps: [
          { type: "roboflow_core/environment_secrets_store@v1", name: "secrets", variables_storing_secrets: ["WORKFLOW_SECRET_OPENAI_KEY"] },
          { type: "roboflow_core/open_ai@v5", name: "llm", images: "$inputs.image", prompt: "What is it?", api_key: "$steps.secrets.workflow_secret_openai_key" },
        ],
        outputs: [
          { type: "JsonField", name: "out", selector: "$steps.llm.*" },
          { type: "JsonField", name: "key", selector: "$steps.secrets.workflow_secret_openai_key" },
        ],
      };
      openai.reply({ json: response("A dog.") }, { status: 403, json: { error: { message: `Key ${secret} lacks access` } } });
      const { outputs } = await engine().run(definition, { image: dog });
      expect(openai.requests[0]!.headers["authorization"]).toBe(`Bearer ${secret}`);
      expect(outputs[0]!["out"]).toEqual({ output: "A dog.", classes: null });
      expect(JSON.stringify(outputs)).not.toContain(secret);
      const refused = await runError(engine().run(definition, { image: dog }));
      expect(refused).toMatchObject({ code: "provider_auth_failed", message: expect.stringContaining("Key *** lacks access") });
      expect(JSON.stringify([refused?.message, refused?.details])).not.toContain(secret);
    } finally {
      delete process.env["WORKFLOW_SECRET_OPENAI_KEY"];
    }
  });

  it("Roboflow's default managed key (v3-v5) is refused before anything is sent", async () => {
    const failure = await runError(engine().run(workflow({ type: "roboflow_core/open_ai@v5", prompt: "hi" }), { image: dog, key: KEY }));
    expect(failure).toMatchObject({ code: "invalid_field", message: expect.stringContaining("pass your own OpenAI API key") });
    expect(openai.requests).toHaveLength(0);
  });

  it("a task's needed field is checked at compile time", async () => {
    const failure = await runError(engine().run(workflow({ type: "roboflow_core/open_ai@v5", task_type: "object-detection", api_key: "$inputs.key" }), { image: dog, key: KEY }));
    expect(failure?.message).toContain('`classes` is required for task_type "object-detection"');
  });

  it("a refused key fails the step with provider_auth_failed; 429s after two retries with provider_rate_limited (429); an incomplete response says to raise max_tokens", async () => {
    openai.reply({ status: 401, json: { error: { message: `Incorrect API key provided: ${KEY}`, type: "invalid_request_error", code: "invalid_api_key" } } });
    const auth = await runError(engine().run(workflow({ type: "roboflow_core/open_ai@v5", prompt: "hi", api_key: "$inputs.key" }), { image: dog, key: KEY }));
    expect(auth).toMatchObject({ code: "provider_auth_failed" });
    expect(JSON.stringify([auth?.message, auth?.details])).not.toContain(KEY);

    const limited = { status: 429, headers: { "retry-after": "0" }, json: { error: { message: "Rate limit reached for gpt-5.1" } } } as const;
    openai.reply(limited, limited, limited);
    const rate = await runError(engine().run(workflow({ type: "roboflow_core/open_ai@v5", prompt: "hi", api_key: "$inputs.key" }), { image: dog, key: KEY }));
    expect(rate).toMatchObject({ code: "provider_rate_limited", status: 429 });

    openai.reply({ json: { ...response(""), status: "incomplete", incomplete_details: { reason: "max_output_tokens" } } });
    const incomplete = await runError(engine().run(workflow({ type: "roboflow_core/open_ai@v5", prompt: "hi", api_key: "$inputs.key" }), { image: dog, key: KEY }));
    expect(incomplete).toMatchObject({ code: "provider_error", message: expect.stringContaining("raise max_tokens") });
    expect(openai.requests).toHaveLength(5);
  });

  it("lmm@v1 (gpt_4v) with lmm_config; lmm_for_classification's top; cog_vlm compiles and is model_unavailable", async () => {
    openai.reply({ json: completion('{"count": 2}') }, { json: completion('```json\n{"top": "dog"}\n```') });
    const lmm = await engine().run(
      workflow({ type: "LMM", prompt: "Count", lmm_type: "gpt_4v", lmm_config: { gpt_model_version: "gpt-4.1", max_tokens: 50, gpt_image_detail: "high" }, remote_api_key: "$inputs.key", json_output: { count: "how many" } }),
      { image: dog, key: KEY },
    );
    expect(lmm.outputs[0]!["out"]).toMatchObject({ count: 2, structured_output: { count: 2 } });
    const classified = await engine().run(workflow({ type: "LMMForClassification", lmm_type: "gpt_4v", classes: ["dog", "cat"], remote_api_key: "$inputs.key" }), { image: dog, key: KEY });
    expect(classified.outputs[0]!["out"]).toMatchObject({ top: "dog", prediction_type: "classification", raw_output: '```json\n{"top": "dog"}\n```' });
    const [first, second] = openai.requests as [Recorded, Recorded];
    expect([first.json.model, first.json.max_tokens, first.json.messages[0].content[1].image_url.detail]).toEqual(["gpt-4.1", 50, "high"]);
    expect([second.json.model, second.json.max_tokens]).toEqual(["gpt-4o", 450]);
    expect(second.json.messages[0].content[0].text).toContain("dog, cat");

    const cog = await runError(engine().run(workflow({ type: "LMM", prompt: "Count", lmm_type: "cog_vlm" }), { image: dog, key: KEY }));
    expect(cog).toMatchObject({ code: "model_unavailable", message: expect.stringContaining("CogVLM") });
    expect(openai.requests).toHaveLength(2);
  });

  it("openai_compatible: {{ $parameters }} filled (after operations), images as parts, extra_body merged, no key sent when none; a failed call is error_status", async () => {
    const down = { status: 500, headers: { "retry-after": "0" }, json: { error: { message: "model not loaded" } } } as const;
    openai.reply({ json: completion("2 dogs") }, down, down, down);
    const definition = {
      version: "1.0",
      inputs: [
        { type: "WorkflowImage", name: "image" },
        { type: "WorkflowParameter", name: "base" },
      ],
      steps: [
        {
          type: "roboflow_core/openai_compatible@v1",
          name: "llm",
          base_url: "$inputs.base",
          model_name: "Qwen/Qwen2.5-VL-7B-Instruct",
          system_prompt: "Be brief.",
          prompt: "Look at {{ $parameters.photo }} and count {{$parameters.what}}.",
          prompt_parameters: { photo: "$inputs.image", what: "dogs" },
          prompt_parameters_operations: { what: [{ type: "StringToUpperCase" }] },
          max_tokens: 64,
          extra_body: { guided_choice: ["1 dog", "2 dogs"] },
        },
      ],
      outputs: [{ type: "JsonField", name: "out", selector: "$steps.llm.*" }],
    };
    const ok = await engine().run(definition, { image: dog, base: `${openai.url}/v1/` });
    expect(ok.outputs[0]!["out"]).toEqual({ output: "2 dogs", error_status: "" });
    const sent = openai.requests[0]!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.headers["authorization"]).toBeUndefined();
    expect(sent.json).toMatchObject({ model: "Qwen/Qwen2.5-VL-7B-Instruct", max_tokens: 64, guided_choice: ["1 dog", "2 dogs"] });
    expect(sent.json.messages[0]).toEqual({ role: "system", content: "Be brief." });
    expect(sent.json.messages[1].content[0]).toEqual({ type: "text", text: "Look at  and count DOGS." });
    expect(await dataUrlImage(sent.json.messages[1].content[1].image_url.url)).toMatchObject({ mediaType: "image/jpeg", width: 768, height: 576 });

    const failed = await engine().run(definition, { image: dog, base: `${openai.url}/v1` });
    expect(failed.outputs[0]!["out"]).toMatchObject({ output: "", error_status: expect.stringContaining("model not loaded") });
    expect(openai.requests).toHaveLength(4);
  });

  it("end to end: open_ai@v5 object detection -> vlm_as_detector@v2 -> bounding_box_visualization draws the box on the photo", async () => {
    // A box in the 810x1080 photo's own pixels (no shrink under 2048).
    const [x1, y1, x2, y2] = [100, 300, 700, 900];
    openai.reply({ json: response(`[{"box_2d": [${x1}, ${y1}, ${x2}, ${y2}], "label": "bus"}]`) });
    const { outputs } = await engine().run(
      {
        version: "1.0",
        inputs: [
          { type: "WorkflowImage", name: "image" },
          { type: "WorkflowParameter", name: "key" },
        ],
        steps: [
          { type: "roboflow_core/open_ai@v5", name: "llm", images: "$inputs.image", task_type: "object-detection", classes: ["bus", "person"], api_key: "$inputs.key", model_version: "gpt-4o" },
          { type: "roboflow_core/vlm_as_detector@v2", name: "parser", image: "$inputs.image", vlm_output: "$steps.llm.output", classes: "$steps.llm.classes", model_type: "openai", task_type: "object-detection" },
          { type: "roboflow_core/bounding_box_visualization@v1", name: "boxes", image: "$inputs.image", predictions: "$steps.parser.predictions", thickness: 4 },
        ],
        outputs: [
          { type: "JsonField", name: "predictions", selector: "$steps.parser.predictions" },
          { type: "JsonField", name: "drawn", selector: "$steps.boxes.image" },
        ],
      },
      { image: bus, key: KEY },
    );
    const predictions = (outputs[0]!["predictions"] as { predictions: Record<string, unknown>[] }).predictions;
    expect(predictions).toHaveLength(1);
    expect(predictions[0]).toMatchObject({ class: "bus", class_id: 0, confidence: 1, x: 400, y: 600, width: 600, height: 600 });

    const drawn = outputs[0]!["drawn"] as { type: string; value: string };
    const after = await sharp(Buffer.from(drawn.value, "base64")).raw().toBuffer({ resolveWithObject: true });
    const before = await sharp(busBytes).raw().toBuffer({ resolveWithObject: true });
    expect([after.info.width, after.info.height]).toEqual([810, 1080]);
    const pixel = (image: typeof after, x: number, y: number) => [...image.data.subarray((y * image.info.width + x) * 3, (y * image.info.width + x) * 3 + 3)];
    const distance = (x: number, y: number) => pixel(after, x, y).reduce((sum, v, c) => sum + Math.abs(v - pixel(before, x, y)[c]!), 0);
    // On the box's edges the colour is the box's (far from the photo's); far from them the photo is only re-encoded.
    const onEdges = [[x1, 600], [x2 - 1, 600], [400, y1], [400, y2 - 1]].map(([x, y]) => distance(x!, y!));
    const offEdges = [[50, 50], [400, 600], [760, 1000], [400, 1000]].map(([x, y]) => distance(x!, y!));
    for (const d of onEdges) expect(d).toBeGreaterThan(Math.max(...offEdges));
  });
});
