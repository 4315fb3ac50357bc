/**
 * A run as LlamaIndex's workflow server shows it: the handler object (their HandlerData) and its
 * HTTP status. Their statuses have no queued or waiting: a run that has not finished is
 * "running" (a waiting run has emitted an InputRequiredEvent); a timed-out run is "failed".
 */
import type { RunRecord, RunStatus } from "@cvflow/runs";
import { stopEvent, type EventEnvelope } from "./envelopes.js";

export type HandlerStatus = "running" | "completed" | "failed" | "cancelled";

const HANDLER_STATUS: Record<RunStatus, HandlerStatus> = {
  queued: "running",
  running: "running",
  waiting: "running",
  succeeded: "completed",
  failed: "failed",
  timed_out: "failed",
  cancelled: "cancelled",
};

export function handlerStatus(status: RunStatus): HandlerStatus {
  return HANDLER_STATUS[status];
}

/** The run statuses a handler status stands for (the `status` filter of GET /handlers). */
export function runStatusesOf(status: HandlerStatus): RunStatus[] {
  return (Object.keys(HANDLER_STATUS) as RunStatus[]).filter((s) => HANDLER_STATUS[s] === status);
}

export function isHandlerStatus(value: string): value is HandlerStatus {
  return value === "running" || value === "completed" || value === "failed" || value === "cancelled";
}

export interface Handler {
  handler_id: string;
  workflow_name: string;
  run_id: string | null;
  status: HandlerStatus;
  started_at: string;
  updated_at: string | null;
  completed_at: string | null;
  error: string | null;
  /** The StopEvent carrying the outputs; only on a completed handler, as theirs. */
  result: EventEnvelope | null;
}

/** `outputs`: the run's outputs when it succeeded (Runs.outputs), else undefined. */
export function handlerOf(record: RunRecord, outputs: unknown): Handler {
  const status = handlerStatus(record.status);
  return {
    handler_id: record.id,
    workflow_name: record.workflow.name,
    run_id: record.id,
    status,
    // When the handler was asked for, as theirs: an async run's start may come a moment later.
    started_at: record.createdAt,
    updated_at: updatedAt(record),
    completed_at: status === "running" ? null : (record.finishedAt ?? null),
    error: status === "failed" ? (record.error?.message ?? record.status) : null,
    result: status === "completed" ? stopEvent(outputs) : null,
  };
}

/** 200 completed, 202 still running, 500 failed or cancelled: what GET /handlers/{id} answers. */
export function handlerHttpStatus(handler: Handler): number {
  if (handler.status === "completed") return 200;
  return handler.status === "running" ? 202 : 500;
}

/** The latest time the record names: when it last changed, as far as its timestamps tell. */
function updatedAt(record: RunRecord): string {
  const times = [
    record.createdAt,
    record.startedAt,
    record.finishedAt,
    record.cancelRequestedAt,
    record.waitingFor?.requestedAt,
    ...record.steps.flatMap((step) => [step.startedAt, step.finishedAt]),
  ].filter((time): time is string => time !== undefined);
  return times.reduce((latest, time) => (Date.parse(time) > Date.parse(latest) ? time : latest));
}
