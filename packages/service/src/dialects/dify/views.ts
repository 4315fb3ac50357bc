/**
 * A run as Dify shows it: statuses in Dify's words, times in Unix seconds, elapsed time in
 * seconds, the outputs as one object. These are views of the run's record (packages/runs);
 * nothing is kept in Dify's shape.
 */
import type { RunRecord, RunStatus } from "@cvflow/runs";

export type DifyStatus = "running" | "paused" | "succeeded" | "failed" | "stopped";

const STATUS: Readonly<Record<RunStatus, DifyStatus>> = {
  queued: "running",
  running: "running",
  // Dify's newest versions pause a run that waits for a person (`paused`); it resumes where it waited.
  waiting: "paused",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "stopped",
  // Dify has no timeout status: the run failed, and its error says it ran out of time.
  timed_out: "failed",
};

export function difyStatus(status: RunStatus): DifyStatus {
  return STATUS[status];
}

/** The run statuses a Dify status filter means. */
export function runStatusesOf(status: DifyStatus): RunStatus[] {
  return (Object.keys(STATUS) as RunStatus[]).filter((runStatus) => STATUS[runStatus] === status);
}

export function unixSeconds(iso: string | undefined): number | null {
  return iso === undefined ? null : Math.floor(Date.parse(iso) / 1000);
}

/** The header that tells a blocking caller its run's task id while the run still runs (docs/runs.md). */
export const TASK_ID_HEADER = "x-cvflow-task-id";

/**
 * Dify's task id: what `POST /workflows/tasks/{task_id}/stop` takes. The run id and the record's
 * own task id, so that a stop finds its run without an index and a run id alone stops nothing.
 */
export function difyTaskId(record: RunRecord): string {
  return `${record.id}.${record.taskId}`;
}

/** The run id a Dify task id names (undefined when it is not one). */
export function runIdOfTask(taskId: string): { runId: string; taskId: string } | undefined {
  const dot = taskId.indexOf(".");
  return dot > 0 ? { runId: taskId.slice(0, dot), taskId: taskId.slice(dot + 1) } : undefined;
}

/**
 * The outputs as Dify's one object: a run over one image gives its outputs; a run over a batch
 * gives each output's values as a list, in the order of the images.
 */
export function difyOutputs(outputs: readonly Record<string, unknown>[] | undefined): Record<string, unknown> {
  if (!outputs || outputs.length === 0) return {};
  if (outputs.length === 1) return outputs[0]!;
  const names = [...new Set(outputs.flatMap((element) => Object.keys(element)))];
  return Object.fromEntries(names.map((name) => [name, outputs.map((element) => element[name] ?? null)]));
}

function errorText(record: RunRecord): string | null {
  if (record.error) return record.error.message;
  if (record.status === "timed_out") return `The run did not finish within its limit of ${record.limitMs} ms`;
  return null;
}

/** What every Dify view of a run says of its state: status, error, times, counts. */
function runState(record: RunRecord) {
  return {
    status: difyStatus(record.status),
    error: errorText(record),
    elapsed_time: (record.elapsedMs ?? 0) / 1000,
    // Vision workflows spend no language-model tokens.
    total_tokens: 0,
    total_steps: record.totalSteps,
    created_at: unixSeconds(record.createdAt),
    finished_at: unixSeconds(record.finishedAt),
  };
}

/** The `data` of a blocking answer and of `workflow_finished`: the run's state now. */
export function runData(record: RunRecord, outputs: readonly Record<string, unknown>[] | undefined) {
  return {
    id: record.id,
    workflow_id: workflowId(record),
    ...runState(record),
    outputs: record.status === "queued" || record.status === "running" ? null : difyOutputs(outputs),
  };
}

/** The blocking answer of `POST /workflows/run`. */
export function blockingBody(record: RunRecord, outputs: readonly Record<string, unknown>[] | undefined) {
  return { task_id: difyTaskId(record), workflow_run_id: record.id, data: runData(record, outputs) };
}

/** `GET /workflows/run/{id}`: the run with its inputs (their one-line summaries: cvflow keeps no image bytes in a record). */
export function runDetail(record: RunRecord, outputs: readonly Record<string, unknown>[] | undefined) {
  const { id, workflow_id, status, outputs: out, error, total_steps, total_tokens, created_at, finished_at, elapsed_time } = runData(record, outputs);
  return { id, workflow_id, status, inputs: record.inputsSummary, outputs: out, error, total_steps, total_tokens, created_at, finished_at, elapsed_time, task_id: difyTaskId(record) };
}

/** One entry of `GET /workflows/logs`; `workflow_run.task_id` is cvflow's addition (what stops a running run). */
export function logEntry(record: RunRecord) {
  const user = record.startedBy.user ?? "";
  return {
    id: record.id,
    workflow_run: {
      id: record.id,
      version: record.workflow.versionId ?? "",
      ...runState(record),
      task_id: difyTaskId(record),
    },
    created_from: "service-api",
    created_by_role: "end_user",
    created_by_account: null,
    created_by_end_user: { id: user, type: "service_api", is_anonymous: false, session_id: user },
    created_at: unixSeconds(record.createdAt),
  };
}

/** Dify's workflow id is the id of the published version that ran. */
export function workflowId(record: RunRecord): string {
  return record.workflow.versionId ?? record.workflow.id ?? record.workflow.name;
}
