/**
 * The engine of the commands that run workflows in this process (process-directory,
 * process-video): the models installed here, and for the blocks that call out the same
 * environment a deployment reads — CVFLOW_URL_ALLOW_HOSTS (what is not public but may be reached),
 * CVFLOW_<PROVIDER>_BASE_URL — with local_file_sink writing under CVFLOW_LOCAL_FILE_ROOT or the
 * current folder. s3_sink has no deployment bucket here: it answers service_unavailable.
 */
import { createWorkflowEngine, endpointsFromEnv, type Egress } from "@cvflow/blocks";
import type { WorkflowEngine } from "@cvflow/engine";
import { createVisionModels, parseUrlAllowList } from "@cvflow/vision";

export function localEgress(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Egress {
  const allowList = parseUrlAllowList(env["CVFLOW_URL_ALLOW_HOSTS"]);
  return {
    urlPolicy: allowList ? { allowList } : {},
    endpoints: endpointsFromEnv(env),
    localFileRoot: env["CVFLOW_LOCAL_FILE_ROOT"] || cwd,
  };
}

export function localEngine(): WorkflowEngine {
  return createWorkflowEngine({ models: createVisionModels(), egress: localEgress() });
}
