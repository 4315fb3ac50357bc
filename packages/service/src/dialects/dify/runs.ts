/** What every Dify route needs of runs: the service's runs, and a run's events as Dify's SSE stream. */
import type { RunRecord, Runs } from "@cvflow/runs";
import type { ServiceContext } from "../../context.js";
import { runsOf } from "../../run-access.js";
import { sseResponse } from "../../event-stream.js";
import type { ServiceRequest, StreamResponse } from "../../http.js";
import { difyChunks } from "./events.js";
import { RUN_ID_HEADER } from "@cvflow/wire";
import { difyTaskId, TASK_ID_HEADER } from "./views.js";

/** Dify sends `event: ping` every 10 s while a stream has nothing else to say. */
const PING_MS = 10_000;

/** The service's runs, which every Dify route needs; 501 `runs_not_configured` without them. */
export function difyRuns(ctx: ServiceContext): Runs {
  return runsOf(ctx, "This deployment keeps no run records, so Dify's workflow API is not available on it");
}

/** The run's chunks after sequence number `after`, until workflow_finished; the caller leaving ends the stream, never the run. */
export function difyEventStream(runs: Runs, record: RunRecord, after: number, request: ServiceRequest): StreamResponse {
  const response = sseResponse(difyChunks(runs, record, { after, signal: request.streamSignal, requestId: request.requestId }), {
    signal: request.streamSignal,
    requestId: request.requestId,
    heartbeatMs: PING_MS,
    heartbeat: "event: ping\n\n",
  });
  return { ...response, headers: { ...response.headers, [TASK_ID_HEADER]: difyTaskId(record), [RUN_ID_HEADER]: record.id } };
}
