/**
 * Batch jobs over HTTP (docs/batch.md): `POST /batch/jobs` writes the job (the S3 trigger starts
 * it), the others read, abort and restart the jobs of the API key's workspace.
 */
import { batchNotConfigured, type BatchJobs, type JobStatus } from "@cvflow/batch";
import type { BatchJobList, BatchJobResults, BatchJobStatus, BatchJobSubmitted } from "@cvflow/wire";
import type { Principal } from "../auth.js";
import { bodyObject } from "../body.js";
import type { ServiceContext } from "../context.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";

export async function submitBatchJob(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const status = await jobsOf(ctx).submit(workspaceOf(principal), { ...bodyObject(request.body) });
  return { statusCode: 202, body: { job: status.job, state: status.state } satisfies BatchJobSubmitted };
}

export async function listBatchJobs(ctx: ServiceContext, principal: Principal): Promise<ServiceResponse> {
  return ok({ jobs: (await jobsOf(ctx).list(workspaceOf(principal))).map(view) } satisfies BatchJobList);
}

export async function getBatchJob(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  return ok(view(await jobsOf(ctx).get(workspaceOf(principal), request.pathParameters["id"] ?? "")));
}

/** The job's result files as presigned GET URLs: links the debugger page offers for download, no API key in them. */
export async function batchJobResults(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const { status, files } = await jobsOf(ctx).results(workspaceOf(principal), request.pathParameters["id"] ?? "");
  const presigned = await Promise.all(files.map(async ({ name, key, size }) => ({ name, size, url: await ctx.blobs.presignGet(key) })));
  return ok({ job: status.job, state: status.state, files: presigned } satisfies BatchJobResults);
}

export async function abortBatchJob(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  return ok(view(await jobsOf(ctx).abort(workspaceOf(principal), request.pathParameters["id"] ?? "")));
}

export async function restartBatchJob(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  return { statusCode: 202, body: view(await jobsOf(ctx).restart(workspaceOf(principal), request.pathParameters["id"] ?? "")) };
}

/** The status as the API shows it: without the bookkeeping only Prepare reads. */
function view(status: JobStatus): BatchJobStatus {
  const { input_fingerprint: _fingerprint, ...shown } = status;
  return shown;
}

function jobsOf(ctx: ServiceContext): BatchJobs {
  if (!ctx.batch) throw batchNotConfigured("Batch jobs are not configured on this deployment");
  return ctx.batch;
}

/** The routes take API keys only (their access is `key`), so the principal has a workspace. */
function workspaceOf(principal: Principal): string {
  if (principal.type !== "key") throw new Error("batch routes need an API key");
  return principal.workspace;
}
