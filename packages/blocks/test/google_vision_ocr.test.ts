/**
 * google_vision_ocr@v1 against a local server speaking Cloud Vision's images:annotate (JSON in,
 * AnnotateImageResponse out): what cvflow sends (path, key header, the image's bytes, the feature,
 * language hints) and Roboflow's reading of the answer (text, locale, one detection per text
 * block), plus an error inside a 200, a refused key and a Roboflow-managed key.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { parseUrlAllowList } from "@cvflow/vision";
import { missing, sharedPhoto } from "@cvflow/vision/test-assets";
import { createWorkflowEngine } from "../src/runtime.js";
import { scriptedProvider, type ScriptedProvider } from "./scripted-provider.js";
import { synthetic } from "./image-fixtures.js";

const KEY = "AIzaSy-test-key-0123456789";

let google: ScriptedProvider;
beforeAll(async () => {
  google = await scriptedProvider();
});
afterAll(() => google.close());
beforeEach(() => {
  google.requests.length = 0;
});

const engine = () => createWorkflowEngine({ egress: { urlPolicy: { allowList: parseUrlAllowList("127.0.0.1") }, endpoints: { google_vision: google.url } } });

const OCR = (step: Record<string, unknown> = {}) => ({
  version: "1.0",
  inputs: [
    { type: "WorkflowImage", name: "image" },
    { type: "WorkflowParameter", name: "key" },
  ],
  steps: [{ type: "roboflow_core/google_vision_ocr@v1", name: "ocr", image: "$inputs.image", ocr_type: "text_detection", api_key: "$inputs.key", ...step }],
  outputs: [{ type: "JsonField", name: "ocr", selector: "$steps.ocr.*" }],
});

const word = (text: string) => ({ symbols: [...text].map((c) => ({ text: c })) });
const box = (x1: number, y1: number, x2: number, y2: number) => ({ vertices: [{ x: x1, y: y1 }, { x: x2, y: y1 }, { x: x2, y: y2 }, { x: x1, y: y2 }] });

/** An AnnotateImageResponse as TEXT_DETECTION gives it: two blocks, the second touching the left edge (its x of 0 left out, as the API does). */
const TEXT_ANSWER = {
  responses: [
    {
      textAnnotations: [
        { locale: "en", description: "MACHINE WASH\nCOLD\n", boundingPoly: box(0, 80, 610, 260) },
        { description: "MACHINE", boundingPoly: box(120, 80, 400, 150) },
      ],
      fullTextAnnotation: {
        pages: [
          {
            property: { detectedLanguages: [{ languageCode: "en", confidence: 0.98 }] },
            width: 1000,
            height: 667,
            blocks: [
              { boundingBox: box(120, 80, 610, 150), paragraphs: [{ words: [word("MACHINE"), word("WASH")] }], blockType: "TEXT" },
              { boundingBox: { vertices: [{ y: 200 }, { x: 300, y: 200 }, { x: 300, y: 260 }, { y: 260 }] }, paragraphs: [{ words: [word("COLD")] }], blockType: "TEXT" },
            ],
          },
        ],
        text: "MACHINE WASH\nCOLD\n",
      },
    },
  ],
};

describe.skipIf(missing("Google Vision OCR on a photo", { photos: ["ocr_care_label_en.jpg"] }))("google_vision_ocr@v1 on a photo", () => {
  // Read when the tests run: a clone without ../shared collects this block (and skips it) without the photo.
  let bytes: Buffer;
  let image: { type: string; value: string };
  beforeAll(() => {
    bytes = readFileSync(sharedPhoto("ocr_care_label_en.jpg"));
    image = { type: "base64", value: bytes.toString("base64") };
  });

  it("text_detection: sends the JPEG as it came with TEXT_DETECTION; outputs text, locale and the blocks as detections", async () => {
    google.reply({ json: TEXT_ANSWER });
    const { outputs } = await engine().run(OCR(), { image, key: KEY });
    expect(google.requests).toHaveLength(1);
    const [sent] = google.requests;
    expect(sent!.method).toBe("POST");
    expect(sent!.path).toBe("/v1/images:annotate");
    expect(sent!.headers["x-goog-api-key"]).toBe(KEY);
    expect(sent!.headers["content-type"]).toBe("application/json");
    expect(sent!.json).toEqual({ requests: [{ image: { content: bytes.toString("base64") }, features: [{ type: "TEXT_DETECTION" }] }] });
    const ocr = outputs[0]!["ocr"] as { text: string; language: string; predictions: { image: unknown; predictions: Record<string, unknown>[] } };
    expect(ocr.text).toBe("MACHINE WASH\nCOLD\n");
    expect(ocr.language).toBe("en");
    expect(ocr.predictions.image).toEqual({ width: 1000, height: 667 });
    const rows = ocr.predictions.predictions.map(({ x, y, width, height, confidence, class: name, class_id }) => ({ x, y, width, height, confidence, name, class_id }));
    expect(rows).toEqual([
      { x: 365, y: 115, width: 490, height: 70, confidence: 1, name: "MACHINE WASH", class_id: 0 },
      { x: 150, y: 230, width: 300, height: 60, confidence: 1, name: "COLD", class_id: 1 },
    ]);
    expect(new Set(ocr.predictions.predictions.map((p) => p["detection_id"])).size).toBe(2);
  });

  it("ocr_text_detection with language hints: DOCUMENT_TEXT_DETECTION, imageContext, the blocks' own confidence", async () => {
    const answer = structuredClone(TEXT_ANSWER);
    const blocks = answer.responses[0]!.fullTextAnnotation.pages[0]!.blocks as Record<string, unknown>[];
    blocks[0]!["confidence"] = 0.97;
    blocks[1]!["confidence"] = 0.61;
    google.reply({ json: answer });
    const { outputs } = await engine().run(OCR({ ocr_type: "ocr_text_detection", language_hints: ["en", "fr"] }), { image, key: KEY });
    const request = google.requests[0]!.json.requests[0];
    expect(request.features).toEqual([{ type: "DOCUMENT_TEXT_DETECTION" }]);
    expect(request.imageContext).toEqual({ languageHints: ["en", "fr"] });
    const predictions = (outputs[0]!["ocr"] as { predictions: { predictions: { confidence: number }[] } }).predictions.predictions;
    expect(predictions.map((p) => p.confidence)).toEqual([0.97, 0.61]);
  });
});

