/**
 * The route table: every route of docs/api.md with who may call it, what OpenAPI says of it, and
 * the use case that answers it. Paths use OpenAPI's syntax. Static paths win over dynamic ones;
 * among dynamic ones of one method the first match wins (router.ts).
 */
import type { Scope } from "@cvflow/store";
import { LARGE_RESPONSE_HEADER } from "@cvflow/wire";
import type { ServiceContext } from "./context.js";
import { ok, type RouteAccess } from "./http.js";
import { managementQuery } from "./management-fields.js";
import type { OpenApiOperation } from "./openapi-types.js";
import { pageRoutes } from "./page-routes.js";
import { pipelineRoutes } from "./pipeline-routes.js";
import { runRoutes, savedRunRoute } from "./run-routes.js";
import { ref } from "./schemas.js";
import { difyRoutes } from "./dialects/dify/routes.js";
import { llamaIndexRoutes } from "./dialects/llamaindex/routes.js";
import { definitionSchema } from "./use-cases/definition-schema.js";
import { describeBlocks } from "./use-cases/describe-blocks.js";
import { describeInlineInterface, describeSavedInterface } from "./use-cases/describe-interface.js";
import { abortBatchJob, batchJobResults, getBatchJob, listBatchJobs, restartBatchJob, submitBatchJob } from "./use-cases/batch-jobs.js";
import { health } from "./use-cases/health.js";
import { issueWorkflowToken } from "./use-cases/issue-token.js";
import { getWorkflow, listWorkflows, workflowVersions } from "./use-cases/read-workflows.js";
import { runInline, runSaved } from "./use-cases/run-workflow.js";
import { listTrash, restoreWorkflow } from "./use-cases/trash.js";
import { createUpload } from "./use-cases/uploads.js";
import type { RouteSpec } from "./route-spec.js";
import { validateWorkflow } from "./use-cases/validate-workflow.js";
import { createWorkflow, deleteWorkflow, forkWorkflow, updateWorkflow } from "./use-cases/write-workflows.js";


const anyone: RouteAccess = { kind: "anyone" };
const anyKey = (...scopes: Scope[]): RouteAccess => ({ kind: "key", scopes });
const workspaceKey = (...scopes: Scope[]): RouteAccess => ({ kind: "workspace", scopes });
const workflowAccess = (scope: Scope, token = false): RouteAccess => ({ kind: "workflow", scope, token });

const IF_MATCH = { "If-Match": { schema: { type: "string" }, description: "The ETag read with the workflow; a stale one is refused (412)." } };
const LARGE_RESPONSE = {
  [LARGE_RESPONSE_HEADER]: {
    schema: { type: "string", enum: ["offload", "fail"], default: "fail" },
    description: "What to do should the response pass 6 MB, as the body's `large_response`: `offload` its images to S3 as presigned URLs, or `fail` with 413.",
  },
};
const RUN_LIMITS =
  "A run has a 20 s deadline (504 `deadline_exceeded`, with `Retry-After` only when a retry can succeed). A response that would pass 6 MB is 413 `response_too_large`, unless the request asks for its images as presigned URLs (`large_response: \"offload\"`).";
const json = (description: string, schema: ReturnType<typeof ref>) => ({ description, schema });
const body = (name: string, required = true): OpenApiOperation["requestBody"] => ({ schema: ref(name), required });

