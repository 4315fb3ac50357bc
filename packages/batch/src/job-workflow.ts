/**
 * The workflow a job runs: its definition (inline, or a saved one at a pinned version), compiled,
 * and checked against the job — the image input it feeds, the parameters it sets. Submission
 * checks it so that a bad job is a 400 at once; Prepare pins the saved version, so every batch
 * runs the same one even if the workflow is updated meanwhile.
 */
import { WorkflowCompileError, type CompiledWorkflow, type WorkflowEngine } from "@cvflow/engine";
import type { StoredWorkflow, WorkflowStore } from "@cvflow/store";
import { invalidJob, type JobIssue } from "./errors.js";
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

/** `pinnedVersion`: the version Prepare chose; it wins over the current one. */
export async function resolveJobWorkflow(job: BatchJob, sources: JobWorkflowSources, pinnedVersion: string | null = null): Promise<ResolvedWorkflow> {
  const { workflow } = job;
  if ("specification" in workflow) return { plan: compiled(sources.engine, workflow.specification, "/workflow/specification", job), specification: workflow.specification, versionId: null };
  const stored = await savedWorkflow(sources.workflows, workflow, pinnedVersion ?? workflow.version_id);
  if (stored.workspace !== job.workspace && !stored.public) {
    throw invalidJob([{ code: "forbidden", message: `Workflow ${workflow.workspace}/${workflow.id} is neither in workspace "${job.workspace}" nor public`, pointer: "/workflow" }]);
  }
  return { plan: compiled(sources.engine, stored.specification, "/workflow", job), specification: stored.specification, versionId: stored.versionId };
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

function compiled(engine: WorkflowEngine, specification: Record<string, unknown>, pointer: string, job: BatchJob): CompiledWorkflow {
  let plan: CompiledWorkflow;
  try {
    plan = engine.compile(specification);
  } catch (error) {
    if (!(error instanceof WorkflowCompileError)) throw error;
    // Saved workflows compiled when saved; their pointers are into the definition, kept under `/workflow`.
    throw invalidJob(error.issues.map((issue) => ({ code: issue.code, message: issue.message, pointer: `${pointer}${issue.pointer ?? ""}` })));
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

/** RFC 6901: `~` and `/` escaped inside a segment. */
function pointerSegment(name: string): string {
  return name.replaceAll("~", "~0").replaceAll("/", "~1");
}
