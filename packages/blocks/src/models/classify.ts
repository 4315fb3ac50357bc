/**
 * What the single- and multi-label classification blocks share: their params, one batched model
 * call for every image of the step, and the response fields Roboflow puts around the classes.
 */
import type { BlockContext } from "@cvflow/engine";
import type { ClassificationResult, WorkflowImage } from "@cvflow/vision";
import type { ConfidenceParams } from "./fields.js";
import { modelSpecFor, visionModels } from "./services.js";

export interface ClassificationParams extends ConfidenceParams {
  [key: string]: unknown;
  images: WorkflowImage[];
  model_id: string;
}

export interface Classified {
  image: WorkflowImage;
  result: ClassificationResult;
  /** The response's leading fields: inference_id, time (seconds), image. */
  head: { inference_id: string; time: number; image: { width: number; height: number } };
  /** The response's trailing fields: prediction_type and the image's lineage. */
  tail: { prediction_type: "classification"; parent_id: string; root_parent_id: string };
}

export async function classifyImages(params: ClassificationParams, ctx: BlockContext, threshold: number): Promise<Classified[]> {
  const models = visionModels(ctx);
  modelSpecFor(models, params.model_id, ["classification", "multi-label-classification"]);
  const started = performance.now();
  const results = await models.classify(params.model_id, params.images, { confidence: threshold }, ctx.signal);
  // As Roboflow: one id and one time for the whole request, repeated on each image's response.
  const time = (performance.now() - started) / 1000;
  const inferenceId = crypto.randomUUID();
  return results.map((result, i) => {
    const image = params.images[i]!;
    return {
      image,
      result,
      head: { inference_id: inferenceId, time, image: { width: image.width, height: image.height } },
      tail: { prediction_type: "classification", parent_id: image.lineage.parentId, root_parent_id: image.lineage.rootParentId },
    };
  });
}
