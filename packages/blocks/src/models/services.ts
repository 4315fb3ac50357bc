/**
 * Models reach blocks through the engine's services: whoever builds the engine passes a
 * VisionModels (the model registry and its ONNX sessions) as `services.models`.
 */
import type { BlockContext } from "@cvflow/engine";
import { modelTaskMismatch, type ModelSpec, type ModelTask, type VisionModels } from "@cvflow/vision";
import { modelsNotConfigured } from "../errors.js";

declare module "@cvflow/engine" {
  interface BlockServices {
    /** The model runtime the model blocks call. */
    models?: VisionModels;
  }
}

/** The configured model runtime; a 500, not a block crash, when the engine was built without one. */
export function visionModels(ctx: BlockContext): VisionModels {
  const models = ctx.services.models;
  if (!models) {
    throw modelsNotConfigured(ctx.step);
  }
  return models;
}

/** What `modelId` names, checked to be a model for one of `tasks` (unknown ids are the registry's 400, listing the known ones). */
export function modelSpecFor(models: VisionModels, modelId: string, tasks: readonly ModelTask[]): ModelSpec {
  const spec = models.spec(modelId);
  if (!tasks.includes(spec.task)) {
    const fitting = models.list().filter((m) => tasks.includes(m.task)).map((m) => m.id);
    throw modelTaskMismatch(modelId, spec.task, tasks, fitting, "this block");
  }
  return spec;
}
