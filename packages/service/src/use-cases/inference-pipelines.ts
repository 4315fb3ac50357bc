/**
 * `/inference_pipelines/*`: Roboflow's video pipeline routes (inference_sdk's `start_inference_pipeline_*`,
 * `list_inference_pipelines`, `pause_`/`resume_`/`terminate_inference_pipeline`, `consume_inference_pipeline_result`).
 * Video is not served yet: every method on every path below answers 501 `not_implemented`, so a
 * client sees why instead of a 404.
 */
import { WorkflowError } from "@cvflow/engine";
import type { ServiceRequest } from "../http.js";

export async function inferencePipelinesNotImplemented(request: ServiceRequest): Promise<never> {
  const rest = request.pathParameters["proxy"] ?? "";
  throw new WorkflowError(
    "not_implemented",
    "Video inference pipelines (/inference_pipelines/…) are not available in this version of cvflow yet; run workflows on images with POST /workflows/run or a saved workflow",
    501,
    { path: rest ? `/inference_pipelines/${rest}` : "/inference_pipelines" },
  );
}
