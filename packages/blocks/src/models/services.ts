/**
 * Models reach blocks through the engine's services: whoever builds the engine passes a
 * VisionModels (the model registry and its ONNX sessions) as `services.models`.
 */
import { withArticle, WorkflowError, type BlockContext } from "@cvflow/engine";
import type { ModelSpec, ModelTask, VisionModels } from "@cvflow/vision";

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
    throw new WorkflowError(
      "models_not_configured",
      `Step "${ctx.step}" runs a model, but no model runtime is configured: the engine needs services.models (a VisionModels)`,
      500,
      { step: ctx.step },
    );
  }
  return models;
}

/** What `modelId` names, checked to be a model for one of `tasks` (unknown ids are the registry's 400, listing the known ones). */
export function modelSpecFor(models: VisionModels, modelId: string, tasks: readonly ModelTask[]): ModelSpec {
  const spec = models.spec(modelId);
  if (!tasks.includes(spec.task)) {
    const fitting = models.list().filter((m) => tasks.includes(m.task)).map((m) => m.id);
    throw new WorkflowError(
      "model_task_mismatch",
      `Model "${modelId}" is ${withArticle(spec.task)} model; this block needs ${tasks.join(" or ")} (available: ${fitting.join(", ") || "none"})`,
      400,
      { model_id: modelId, task: spec.task, expected: [...tasks], available: fitting },
    );
  }
  return spec;
}
