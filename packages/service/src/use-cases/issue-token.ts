/** `POST /{workspace}/workflowToken`: a short-lived credential that may only run one workflow. */
import type { TokenResponse } from "@cvflow/wire";
import { workflowNotFound } from "@cvflow/store";
import { optionalInteger, requiredString } from "../body.js";
import type { ServiceContext } from "../context.js";
import { tokensNotConfigured } from "../errors.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";
import { managementFields } from "../management-fields.js";
import { DEFAULT_TOKEN_TTL_SECONDS, MAX_TOKEN_TTL_SECONDS } from "../workflow-tokens.js";

export async function issueWorkflowToken(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  if (!ctx.tokens) throw tokensNotConfigured();
  const workspace = request.pathParameters["workspace"] ?? "";
  const fields = managementFields(request, "TokenRequest");
  const url = requiredString(fields, "url");
  const ttl = optionalInteger(fields, "ttl_seconds", 1, MAX_TOKEN_TTL_SECONDS) ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!(await ctx.saved.current(workspace, url))) throw workflowNotFound(workspace, url);
  const { token, claims } = ctx.tokens.issue(workspace, url, ttl);
  return ok({ token, expires_at: new Date(claims.expiresAt * 1000).toISOString() } satisfies TokenResponse);
}