describe("google_vision_ocr@v1", () => {
  const image = synthetic(64, 48, 3, () => 255);

  it("an image without text: empty text and language, no detections", async () => {
    google.reply({ json: { responses: [{}] } });
    const { outputs } = await engine().run(OCR(), { image, key: KEY });
    const ocr = outputs[0]!["ocr"] as { text: string; language: string; predictions: { predictions: unknown[] } };
    expect([ocr.text, ocr.language, ocr.predictions.predictions]).toEqual(["", "", []]);
    // An image made from pixels goes as a JPEG.
    expect(Buffer.from(google.requests[0]!.json.requests[0].image.content, "base64").subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it("an error inside the 200 answer fails the step with provider_error and the API's message", async () => {
    google.reply({ json: { responses: [{ error: { code: 3, message: "Bad image data." } }] } });
    await expect(engine().run(OCR(), { image, key: KEY })).rejects.toMatchObject({
      code: "provider_error",
      message: expect.stringContaining("Bad image data."),
    });
  });

  it("a refused key: provider_auth_failed with Google's message, the key never in it", async () => {
    google.reply({ status: 403, json: { error: { code: 403, message: `API key not valid: ${KEY}`, status: "PERMISSION_DENIED" } } });
    const failure = await engine().run(OCR(), { image, key: KEY }).then(
      () => undefined,
      (error: unknown) => error as { code: string; message: string; details: unknown },
    );
    expect(failure?.code).toBe("provider_auth_failed");
    expect(failure?.message).toContain("API key not valid");
    expect(JSON.stringify([failure?.message, failure?.details])).not.toContain(KEY);
    expect(google.requests).toHaveLength(1);
  });

  it("Roboflow's default key (rf_key:account) is refused before anything is sent", async () => {
    const workflow = OCR();
    delete (workflow.steps[0] as Record<string, unknown>)["api_key"];
    await expect(engine().run(workflow, { image, key: KEY })).rejects.toMatchObject({
      code: "invalid_field",
      message: expect.stringContaining("your own Google Cloud Vision API key"),
    });
    expect(google.requests).toHaveLength(0);
  });

  it("on a crop: the crop is sent, and its blocks come back in the input image's coordinates", async () => {
    google.reply({ json: TEXT_ANSWER });
    const input = synthetic(1200, 900, 3, () => 255);
    const workflow = {
      ...OCR(),
      steps: [
        { type: "roboflow_core/absolute_static_crop@v1", name: "crop", images: "$inputs.image", x_center: 600, y_center: 450, width: 1000, height: 668 },
        { ...OCR().steps[0], image: "$steps.crop.crops" },
      ],
      outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.ocr.predictions", coordinates_system: "parent" }],
    };
    const { outputs } = await engine().run(workflow, { image: input, key: KEY });
    const sent = Buffer.from(google.requests[0]!.json.requests[0].image.content, "base64");
    const { width, height } = await sharp(sent).metadata();
    expect([width, height]).toEqual([1000, 668]);
    const { image, predictions } = outputs[0]!["predictions"] as { image: unknown; predictions: { x: number; y: number }[] };
    expect(image).toEqual({ width: 1200, height: 900 });
    // The crop's top-left is (100, 116): the first block's centre (365, 115) on the crop is (465, 231) on the input.
    expect(predictions.map(({ x, y }) => [x, y])).toEqual([
      [465, 231],
      [250, 346],
    ]);
  });

  it("ocr_type is checked when the workflow compiles", () => {
    expect(() => engine().compile(OCR({ ocr_type: "handwriting" }))).toThrow(/ocr_type/);
  });
});
