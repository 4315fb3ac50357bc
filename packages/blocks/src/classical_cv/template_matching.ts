/**
 * Template Matching: OpenCV's matchTemplate (TM_CCOEFF_NORMED) of the grayscale template over the
 * grayscale image; every position scoring at least `matching_threshold` is a template-sized box of
 * class "template_match" (id 0, confidence 1), in row-major order, then — by default — boxes
 * overlapping by more than `nms_threshold` are suppressed as supervision's with_nms does. Without
 * NMS, more than MAX_RAW_MATCHES matches is an error rather than a response of millions of boxes.
 */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { detectionsOnImage } from "../common/lineage.js";
import { invalidField } from "../errors.js";
import { withMats } from "./opencv.js";

/** Matches returned without NMS at most: each is a detection of its own in the response. */
const MAX_RAW_MATCHES = 100_000;

interface TemplateMatchingParams {
  [key: string]: unknown;
  image: WorkflowImage;
  template: WorkflowImage;
  matching_threshold: number;
  apply_nms: boolean;
  nms_threshold: number;
}

export const templateMatchingBlock = defineBlock<TemplateMatchingParams>({
  manifest: {
    type: "roboflow_core/template_matching@v1",
    name: "Template Matching",
    description: "Locate instances of a template within an image. Without NMS, at most 100 000 matches (more is an error: raise matching_threshold).",
    family: "classical_cv",
    fields: {
      image: { description: "The image to search.", kinds: ["image"], aliases: ["images"], required: true },
      template: { description: "The image to find (no larger than the image).", kinds: ["image"], aliases: ["templates"], required: true },
      matching_threshold: { description: "The least normalised correlation coefficient a match has.", kinds: ["float"], schema: { type: "number" }, default: 0.8 },
      apply_nms: { description: "Suppress matches overlapping a kept one.", kinds: ["boolean"], schema: { type: "boolean" }, default: true },
      nms_threshold: { description: "The IoU above which a match is suppressed.", kinds: ["float_zero_to_one"], schema: { type: "number", minimum: 0, maximum: 1 }, default: 0.5 },
    },
    outputs: [
      { name: "predictions", kinds: ["object_detection_prediction"] },
      { name: "number_of_matches", kinds: ["integer"] },
    ],
  },
  async run({ image, template, matching_threshold, apply_nms, nms_threshold }) {
    if (template.width > image.width || template.height > image.height) {
      throw invalidField(`the template (${template.width}x${template.height}) must fit inside the image (${image.width}x${image.height})`);
    }
    const { width: w, height: h } = template;
    const scores = await matchScores(image, template);
    const corners = apply_nms ? suppressed(scores, matching_threshold, w, h, nms_threshold) : matchesOf(scores, matching_threshold);
    const predictions = detectionsOnImage(
      {
        xyxy: corners.flatMap(([x, y]) => [x, y, x + w, y + h]),
        confidence: corners.map(() => 1),
        classId: corners.map(() => 0),
        className: corners.map(() => "template_match"),
        data: { prediction_type: corners.map(() => "object-detection") },
      },
      image,
    );
    return { predictions, number_of_matches: predictions.length };
  },
});

/** The score of every position of the template's top-left corner (cols x rows of them). */
interface ScoreMap {
  values: Float32Array;
  cols: number;
  rows: number;
}

function matchScores(image: WorkflowImage, template: WorkflowImage): Promise<ScoreMap> {
  return withMats((cv, scope) => {
    const scores = scope.mat();
    cv.matchTemplate(scope.gray(image.pixels), scope.gray(template.pixels), scores, cv.TM_CCOEFF_NORMED);
    return { values: scores.data32F.slice(), cols: scores.cols, rows: scores.rows };
  });
}

/** Top-left corners scoring at least `threshold`, row by row; refused beyond MAX_RAW_MATCHES. */
function matchesOf({ values, cols }: ScoreMap, threshold: number): [number, number][] {
  const corners: [number, number][] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i]! < threshold) continue;
    if (corners.length === MAX_RAW_MATCHES) throw invalidField(`more than ${MAX_RAW_MATCHES} positions score at least matching_threshold ${threshold}: raise it, or apply NMS`);
    corners.push([i % cols, Math.floor(i / cols)]);
  }
  return corners;
}

/**
 * The matches supervision's with_nms keeps, found on the score map itself: every box has the
 * template's size and confidence 1, so NMS visits them from the last position to the first and a
 * kept box suppresses the candidates before it within one template size whose IoU exceeds the
 * threshold (those beyond cannot overlap it). Millions of matching positions (a low threshold on
 * a large image) thus cost memory for one byte each, not a box each.
 */
function suppressed({ values, cols, rows }: ScoreMap, threshold: number, w: number, h: number, iouThreshold: number): [number, number][] {
  const candidate = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) candidate[i] = values[i]! >= threshold ? 1 : 0;
  const kept: [number, number][] = [];
  for (let i = values.length - 1; i >= 0; i--) {
    if (!candidate[i]) continue;
    const x = i % cols;
    const y = Math.floor(i / cols);
    kept.push([x, y]);
    for (let ny = Math.max(0, y - h + 1); ny <= Math.min(rows - 1, y + h - 1); ny++) {
      for (let nx = Math.max(0, x - w + 1); nx <= Math.min(cols - 1, x + w - 1); nx++) {
        const j = ny * cols + nx;
        if (j >= i || !candidate[j]) continue;
        const inter = (w - Math.abs(nx - x)) * (h - Math.abs(ny - y));
        if (inter / (2 * w * h - inter) > iouThreshold) candidate[j] = 0;
      }
    }
  }
  // supervision returns the kept boxes in their original (row-major) order.
  return kept.reverse();
}
