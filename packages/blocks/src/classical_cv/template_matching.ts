/**
 * Template Matching: OpenCV's matchTemplate (TM_CCOEFF_NORMED) of the grayscale template over the
 * grayscale image; every position scoring at least `matching_threshold` is a template-sized box of
 * class "template_match" (id 0, confidence 1), in row-major order, then — by default — boxes
 * overlapping by more than `nms_threshold` are suppressed as supervision's with_nms does.
 */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { detectionsOnImage } from "../common/lineage.js";
import { invalidField } from "../errors.js";
import { nonMaxSuppression } from "../fusion/overlap-filter.js";
import { withMats, type Mat } from "./opencv.js";

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
    description: "Locate instances of a template within an image.",
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
    const corners = await matchPositions(image, template, matching_threshold);
    const { width: w, height: h } = template;
    const matches = detectionsOnImage(
      {
        xyxy: corners.flatMap(([x, y]) => [x, y, x + w, y + h]),
        confidence: corners.map(() => 1),
        classId: corners.map(() => 0),
        className: corners.map(() => "template_match"),
        data: { prediction_type: corners.map(() => "object-detection") },
      },
      image,
    );
    const predictions = apply_nms ? nonMaxSuppression(matches, nms_threshold) : matches;
    return { predictions, number_of_matches: predictions.length };
  },
});

/** Top-left corners scoring at least `threshold`, row by row. */
function matchPositions(image: WorkflowImage, template: WorkflowImage, threshold: number): Promise<[number, number][]> {
  return withMats((cv, scope) => {
    const gray = (pixels: WorkflowImage): Mat => {
      const mat = scope.fromPixels(pixels.pixels);
      if (pixels.channels === 1) return mat;
      const out = scope.mat();
      cv.cvtColor(mat, out, cv.COLOR_RGB2GRAY);
      return out;
    };
    const scores = scope.mat();
    cv.matchTemplate(gray(image), gray(template), scores, cv.TM_CCOEFF_NORMED);
    const values = scores.data32F;
    const corners: [number, number][] = [];
    for (let i = 0; i < values.length; i++) if (values[i]! >= threshold) corners.push([i % scores.cols, Math.floor(i / scores.cols)]);
    return corners;
  });
}
