/**
 * Morphological Transformation: OpenCV's erode, dilate and morphologyEx with a square kernel of
 * ones. v1 works on the grayscale image and returns it as one channel; v2 works on every colour
 * channel (a one-channel image is made RGB first) and adds "Opening then Closing", its default.
 */
import { defineBlock, type BlockManifest } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { invalidField } from "../errors.js";
import { toPixels, withMats, type CV, type Mat } from "./opencv.js";

const V1_OPERATIONS = ["Erosion", "Dilation", "Opening", "Closing", "Gradient", "Top Hat", "Black Hat"] as const;
const V2_OPERATIONS = ["Erosion", "Dilation", "Opening", "Closing", "Opening then Closing", "Gradient", "Top Hat", "Black Hat"] as const;
type Operation = (typeof V2_OPERATIONS)[number];

interface MorphologyParams {
  [key: string]: unknown;
  image: WorkflowImage;
  kernel_size: number;
  operation: Operation;
}

function manifest(version: 1 | 2): BlockManifest {
  const operations = version === 1 ? V1_OPERATIONS : V2_OPERATIONS;
  return {
    type: `roboflow_core/morphological_transformation@v${version}`,
    name: "Morphological Transformation",
    description:
      version === 1
        ? "Apply morphological transformation to an image (converted to grayscale; the output has one channel)."
        : "Apply morphological transformation to color images (each channel; a grayscale image is made colour first).",
    family: "classical_cv",
    fields: {
      image: { description: "The image to transform.", kinds: ["image"], aliases: ["images"], required: true },
      kernel_size: { description: "Side of the square kernel of ones.", kinds: ["integer"], schema: { type: "integer" }, default: 5 },
      operation: {
        description: "Erosion (minimum), Dilation (maximum), Opening, Closing, Gradient (dilation - erosion), Top Hat (image - opening), Black Hat (closing - image)" + (version === 2 ? ", or Opening then Closing." : "."),
        kinds: ["string"],
        schema: { enum: operations },
        default: version === 1 ? "Closing" : "Opening then Closing",
      },
    },
    outputs: [{ name: "image", kinds: ["image"] }],
  };
}

export const morphologicalTransformationV1Block = defineBlock<MorphologyParams>({
  manifest: manifest(1),
  async run({ image, kernel_size, operation }) {
    return { image: image.withPixels(await morphology(image, kernel_size, operation, V1_OPERATIONS, "gray")) };
  },
});

export const morphologicalTransformationV2Block = defineBlock<MorphologyParams>({
  manifest: manifest(2),
  async run({ image, kernel_size, operation }) {
    return { image: image.withPixels(await morphology(image, kernel_size, operation, V2_OPERATIONS, "rgb")) };
  },
});

async function morphology(image: WorkflowImage, kernelSize: number, operation: Operation, allowed: readonly Operation[], as: "gray" | "rgb") {
  if (!allowed.includes(operation)) throw invalidField(`operation must be one of ${allowed.join(", ")}; got ${JSON.stringify(operation)}`);
  if (!Number.isInteger(kernelSize) || kernelSize < 1) throw invalidField(`kernel_size must be a positive integer; got ${kernelSize}`);
  return withMats((cv, scope) => {
    let input = as === "gray" ? scope.gray(image.pixels) : scope.fromPixels(image.pixels);
    if (as === "rgb" && image.channels === 1) cv.cvtColor(input, (input = scope.mat()), cv.COLOR_GRAY2RGB);
    const kernel = scope.track(cv.Mat.ones(kernelSize, kernelSize, cv.CV_8U));
    const apply = (from: Mat, op: number): Mat => {
      const out = scope.mat();
      cv.morphologyEx(from, out, op, kernel);
      return out;
    };
    const ops = morphOps(cv);
    const result = operation === "Opening then Closing" ? apply(apply(input, cv.MORPH_OPEN), cv.MORPH_CLOSE) : apply(input, ops[operation]);
    return toPixels(result);
  });
}

/** The OpenCV operation of each name (erode and dilate are morphologyEx's ERODE and DILATE, one iteration). */
function morphOps(cv: CV): Record<Exclude<Operation, "Opening then Closing">, number> {
  return {
    Erosion: cv.MORPH_ERODE,
    Dilation: cv.MORPH_DILATE,
    Opening: cv.MORPH_OPEN,
    Closing: cv.MORPH_CLOSE,
    Gradient: cv.MORPH_GRADIENT,
    "Top Hat": cv.MORPH_TOPHAT,
    "Black Hat": cv.MORPH_BLACKHAT,
  };
}
