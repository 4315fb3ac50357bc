/**
 * The workflow a job runs: its definition (inline, or a saved one at a version), with the saved
 * workflows its inner_workflow steps name loaded in place, compiled, and checked against the job —
 * the image input it feeds, the parameters it sets. Submission checks it so that a bad job is a
 * 400 at once; Prepare resolves it once and pins it in `batches/{job}/workflow.json`, which every
 * worker call and Finalize run: every batch runs the same parent and the same children, even if
 * any of them is updated meanwhile. A restart or a resubmission runs Prepare again, which pins
 * them afresh (the parent's current version, unless the job names one; the children as they are then).
 *
 * Who may include what (the service's rule, @cvflow/engine savedWorkflowLoader): a saved workflow
 * includes its own workspace's workflows and public ones; an inline definition, the job's
 * workspace's (the workspace of the key that submitted it) and public ones.
 */
import { pointerSegment, resolveInnerWorkflows, savedWorkflowLoader, WorkflowCompileError, type CompiledWorkflow, type InnerWorkflowReference, type WorkflowEngine } from "@cvflow/engine";
import type { StoredWorkflow, WorkflowStore } from "@cvflow/store";
import { invalidJob, type JobIssue } from "./errors.js";
import type { S3BatchJobStore } from "./job-store.js";
import type { BatchJob } from "./job.js";

export interface JobWorkflowSources {
  workflows: WorkflowStore;
  engine: WorkflowEngine;
}

export interface ResolvedWorkflow {
  plan: CompiledWorkflow;
  /** The definition compiled (a video job's segments run a part of it). */
  specification: Record<string, unknown>;
  /** The saved version run; null for an inline specification. */
  versionId: string | null;
}

/** The job's workflow as it is now: the saved version the job names (else the current one), its children as they are. */
export async function resolveJobWorkflow(job: BatchJob, sources: JobWorkflowSources): Promise<ResolvedWorkflow> {
  const { workflow } = job;
  if ("specification" in workflow) {
    const specification = await withChildren(sources.workflows, workflow.specification, "/workflow/specification", (w) => w === job.workspace);
    return { plan: compiled(sources.engine, specification, "/workflow/specification", job), specification, versionId: null };
  }
  const stored = await savedWorkflow(sources.workflows, workflow, workflow.version_id);
  if (stored.workspace !== job.workspace && !stored.public) {
    throw invalidJob([{ code: "forbidden", message: `Workflow ${workflow.workspace}/${workflow.id} is neither in workspace "${job.workspace}" nor public`, pointer: "/workflow" }]);
  }
  // The root as its current version: what a child naming it without a version includes (a cycle).
  const root: InnerWorkflowReference = { workspace: stored.workspace, id: workflow.id };
  const specification = await withChildren(sources.workflows, stored.specification, "/workflow", (w) => w === stored.workspace, root);
  return { plan: compiled(sources.engine, specification, "/workflow", job), specification, versionId: stored.versionId };
}

/** What Prepare pinned for the job, compiled (the engine keeps the plan) and checked against it. */
export async function pinnedJobWorkflow(
  id: string,
  job: BatchJob,
  sources: { jobs: S3BatchJobStore; engine: WorkflowEngine },
  /** The read of workflow.json when the caller started it already (alongside job.json's). */
  reading: ReturnType<S3BatchJobStore["pinnedWorkflow"]> = sources.jobs.pinnedWorkflow(id),
): Promise<ResolvedWorkflow> {
  const pinned = await reading;
  if (pinned === undefined) throw new Error(`Job ${id} has no workflow.json: Prepare pins the workflow before any batch runs`);
  const { engine } = sources;
  const pointer = pinned.version_id === null ? "/workflow/specification" : "/workflow";
  return { plan: compiled(engine, pinned.specification, pointer, job), specification: pinned.specification, versionId: pinned.version_id };
}

async function withChildren(
  workflows: WorkflowStore,
  specification: Record<string, unknown>,
  pointer: string,
  allowed: (workspace: string) => boolean,
  root?: InnerWorkflowReference,
): Promise<Record<string, unknown>> {
  const load = savedWorkflowLoader(
    {
      current: async (workspace, id) => (await workflows.get(workspace, id))?.value,
      version: (workspace, id, versionId) => workflows.getVersion(workspace, id, versionId),
    },
    allowed,
  );
  try {
    return (await resolveInnerWorkflows(specification, load, root)) as Record<string, unknown>;
  } catch (error) {
    throw error instanceof WorkflowCompileError ? compileIssues(error, pointer) : error;
  }
}

async function savedWorkflow(workflows: WorkflowStore, reference: { workspace: string; id: string }, versionId: string | undefined): Promise<StoredWorkflow> {
  const { workspace, id } = reference;
  const stored = versionId === undefined ? (await workflows.get(workspace, id))?.value : await workflows.getVersion(workspace, id, versionId);
  if (!stored) {
    const what = versionId === undefined ? `No workflow "${id}" in workspace "${workspace}"` : `Workflow ${workspace}/${id} has no version "${versionId}"`;
    throw invalidJob([{ code: "workflow_not_found", message: what, pointer: versionId === undefined ? "/workflow" : "/workflow/version_id" }]);
  }
  return stored;
}

/** Saved workflows compiled when saved; their pointers are into the definition, kept under `pointer`. */
function compileIssues(error: WorkflowCompileError, pointer: string) {
  return invalidJob(error.issues.map((issue) => ({ code: issue.code, message: issue.message, pointer: `${pointer}${issue.pointer ?? ""}` })));
}

function compiled(engine: WorkflowEngine, specification: Record<string, unknown>, pointer: string, job: BatchJob): CompiledWorkflow {
  let plan: CompiledWorkflow;
  try {
    plan = engine.compile(specification);
  } catch (error) {
    throw error instanceof WorkflowCompileError ? compileIssues(error, pointer) : error;
  }
  const issues: JobIssue[] = [];
  const images = plan.inputs.filter((input) => input.type === "image" || input.kinds.includes("image"));
  if (!images.some((input) => input.name === job.image_input)) {
    const names = images.map((input) => `"${input.name}"`).join(", ") || "none";
    issues.push({ code: "unknown_image_input", message: `"image_input" is "${job.image_input}", but the workflow's image inputs are ${names}`, pointer: "/image_input" });
  }
  for (const other of images.filter((input) => input.name !== job.image_input)) {
    issues.push({ code: "unfed_image_input", message: `The workflow's image input "${other.name}" would get no image: a job feeds one image input`, pointer: "/image_input" });
  }
  const parameters = new Set(plan.inputs.filter((input) => input.type === "parameter").map((input) => input.name));
  for (const name of Object.keys(job.parameters)) {
    if (!parameters.has(name)) issues.push({ code: "unknown_parameter", message: `The workflow has no parameter "${name}"; its parameters: ${[...parameters].join(", ") || "none"}`, pointer: `/parameters/${pointerSegment(name)}` });
  }
  if (issues.length > 0) throw invalidJob(issues);
  return plan;
}
