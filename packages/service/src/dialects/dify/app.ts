/**
 * Which workflow a Dify request runs. Dify binds an API key to one app and its clients send only
 * `Authorization: Bearer <key>` to a base URL they are configured with (`https://api.dify.ai/v1`
 * or a self-hosted `http://host/v1`). cvflow gives each saved workflow such a base URL:
 *
 *   {server}/{workspace}/workflows/{workflow_id}/dify/v1   any credential that may run the workflow
 *                                                          (an API key of the workspace with
 *                                                          workflow:run, or a workflow token for it)
 *   {server}/v1                                            a workflow token: it names its workflow
 *
 * The app's runs and files are those of the caller's workspace for this workflow; `user` narrows
 * them further. Every Dify request carries a credential, as Dify's do: none is a 401 even on a
 * public workflow (a run's `user` is whoever the credential's holder says it is, so runs without
 * a credential would be anybody's).
 */
import { WorkflowError } from "@cvflow/engine";
import type { Principal } from "../../auth.js";
import type { ServiceContext } from "../../context.js";
import { unauthorized } from "../../errors.js";
import type { ServiceRequest } from "../../http.js";
import type { SavedWorkflow } from "../../saved-workflows.js";
import { accessibleWorkflow } from "../../workflow-access.js";
import { appUnavailable } from "./errors.js";

export interface DifyApp {
  /** The workflow's workspace and url. */
  workspace: string;
  url: string;
  saved: SavedWorkflow;
  /** Whose runs and files these are: the caller's workspace. */
  caller: string;
}

/** The two base paths of the dialect; the routes hang below both. */
export const DIFY_BASES = ["/{workspace}/workflows/{workflow_id}/dify/v1", "/v1"] as const;

export async function difyApp(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<DifyApp> {
  if (principal.type === "anonymous") throw unauthorized("Send the key as `Authorization: Bearer <API key or workflow token>`");
  let { workspace, workflow_id: url } = request.pathParameters;
  if (workspace === undefined || url === undefined) {
    if (principal.type !== "token") {
      throw unauthorized(
        "On /v1 the credential names the workflow: send a workflow token (POST /{workspace}/workflowToken), or use the workflow's own base URL /{workspace}/workflows/{workflow_id}/dify/v1 with an API key",
      );
    }
    ({ workspace, workflow: url } = principal);
  }
  let saved: SavedWorkflow;
  try {
    saved = await accessibleWorkflow(ctx, principal, workspace, url, "workflow:run", { token: true, useCache: true });
  } catch (error) {
    throw error instanceof WorkflowError && error.code === "workflow_not_found" ? appUnavailable(workspace, url) : error;
  }
  return { workspace, url, saved, caller: principal.workspace };
}
