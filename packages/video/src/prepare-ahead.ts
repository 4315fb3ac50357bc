/**
 * Which models a workflow runs straight on its image input: those a video pipeline can prepare
 * the next frame for (letterbox it into the model's input) while the current frame's inference
 * runs. Only steps of the models family whose `images` field is the input itself and whose
 * `model_id` is written in the definition count; a model on crops, or chosen by a parameter, is
 * prepared when its run reaches it, as in any run.
 */
import type { CompiledWorkflow } from "@cvflow/engine";

export function modelsOnImageInput(plan: CompiledWorkflow, imageInput: string): string[] {
  const ids = new Set<string>();
  for (const step of plan.steps) {
    if (step.manifest.family !== "models") continue;
    const images = step.fields.find(([field]) => field === "images")?.[1];
    const modelId = step.fields.find(([field]) => field === "model_id")?.[1];
    if (images?.t !== "input" || images.name !== imageInput) continue;
    if (modelId?.t === "literal" && typeof modelId.value === "string") ids.add(modelId.value);
  }
  return [...ids];
}
