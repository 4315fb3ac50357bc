/**
 * `/inference_pipelines/*`: Roboflow's video pipeline routes (inference_sdk's `start_inference_pipeline_*`,
 * `list_inference_pipelines`, `pause_`/`resume_`/`terminate_inference_pipeline`, `consume_inference_pipeline_result`).
 * Video is not served yet: every method on every path below answers 501 `not_implemented`, so a
 * client sees why instead of a 404.
 */
import { notImplemented } from "../errors.js";
import type { ServiceRequest } from "../http.js";

export async function inferencePipelinesNotImplemented(request: ServiceRequest): Promise<never> {
  const rest = request.pathParameters["proxy"] ?? "";
  throw notImplemented(
    "Video inference pipelines (/inference_pipelines/…) are not available in this version of cvflow yet; run workflows on images with POST /workflows/run or a saved workflow",
    rest ? `/inference_pipelines/${rest}` : "/inference_pipelines",
  );
}
