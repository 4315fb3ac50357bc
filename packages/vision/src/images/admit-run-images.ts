/**
 * Admitting a run to its image budget, once its inputs are read and before any of them is
 * decoded. First an estimate from the images' headers and the plan alone: the input images'
 * pixels times (1 + the steps whose outputs include an image), as if each such step made one
 * image as large as its input (a drawing on a copy, a filtered image). A run over it is refused
 * with 413 `run_too_large` before it has allocated anything. The estimate is only a first filter:
 * what a step makes can be larger than its input (overlapping crops or slices, each nearly the
 * whole image; a resize up; a rotation's larger canvas), and how much depends on the data. The
 * budget holds whatever the data because it is also kept while the run runs (RunImageBudget): the
 * input images are charged to it here, and every image a step makes as it is made.
 */
import type { CompiledWorkflow } from "@cvflow/engine";
import { runTooLarge } from "../errors.js";
import { DEFAULT_MAX_RUN_PIXELS, megapixels as mp } from "./image-limits.js";
import { chargeRunImage } from "./run-image-budget.js";
import { WorkflowImage } from "./workflow-image.js";

export function admitRunImages(plan: CompiledWorkflow, inputs: ReadonlyMap<string, unknown>, maxRunPixels = DEFAULT_MAX_RUN_PIXELS): void {
  const images = new Set<WorkflowImage>();
  const visit = (value: unknown): void => {
    if (value instanceof WorkflowImage) images.add(value);
    // A batch of one repeated to the others' length is the same image: counted once.
    else if (Array.isArray(value)) value.forEach(visit);
  };
  for (const value of inputs.values()) visit(value);
  const inputPixels = [...images].reduce((sum, image) => sum + image.width * image.height, 0);
  const imageSteps = plan.steps.filter((step) => step.outputs.some((output) => output.kinds.includes("image"))).length;
  const estimated = inputPixels * (1 + imageSteps);
  if (estimated > maxRunPixels) {
    throw runTooLarge(
      `This run could hold ${mp(estimated)} megapixels of images: ${mp(inputPixels)} of input images, and as much again for each of its ${imageSteps} steps that output images. ` +
        `A run may hold ${mp(maxRunPixels)} megapixels: send smaller images (or fewer at once), or use fewer image steps.`,
      { input_megapixels: mp(inputPixels), input_images: images.size, image_steps: imageSteps, estimated_megapixels: mp(estimated), max_megapixels: mp(maxRunPixels) },
    );
  }
  for (const image of images) chargeRunImage(image.width, image.height, "the input images");
}
