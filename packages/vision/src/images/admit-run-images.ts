/**
 * A run's memory budget for images, checked once its inputs are read and before any of them is
 * decoded: the input images' pixels times (1 + the steps whose outputs include an image), since
 * each such step may make one image as large as its input (a drawing on a copy, a filtered or
 * resized image, crops no larger together than their image). A run over it is refused with 413
 * `run_too_large`, before it has allocated anything. What a run really holds is less: a step's
 * images are dropped once the steps that read them have finished (unless an output selects them).
 */
import { WorkflowError, type CompiledWorkflow } from "@cvflow/engine";
import { WorkflowImage } from "./workflow-image.js";

/**
 * 200 megapixels, 600 MB of RGB pixels: with the server's own ~0.3 GB and the encoding of its
 * outputs, the worst run that passes peaked at 1.06 to 1.08 GB (`npm run bench -- memory`: a
 * 39.7-megapixel JPEG, a detection and 4 drawings on copies, every image an output), a third of
 * the API Lambda's 3,008 MB. A 40-megapixel input (the largest accepted) may go through 4 image
 * steps, a 12-megapixel photo 15, a full-HD frame 95.
 */
export const DEFAULT_MAX_RUN_PIXELS = 200_000_000;

export function checkRunPixels(plan: CompiledWorkflow, inputs: ReadonlyMap<string, unknown>, maxRunPixels = DEFAULT_MAX_RUN_PIXELS): void {
  let inputPixels = 0;
  let images = 0;
  const visit = (value: unknown): void => {
    if (value instanceof WorkflowImage) {
      inputPixels += value.width * value.height;
      images++;
    } else if (Array.isArray(value)) {
      // A batch of one repeated to the others' length is the same image: counted once.
      for (const item of new Set(value)) visit(item);
    }
  };
  for (const value of inputs.values()) visit(value);
  const imageSteps = plan.steps.filter((step) => step.outputs.some((output) => output.kinds.includes("image"))).length;
  const estimated = inputPixels * (1 + imageSteps);
  if (estimated <= maxRunPixels) return;
  const mp = (pixels: number) => Math.round(pixels / 1e5) / 10;
  throw new WorkflowError(
    "run_too_large",
    `This run could hold ${mp(estimated)} megapixels of images: ${mp(inputPixels)} of input images, and as much again for each of its ${imageSteps} steps that output images. ` +
      `A run may hold ${mp(maxRunPixels)} megapixels: send smaller images (or fewer at once), or use fewer image steps.`,
    413,
    { input_megapixels: mp(inputPixels), input_images: images, image_steps: imageSteps, estimated_megapixels: mp(estimated), max_megapixels: mp(maxRunPixels) },
  );
}
