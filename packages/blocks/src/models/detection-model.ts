/**
 * What the object-detection and instance-segmentation blocks share: their params and one batched
 * run — a single model call for every image of the step (all crops of all images), each result
 * turned into Detections on the image it was made on.
 */
import type { BlockContext, BlockOutputs } from "@cvflow/engine";
import type { DetectionParams, WorkflowImage } from "@cvflow/vision";
import { confidenceThreshold, DEFAULT_CONFIDENCE, type ConfidenceParams } from "./fields.js";
import { detectionsFromResult } from "./model-detections.js";
import { modelSpecFor, visionModels } from "./services.js";

export interface DetectionModelParams extends ConfidenceParams {
  [key: string]: unknown;
  images: WorkflowImage[];
  model_id: string;
  class_filter: string[] | null;
  // A parameter feeding these may be null (not given): the runtime's defaults apply then.
  iou_threshold: number | null;
  max_detections: number | null;
  class_agnostic_nms: boolean | null;
  max_candidates: number | null;
}

export type DetectionTask = "object-detection" | "instance-segmentation";

export async function runDetectionModel(params: DetectionModelParams, ctx: BlockContext, task: DetectionTask, withModelId: boolean): Promise<BlockOutputs[]> {
  const models = visionModels(ctx);
  // A face detector gives boxes like any other detector; so does a segmentation model, which
  // Roboflow's object-detection block runs as it is: its masks come along, and its predictions
  // are still of the object-detection type. The other way round, Roboflow's segmentation block
  // runs a detector too, and its detections have no masks.
  const spec = modelSpecFor(models, params.model_id, task === "object-detection" ? ["object-detection", "face-detection", "instance-segmentation"] : ["instance-segmentation", "object-detection"]);
  const options: DetectionParams = {
    confidence: confidenceThreshold(params, DEFAULT_CONFIDENCE),
    iouThreshold: params.iou_threshold ?? undefined,
    classAgnosticNms: params.class_agnostic_nms ?? undefined,
    classFilter: params.class_filter,
    maxDetections: params.max_detections ?? undefined,
    maxCandidates: params.max_candidates ?? undefined,
  };
  const results =
    spec.task === "instance-segmentation"
      ? await models.segment(params.model_id, params.images, options, ctx.signal)
      : await models.detect(params.model_id, params.images, options, ctx.signal);
  // Roboflow gives every image of one request the request's id.
  const inferenceId = crypto.randomUUID();
  return results.map((result, i) => ({
    inference_id: inferenceId,
    predictions: detectionsFromResult(result, params.images[i]!, task),
    ...(withModelId ? { model_id: params.model_id } : {}),
  }));
}
