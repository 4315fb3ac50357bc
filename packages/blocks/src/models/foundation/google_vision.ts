/**
 * Google Vision OCR (v1): the image sent to Cloud Vision's images:annotate with TEXT_DETECTION
 * (scene text) or DOCUMENT_TEXT_DETECTION (dense documents), as Roboflow's block sends it; the
 * answer read as Roboflow reads it — the whole text and its locale from the first text
 * annotation, and one detection per text block of the full-text annotation (its box the extent of
 * the block's vertices, its class the block's words joined by spaces, its confidence the block's,
 * or 1 where the API gives none, as TEXT_DETECTION does).
 *
 * The key goes in the x-goog-api-key header, not in the URL's `key` parameter as Roboflow puts it,
 * so that it never shows in a URL an error names. A failure the API reports inside a 200 answer
 * (responses[0].error: a bad image, a wrong language hint) fails the step with provider_error;
 * Roboflow reads such an answer as "no text".
 */
import { defineBlock, type BlockContext, type BlockOutputs, type Detections } from "@cvflow/engine";
import { serializeImage, type WorkflowImage } from "@cvflow/vision";
import { detectionsOnImage } from "../../common/lineage.js";
import { endpoint } from "../../egress/egress.js";
import { providerFailed } from "../../errors.js";
import { providerKey } from "./llm/api-key.js";
import { redactSecrets } from "../../secrets_providers/secret.js";
import { callJsonApi } from "./llm/call-json-api.js";

export const GOOGLE_VISION_BASE = "https://vision.googleapis.com";
const ANNOTATE_PATH = "/v1/images:annotate";

/** The provider as errors name it. */
const PROVIDER = "Google Cloud Vision";

const FEATURES = { text_detection: "TEXT_DETECTION", ocr_text_detection: "DOCUMENT_TEXT_DETECTION" } as const;
type OcrType = keyof typeof FEATURES;

interface GoogleVisionOcrParams {
  [key: string]: unknown;
  image: WorkflowImage;
  ocr_type: OcrType;
  api_key: unknown;
  language_hints: string[] | null;
}

/** The request body of images:annotate for one image (its bytes as Roboflow's base64_image gives them). */
export async function annotateRequest(image: WorkflowImage, ocrType: OcrType, languageHints: readonly string[] | null): Promise<Record<string, unknown>> {
  const { value } = await serializeImage(image);
  const request: Record<string, unknown> = { image: { content: value }, features: [{ type: FEATURES[ocrType] }] };
  if (languageHints !== null) request["imageContext"] = { languageHints };
  return { requests: [request] };
}

interface Vertex {
  x?: number;
  y?: number;
}
interface TextBlock {
  boundingBox?: { vertices?: Vertex[] };
  confidence?: number;
  paragraphs?: { words?: { symbols?: { text?: string }[] }[] }[];
}
/** The parts of an AnnotateImageResponse the block reads. */
export interface AnnotateImageResponse {
  textAnnotations?: { description?: string; locale?: string }[];
  fullTextAnnotation?: { pages?: { blocks?: TextBlock[] }[] };
  error?: { code?: number; message?: string };
}

/** text, language and the text blocks as detections on `image`. */
export function ocrOutputs(answer: AnnotateImageResponse, image: WorkflowImage): BlockOutputs {
  const first = answer.textAnnotations?.[0];
  if (!first) return { text: "", language: "", predictions: blockDetections([], image) };
  const blocks = (answer.fullTextAnnotation?.pages ?? []).flatMap((page) => page.blocks ?? []);
  return { text: first.description ?? "", language: first.locale ?? "", predictions: blockDetections(blocks, image) };
}

function blockDetections(blocks: readonly TextBlock[], image: WorkflowImage): Detections {
  const xyxy = blocks.flatMap((block) => {
    // The API leaves out a coordinate that is 0.
    const vertices = block.boundingBox?.vertices ?? [];
    const xs = vertices.map((v) => v.x ?? 0);
    const ys = vertices.map((v) => v.y ?? 0);
    return vertices.length ? [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] : [0, 0, 0, 0];
  });
  const words = blocks.map((block) =>
    (block.paragraphs ?? [])
      .flatMap((paragraph) => paragraph.words ?? [])
      .map((word) => (word.symbols ?? []).map((symbol) => symbol.text ?? "").join(""))
      .join(" "),
  );
  return detectionsOnImage(
    {
      xyxy,
      confidence: blocks.map((block) => block.confidence ?? 1),
      classId: blocks.map((_, i) => i),
      className: words,
      data: { prediction_type: blocks.map(() => "ocr") },
    },
    image,
  );
}

async function runOcr(params: GoogleVisionOcrParams, ctx: BlockContext): Promise<BlockOutputs> {
  const key = providerKey(params.api_key, PROVIDER);
  const body = await annotateRequest(params.image, params.ocr_type, params.language_hints);
  const answer = (await callJsonApi(ctx, {
    provider: PROVIDER,
    url: `${endpoint(ctx, "google_vision", GOOGLE_VISION_BASE)}${ANNOTATE_PATH}`,
    headers: { "x-goog-api-key": key },
    body,
    secrets: [key],
  })) as { responses?: AnnotateImageResponse[] };
  const result = answer.responses?.[0] ?? {};
  if (result.error) {
    const said = redactSecrets(result.error.message ?? JSON.stringify(result.error), [key]);
    throw providerFailed("provider_error", `${PROVIDER} did not annotate the image: ${said}`, { provider: PROVIDER, status: 200, provider_message: said });
  }
  return ocrOutputs(result, params.image);
}

export const googleVisionOcrBlock = defineBlock<GoogleVisionOcrParams>({
  manifest: {
    type: "roboflow_core/google_vision_ocr@v1",
    name: "Google Vision OCR",
    description:
      "Detect text in images using the Google Cloud Vision API (text_detection: text anywhere in a scene; ocr_text_detection: dense documents). " +
      "Sends the image to vision.googleapis.com with your own API key; outputs the text, its language and one detection per text block.",
    family: "models",
    fields: {
      image: { description: "Image to run OCR", kinds: ["image"], required: true },
      ocr_type: {
        description: "Type of OCR to use: text_detection (any scene text) or ocr_text_detection (dense documents).",
        schema: { type: "string", enum: Object.keys(FEATURES) },
        required: true,
      },
      api_key: {
        description:
          "Your Google Cloud Vision API key (a string, a parameter or an environment_secrets_store output). " +
          "Roboflow's default, its managed key rf_key:account, does not exist here: running without your own key fails with invalid_field.",
        kinds: ["string", "secret"],
        schema: { type: "string" },
        default: "rf_key:account",
      },
      language_hints: {
        description:
          "Optional list of language codes to pass to the OCR API (see https://cloud.google.com/vision/docs/languages); without them the API detects the language.",
        schema: { type: "array", items: { type: "string" } },
        default: null,
      },
    },
    outputs: [
      { name: "text", kinds: ["string"] },
      { name: "language", kinds: ["string"] },
      { name: "predictions", kinds: ["object_detection_prediction"] },
    ],
  },
  run: runOcr,
});
