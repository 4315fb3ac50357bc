/**
 * spacexai@v1 against a local server speaking xAI's Responses API (POST /responses): what cvflow
 * sends (bearer key, model, store false, instructions, input parts and the image's encoding:
 * JPEG detail auto, or for detection PNG detail high before the text; optional fields only when
 * set) and the reading of answers (output_text of message items; failed / incomplete statuses),
 * a refused reasoning config, a key from environment_secrets_store, and detection end to end
 * through vlm_as_detector@v2 (model_type spacexai).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import sharp from "sharp";
import { parseUrlAllowList, type WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { createWorkflowEngine } from "../src/runtime.js";
import { photo } from "./image-fixtures.js";
import { scriptedProvider, type ScriptedProvider } from "./scripted-provider.js";

const KEY = "xai-test-key-0123456789abcdef";
const PHOTO = "dog.jpg";

let xai: ScriptedProvider;
let image: WorkflowImage;
beforeAll(async () => {
  xai = await scriptedProvider();
});
afterAll(() => xai.close());
beforeEach(() => {
  xai.requests.length = 0;
});

const engine = () => createWorkflowEngine({ egress: { urlPolicy: { allowList: parseUrlAllowList("127.0.0.1") }, endpoints: { xai: xai.url } } });

function workflow(step: Record<string, unknown>) {
  return {
    version: "1.0",
    inputs: [
      { type: "WorkflowImage", name: "image" },
      { type: "WorkflowParameter", name: "key" },
    ],
    steps: [{ type: "roboflow_core/spacexai@v1", name: "grok", images: "$inputs.image", api_key: "$inputs.key", ...step }],
    outputs: [{ type: "JsonField", name: "grok", selector: "$steps.grok.*" }],
  };
}

/** A Responses API answer as xAI returns it: a reasoning item, then the message. */
function response(text: string, status = "completed", extra: Record<string, unknown> = {}) {
  return {
    id: "resp_0123",
    object: "response",
    created_at: 1733390000,
    model: "grok-4.6",
    status,
    output: [
      { type: "reasoning", id: "rs_1", summary: [] },
      { type: "message", id: "msg_1", role: "assistant", status: "completed", content: [{ type: "output_text", text, annotations: [] }] },
    ],
    usage: { input_tokens: 900, output_tokens: 20, total_tokens: 920 },
    ...extra,
  };
}

