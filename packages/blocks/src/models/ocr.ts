/**
 * OCR blocks: Roboflow's OCR Model (DocTR there) and PP-OCR, both served here by the registry's
 * PP-OCRv4 pipeline. Each image gives its text (`result`, the lines joined by spaces), the text
 * lines as detections (axis-aligned boxes around each line's region), and the image's lineage.
 */
import { defineBlock, type BlockContext, type BlockOutputs, type Detections, type FieldSpec, type OutputSpec } from "@cvflow/engine";
import type { OcrLine, WorkflowImage } from "@cvflow/vision";
import { detectionsOnImage } from "../common/lineage.js";
import { IMAGES_FIELD, pixelsOf } from "./fields.js";
import { visionModels } from "./services.js";

/** The registry's OCR model, whatever the block asks for. */
const OCR_MODEL_ID = "ppocr-v4";

const OUTPUTS: OutputSpec[] = [
  { name: "result", kinds: ["string"] },
  { name: "predictions", kinds: ["object_detection_prediction"] },
  { name: "parent_id", kinds: ["parent_id"] },
  { name: "root_parent_id", kinds: ["parent_id"] },
  { name: "prediction_type", kinds: ["prediction_type"] },
];

interface OcrParams {
  [key: string]: unknown;
  images: WorkflowImage[];
}

/** How a block names its line detections: DocTR's classes are block/line/word, PP-OCR's class is the text itself. */
interface LineLabels {
  className(line: OcrLine): string;
  classId: number;
  /** Whether each detection also carries its text as a `text` column. */
  textColumn: boolean;
}

async function runOcr(params: OcrParams, ctx: BlockContext, labels: LineLabels, recognise = true): Promise<BlockOutputs[]> {
  const results = await visionModels(ctx).ocr(OCR_MODEL_ID, await pixelsOf(params.images), ctx.signal);
  return results.map((result, i) => {
    const image = params.images[i]!;
    return {
      result: recognise ? result.text : "",
      predictions: lineDetections(result.lines, image, labels, recognise),
      parent_id: image.lineage.parentId,
      root_parent_id: image.lineage.rootParentId,
      prediction_type: "ocr",
    };
  });
}

function lineDetections(lines: readonly OcrLine[], image: WorkflowImage, labels: LineLabels, recognise: boolean): Detections {
  const xyxy = lines.flatMap(({ box }) => {
    const xs = box.map(([x]) => x);
    const ys = box.map(([, y]) => y);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  });
  const data: Record<string, readonly unknown[]> = { prediction_type: lines.map(() => "ocr") };
  if (labels.textColumn) data["text"] = lines.map((line) => line.text);
  return detectionsOnImage(
    {
      xyxy,
      confidence: lines.map((line) => line.confidence),
      classId: lines.map(() => labels.classId),
      className: lines.map((line) => (recognise ? labels.className(line) : "")),
      data,
    },
    image,
  );
}

export const ocrModelV1Block = defineBlock<OcrParams>({
  manifest: {
    type: "roboflow_core/ocr_model@v1",
    aliases: ["OCRModel"],
    name: "OCR Model",
    description: `Extract text from an image with optical character recognition (Roboflow runs DocTR; here ${OCR_MODEL_ID}). Text lines come out as detections of class "line" with their text.`,
    family: "models",
    fields: { images: IMAGES_FIELD },
    outputs: OUTPUTS,
  },
  // DocTR's class ids: 0 block, 1 line, 2 word.
  runBatch: (params, ctx) => runOcr(params, ctx, { className: () => "line", classId: 1, textColumn: true }),
});

const STAGE_SIZES = ["none", "tiny", "small", "medium"];

function stageField(stage: string, whenNone: string): FieldSpec {
  return {
    description: `Text ${stage} model size; every size runs the one PP-OCRv4 ${stage} model here. "none" ${whenNone}.`,
    schema: { enum: STAGE_SIZES },
    default: "small",
  };
}

interface PpOcrParams extends OcrParams {
  text_detection: string;
  text_recognition: string;
}

export const ppOcrV1Block = defineBlock<PpOcrParams>({
  manifest: {
    type: "roboflow_core/pp_ocr@v1",
    name: "PP-OCR",
    description: `Extract text from an image using PP-OCR (PaddleOCR), here ${OCR_MODEL_ID}. Text lines come out as detections whose class is their text.`,
    family: "models",
    fields: {
      images: IMAGES_FIELD,
      text_detection: stageField("detection", "(recognition only) is not available here"),
      text_recognition: stageField("recognition", "gives the line boxes without their text"),
    },
    outputs: OUTPUTS,
  },
  validate(step) {
    // The pipeline here always finds lines first; recognising a whole image as one line is not available.
    return step["text_detection"] === "none"
      ? [{ property: "text_detection", code: "unsupported_option", message: 'text_detection "none" (recognition only) is not available here; use a detection size' }]
      : [];
  },
  runBatch: (params, ctx) => runOcr(params, ctx, { className: (line) => line.text, classId: 0, textColumn: false }, params.text_recognition !== "none"),
});