export function routeTable(ctx: ServiceContext, openApi: () => Record<string, unknown>): RouteSpec[] {
  const savedRun = (operationId: string, summary: string, path: string): RouteSpec => ({
    method: "POST",
    path,
    access: workflowAccess("workflow:run", true),
    doc: {
      operationId,
      summary,
      description: `Needs \`workflow:run\` in the workspace, a workflow token for this workflow, or nothing when the workflow is public. ${RUN_LIMITS}`,
      tags: ["run"],
      headers: LARGE_RESPONSE,
      requestBody: body("SavedRunRequest", false),
      responses: { 200: json("The outputs.", ref("RunResponse")) },
    },
    handle: (request, principal) => runSaved(ctx, request, principal),
  });

  const inlineRun = (operationId: string, summary: string, path: string): RouteSpec => ({
    method: "POST",
    path,
    access: anyKey("workflow:run"),
    doc: {
      operationId,
      summary,
      description: RUN_LIMITS,
      tags: ["run"],
      headers: LARGE_RESPONSE,
      requestBody: body("InlineRunRequest"),
      responses: { 200: json("The outputs.", ref("RunResponse")) },
    },
    handle: (request, principal) => runInline(ctx, request, principal),
  });

  return [
    inlineRun("runInlineWorkflow", "Run a workflow given in the request", "/workflows/run"),
    // Static, so it wins over GET /{workspace}/workflows (which made it a 405): inference_sdk's legacy inline path.
    inlineRun("runInlineWorkflowLegacy", "Run a workflow given in the request (legacy path)", "/infer/workflows"),
    // Before every /{workspace}/… route: `/runs/{run_id}` is a run's, whatever the id.
    ...runRoutes(ctx),
    // Before every /{workspace}/… route: any path below /ui is the page's.
    ...pageRoutes(ctx),
    // Before every /{workspace}/… route: no path below /inference_pipelines is a workspace's.
    ...pipelineRoutes(ctx),
    // Before the /{workspace}/workflows/… routes: `/v1/workflows/run/{id}` is Dify's, whatever the id.
    ...difyRoutes(ctx),
    // Before the /{workspace}/… routes: `/handlers/…`, `/events/…`, `/results/…` are LlamaIndex's, whatever the id.
    ...llamaIndexRoutes(ctx),
    // Before the saved workflow's describe_interface: `/infer/workflows/a/b` is the legacy run path.
    savedRun("runSavedWorkflowLegacy", "Run a saved workflow (legacy path)", "/infer/workflows/{workspace}/{workflow_id}"),
    savedRun("runSavedWorkflow", "Run a saved workflow", "/{workspace}/workflows/{workflow_id}"),
    savedRunRoute(ctx),
    {
      method: "POST",
      path: "/workflows/validate",
      access: anyone,
      doc: {
        operationId: "validateWorkflow",
        summary: "Check a definition",
        description: "The body is the definition itself, bare or `{\"specification\": …}`. Every problem is listed in the 400's `details.errors`.",
        tags: ["definitions"],
        requestBody: body("WorkflowDefinition"),
        responses: { 200: json("The definition compiles.", ref("ValidateResponse")) },
      },
      handle: (request) => validateWorkflow(ctx, request),
    },
    {
      method: "POST",
      path: "/workflows/describe_interface",
      access: anyone,
      doc: {
        operationId: "describeInterface",
        summary: "Inputs and outputs of a definition, with their kinds",
        tags: ["definitions"],
        requestBody: body("DescribeInterfaceRequest"),
        responses: { 200: json("The interface.", ref("InterfaceDescription")) },
      },
      handle: (request) => describeInlineInterface(ctx, request),
    },
    {
      method: "POST",
      path: "/{workspace}/workflows/{workflow_id}/describe_interface",
      access: workflowAccess("workflow:read"),
      doc: {
        operationId: "describeSavedInterface",
        summary: "Inputs and outputs of a saved workflow, with their kinds",
        tags: ["definitions"],
        responses: { 200: json("The interface.", ref("InterfaceDescription")) },
      },
      handle: (request, principal) => describeSavedInterface(ctx, request, principal),
    },
    ...(["GET", "POST"] as const).map(
      (method): RouteSpec => ({
        method,
        path: "/workflows/blocks/describe",
        access: anyone,
        doc: {
          operationId: method === "GET" ? "describeBlocks" : "describeBlocksPost",
          summary: "Every block, its schema and outputs, and every kind",
          tags: ["definitions"],
          responses: { 200: json("The blocks and kinds.", ref("BlocksDescription")) },
        },
        handle: () => describeBlocks(ctx.engine),
      }),
    ),
    {
      method: "GET",
      path: "/workflows/definition/schema",
      access: anyone,
      doc: {
        operationId: "definitionSchema",
        summary: "JSON Schema of the grammar",
        tags: ["definitions"],
        responses: { 200: json("The schema.", ref("DefinitionSchema")) },
      },
      handle: () => definitionSchema(ctx.engine),
    },
    {
      method: "GET",
      path: "/health",
      access: anyone,
      doc: { operationId: "health", summary: "Liveness", tags: ["service"], responses: { 200: json("Up.", ref("Health")) } },
      handle: () => health(ctx.version),
    },
    {
      method: "GET",
      path: "/openapi.json",
      access: anyone,
      doc: {
        operationId: "openApi",
        summary: "This document",
        tags: ["service"],
        responses: { 200: json("OpenAPI 3.1.", { type: "object", additionalProperties: true }) },
      },
      handle: async () => ok(openApi()),
    },
    {
      method: "GET",
      path: "/{workspace}/workflows",
      access: workspaceKey("workflow:read"),
      doc: {
        operationId: "listWorkflows",
        summary: "The workflows of a workspace",
        tags: ["management"],
        responses: { 200: json("Without their definitions.", ref("WorkflowList")) },
      },
      handle: (request) => listWorkflows(ctx, request),
    },
    {
      method: "GET",
      path: "/{workspace}/workflows/{workflow_id}",
      access: workflowAccess("workflow:read"),
      doc: {
        operationId: "getWorkflow",
        summary: "One workflow with its definition and ETag, or one of its older versions",
        description:
          "The current version answers with its ETag (body and header), which an update carries back. An older version (`workflow_version_id`) answers `{\"workflow\"}` as that version saved it, without an ETag, in the body or the header; no such version: 404 `workflow_version_not_found`.",
        tags: ["management"],
        query: {
          workflow_version_id: { schema: { type: "string" }, description: "A version of the workflow (`GET …/versions`); the current one answers as without it." },
          workflow_version: { schema: { type: "string" }, description: "The same, by the name Roboflow's API gives it; when both are given they must agree." },
        },
        responses: { 200: { ...json("The workflow, or the version asked for.", { anyOf: [ref("TaggedWorkflow"), ref("WorkflowAtVersion")] }), etag: true } },
      },
      handle: (request, principal) => getWorkflow(ctx, request, principal),
    },
    {
      method: "GET",
      path: "/{workspace}/workflows/{workflow_id}/versions",
      access: workspaceKey("workflow:read"),
      doc: {
        operationId: "workflowVersions",
        summary: "Every saved version of a workflow, newest first",
        tags: ["management"],
        responses: { 200: json("The versions.", ref("VersionList")) },
      },
      handle: (request) => workflowVersions(ctx, request),
    },
    {
      method: "POST",
      path: "/{workspace}/createWorkflow",
      access: workspaceKey("workflow:create"),
      doc: {
        operationId: "createWorkflow",
        summary: "Save a new workflow",
        description: "A url already taken is a 409 `workflow_exists`.",
        tags: ["management"],
        requestBody: body("CreateWorkflowRequest"),
        query: managementQuery("CreateWorkflowRequest"),
        responses: { 201: { ...json("The workflow.", ref("TaggedWorkflow")), etag: true } },
      },
      handle: (request) => createWorkflow(ctx, request),
    },
    {
      method: "POST",
      path: "/{workspace}/updateWorkflow",
      access: workspaceKey("workflow:update"),
      doc: {
        operationId: "updateWorkflow",
        summary: "Save a new version of a workflow",
        tags: ["management"],
        headers: IF_MATCH,
        requestBody: body("UpdateWorkflowRequest"),
        query: managementQuery("UpdateWorkflowRequest"),
        responses: { 200: { ...json("The workflow.", ref("TaggedWorkflow")), etag: true } },
      },
      handle: (request) => updateWorkflow(ctx, request),
    },
    {
      method: "POST",
      path: "/{workspace}/forkWorkflow",
      access: workspaceKey("workflow:read", "workflow:create"),
      doc: {
        operationId: "forkWorkflow",
        summary: "Copy a workflow under a new url",
        description:
          "cvflow's form: `url` (the source, in this workspace), `new_url`, `new_name`. Roboflow's form, selected by `source_workflow`: `source_workspace` (default: this one), `source_workflow`, and the copy's `url` and `name`. Another workspace's workflow can be copied only when it is public (403 otherwise).",
        tags: ["management"],
        requestBody: body("ForkWorkflowRequest"),
        query: managementQuery("ForkWorkflowRequest"),
        responses: { 201: { ...json("The copy.", ref("TaggedWorkflow")), etag: true } },
      },
      handle: (request, principal) => forkWorkflow(ctx, request, principal),
    },
    {
      method: "DELETE",
      path: "/{workspace}/workflows/{workflow_id}",
      access: workspaceKey("workflow:update"),
      doc: {
        operationId: "deleteWorkflow",
        summary: "Move a workflow to the trash (kept 30 days)",
        tags: ["management"],
        headers: IF_MATCH,
        requestBody: body("DeleteWorkflowRequest", false),
        query: managementQuery("DeleteWorkflowRequest"),
        responses: { 200: json("Deleted.", ref("DeletedWorkflow")) },
      },
      handle: (request) => deleteWorkflow(ctx, request),
    },
    {
      method: "GET",
      path: "/{workspace}/trash",
      access: workspaceKey("workflow:read"),
      doc: {
        operationId: "listTrash",
        summary: "Deleted workflows of a workspace",
        tags: ["management"],
        responses: { 200: json("The trash.", ref("TrashList")) },
      },
      handle: (request) => listTrash(ctx, request),
    },
    {
      method: "POST",
      path: "/{workspace}/trash/restore",
      access: workspaceKey("workflow:update"),
      doc: {
        operationId: "restoreWorkflow",
        summary: "Bring a workflow back from the trash",
        description: "Name it by `url`, or as Roboflow's clients do by `{\"type\": \"workflow\", \"id\"}` (the id the trash lists). A url taken meanwhile is a 409 `workflow_exists`.",
        tags: ["management"],
        requestBody: body("RestoreWorkflowRequest"),
        query: managementQuery("RestoreWorkflowRequest"),
        responses: { 200: { ...json("The workflow, and what Roboflow's restore answers (`restored`, `type`, `id`).", ref("RestoredWorkflow")), etag: true } },
      },
      handle: (request) => restoreWorkflow(ctx, request),
    },
    {
      method: "POST",
      path: "/{workspace}/workflowToken",
      access: workspaceKey("workflow:run"),
      doc: {
        operationId: "createWorkflowToken",
        summary: "A short-lived token that may only run one workflow",
        tags: ["management"],
        requestBody: body("TokenRequest"),
        query: managementQuery("TokenRequest"),
        responses: { 200: json("The token.", ref("TokenResponse")) },
      },
      handle: (request) => issueWorkflowToken(ctx, request),
    },
    {
      method: "POST",
      path: "/batch/jobs",
      access: anyKey("workflow:run"),
      doc: {
        operationId: "submitBatchJob",
        summary: "Submit a batch job over an S3 prefix or a list of images",
        description: "Writes `batches/{job}/job.json`, which starts the batch state machine. The job runs in the API key's workspace; every problem of it is listed in a 400 `invalid_job`'s `details.errors`, each with a JSON `pointer`.",
        tags: ["batch"],
        requestBody: body("BatchJobRequest"),
        responses: { 202: json("Submitted.", ref("BatchJobSubmitted")) },
      },
      handle: (request, principal) => submitBatchJob(ctx, request, principal),
    },
    {
      method: "GET",
      path: "/batch/jobs",
      access: anyKey("workflow:run"),
      doc: {
        operationId: "listBatchJobs",
        summary: "The batch jobs of the API key's workspace, newest first",
        tags: ["batch"],
        responses: { 200: json("The jobs.", ref("BatchJobList")) },
      },
      handle: (_request, principal) => listBatchJobs(ctx, principal),
    },
    {
      method: "GET",
      path: "/batch/jobs/{id}",
      access: anyKey("workflow:run"),
      doc: {
        operationId: "getBatchJob",
        summary: "A batch job's state, counts and times",
        description: "While the job runs, `done` and `failed` count what its output holds so far. A job of another workspace is a 404 `job_not_found`.",
        tags: ["batch"],
        responses: { 200: json("The job.", ref("BatchJobStatus")) },
      },
      handle: (request, principal) => getBatchJob(ctx, request, principal),
    },
    {
      method: "GET",
      path: "/batch/jobs/{id}/results",
      access: anyKey("workflow:run"),
      doc: {
        operationId: "getBatchJobResults",
        summary: "A batch job's result files (the aggregated CSV or JSONL, failures, summary) as download links",
        description:
          "Each file written so far at the top of the job's output prefix, with its size and a presigned GET URL (an hour): a link a browser follows without the API key. A job whose output prefix is outside the service's bucket is a 409 `results_outside_bucket`; another workspace's, a 404 `job_not_found`.",
        tags: ["batch"],
        responses: { 200: json("The files.", ref("BatchJobResults")) },
      },
      handle: (request, principal) => batchJobResults(ctx, request, principal),
    },
    {
      method: "POST",
      path: "/batch/jobs/{id}/abort",
      access: anyKey("workflow:run"),
      doc: {
        operationId: "abortBatchJob",
        summary: "Stop a batch job",
        description: "Stops its execution; what was done is kept. A job that has finished is a 409 `job_finished`.",
        tags: ["batch"],
        responses: { 200: json("The job, aborted.", ref("BatchJobStatus")) },
      },
      handle: (request, principal) => abortBatchJob(ctx, request, principal),
    },
    {
      method: "POST",
      path: "/batch/jobs/{id}/restart",
      access: anyKey("workflow:run"),
      doc: {
        operationId: "restartBatchJob",
        summary: "Run a finished batch job again over what is not done",
        description: "A new execution over the same images; those with results or a failure record are skipped. A job still running is a 409 `job_running`.",
        tags: ["batch"],
        responses: { 202: json("The job, submitted again.", ref("BatchJobStatus")) },
      },
      handle: (request, principal) => restartBatchJob(ctx, request, principal),
    },
    {
      method: "POST",
      path: "/uploads",
      access: anyKey("workflow:run"),
      doc: {
        operationId: "createUpload",
        summary: "Where to PUT an image too large for a request",
        tags: ["run"],
        requestBody: body("UploadRequest", false),
        responses: { 200: json("The upload URL and the image input to use.", ref("UploadResponse")) },
      },
      handle: (request, principal) => createUpload(ctx, request, principal),
    },
  ];
}