async function imageOf(url: string): Promise<{ mediaType: string; width: number; height: number }> {
  const [, mediaType, base64] = /^data:([^;]+);base64,(.+)$/.exec(url)!;
  const meta = await sharp(Buffer.from(base64!, "base64")).metadata();
  return { mediaType: mediaType!, width: meta.width!, height: meta.height! };
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

describe.skipIf(missing("spacexai", { photos: [PHOTO] }))("spacexai@v1 (xAI Responses API)", () => {
  beforeAll(async () => {
    image = await photo(PHOTO);
  });

  it("classification: instructions, text then a JPEG (detail auto) of the photo's size, store false, no optional field unset", async () => {
    xai.reply({ json: response('{"class_name": "dog", "confidence": 0.93}') });
    const { outputs } = await engine().run(workflow({ task_type: "classification", classes: ["dog", "cat"] }), { image, key: KEY });
    expect(outputs).toEqual([{ grok: { output: '{"class_name": "dog", "confidence": 0.93}', classes: ["dog", "cat"] } }]);
    const [sent] = xai.requests;
    expect(sent!.path).toBe("/responses");
    expect(sent!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(Object.keys(sent!.json).sort()).toEqual(["input", "instructions", "model", "store"]);
    expect(sent!.json.model).toBe("grok-4.6");
    expect(sent!.json.store).toBe(false);
    expect(sent!.json.instructions).toContain("single-label image classifier");
    const [part1, part2] = sent!.json.input[0].content;
    expect(sent!.json.input[0].role).toBe("user");
    expect(part1).toEqual({ type: "input_text", text: "Classes to choose from: dog, cat" });
    expect(part2.type).toBe("input_image");
    expect(part2.detail).toBe("auto");
    expect(await imageOf(part2.image_url)).toEqual({ mediaType: "image/jpeg", width: image.width, height: image.height });
  });

  it("the optional fields when set: max_output_tokens, temperature, reasoning; the model asked", async () => {
    xai.reply({ json: response("A dog.") });
    await engine().run(workflow({ prompt: "What is it?", model_version: "grok-4.5", max_tokens: 300, temperature: 0.2, reasoning_effort: "high" }), { image, key: KEY });
    expect(xai.requests[0]!.json).toMatchObject({ model: "grok-4.5", max_output_tokens: 300, temperature: 0.2, reasoning: { effort: "high" }, store: false });
    expect(xai.requests[0]!.json.instructions).toBeUndefined();
  });

  it("object detection end to end: a PNG with detail high before the percent-box prompt; vlm_as_detector@v2 gives the boxes in pixels", async () => {
    xai.reply({ json: response('[{"label": "dog", "box_2d": [10, 20, 60.5, 100]}]') });
    const definition = workflow({ task_type: "object-detection", classes: ["dog"] });
    definition.steps.push({
      type: "roboflow_core/vlm_as_detector@v2",
      name: "parser",
      image: "$inputs.image",
      vlm_output: "$steps.grok.output",
      classes: "$steps.grok.classes",
      model_type: "spacexai",
      task_type: "object-detection",
    } as never);
    definition.outputs = [{ type: "JsonField", name: "predictions", selector: "$steps.parser.predictions" }];
    const { outputs } = await engine().run(definition, { image, key: KEY });
    const [sent] = xai.requests;
    const [first, second] = sent!.json.input[0].content;
    expect(first.type).toBe("input_image");
    expect(first.detail).toBe("high");
    expect(await imageOf(first.image_url)).toEqual({ mediaType: "image/png", width: image.width, height: image.height });
    expect(second.type).toBe("input_text");
    expect(second.text).toContain("in percent of the image's width (x) and height (y)");
    expect(sent!.json.instructions).toBeUndefined();
    const predictions = (outputs[0]!["predictions"] as { predictions: Record<string, unknown>[] }).predictions;
    const { width, height } = image;
    const [x1, y1, x2, y2] = [Math.round(0.1 * width), Math.round(0.2 * height), Math.round(0.605 * width), height];
    expect(predictions).toHaveLength(1);
    expect(predictions[0]).toMatchObject({ class: "dog", class_id: 0, confidence: 1, width: x2 - x1, height: y2 - y1, x: (x1 + x2) / 2, y: (y1 + y2) / 2 });
  });

  it("a model refusing the reasoning config is asked once more without it", async () => {
    xai.reply({ status: 400, json: { code: "Client specified an invalid argument", error: "Model grok-4.5 does not support parameter reasoning.effort" } }, { json: response("ok") });
    const { outputs } = await engine().run(workflow({ prompt: "hi", model_version: "grok-4.5", reasoning_effort: "low" }), { image, key: KEY });
    expect(outputs[0]!["grok"]).toMatchObject({ output: "ok" });
    expect(xai.requests.map((r) => r.json.reasoning)).toEqual([{ effort: "low" }, undefined]);
  });

  it("answers that did not complete: failed, incomplete at max_tokens, no text", async () => {
    xai.reply(
      { json: { ...response(""), status: "failed", error: { code: "server_error", message: "The model crashed" }, output: [] } },
      { json: { ...response("partial"), status: "incomplete", incomplete_details: { reason: "max_output_tokens" } } },
      { json: response("") },
    );
    const run = () => engine().run(workflow({ prompt: "hi" }), { image, key: KEY });
    await expect(run()).rejects.toMatchObject({ code: "provider_error", message: expect.stringContaining("server_error: The model crashed") });
    await expect(run()).rejects.toMatchObject({ code: "provider_error", message: expect.stringContaining("raise max_tokens") });
    await expect(run()).rejects.toMatchObject({ code: "provider_error", message: expect.stringContaining("xAI's response holds no text") });
  });

  it("a key from environment_secrets_store reaches the header and nothing else; a 403 echoing it is masked", async () => {
    process.env["WORKFLOW_SECRET_XAI_TEST"] = KEY;
    try {
      xai.reply({ status: 403, json: { code: "forbidden", error: `Incorrect API key provided: ${KEY}` } });
      const definition = {
        version: "1.0",
        inputs: [{ type: "WorkflowImage", name: "image" }],
        steps: [
          { type: "roboflow_core/environment_secrets_store@v1", name: "vault", variables_storing_secrets: ["WORKFLOW_SECRET_XAI_TEST"] },
          { type: "roboflow_core/spacexai@v1", name: "grok", images: "$inputs.image", api_key: "$steps.vault.workflow_secret_xai_test", prompt: "hi" },
        ],
        outputs: [{ type: "JsonField", name: "grok", selector: "$steps.grok.output" }],
      };
      const failure = await failureOf(engine().run(definition, { image }));
      expect(failure.code).toBe("provider_auth_failed");
      expect(failure.message).toContain("xAI refused the API key given (403)");
      expect(JSON.stringify([failure.message, failure.details])).not.toContain(KEY);
      expect(xai.requests[0]!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    } finally {
      delete process.env["WORKFLOW_SECRET_XAI_TEST"];
    }
  });

  it("the key is required (Roboflow's managed key is off there too) and a managed key is refused", async () => {
    const definition = workflow({ prompt: "hi" });
    delete (definition.steps[0] as Record<string, unknown>)["api_key"];
    expect(() => engine().compile(definition)).toThrow(/api_key/);
    await expect(engine().run(workflow({ prompt: "hi" }), { image, key: "rf_key:account" })).rejects.toMatchObject({ code: "invalid_field", message: expect.stringContaining("xAI API key") });
    expect(xai.requests).toHaveLength(0);
  });
});
