/**
 * A run's events as Dify's stream chunks (`data: {"event": …, "task_id", "workflow_run_id",
 * "data": …}`): run_started -> workflow_started, step_started -> node_started, step_finished and
 * step_failed -> node_finished (status, elapsed time, and the step's outputs summarised as its
 * element counts), input_required -> workflow_paused (a `wait_for_input` step waits for a person),
 * run_finished -> workflow_finished with the run's outputs. Each chunk carries the event's
 * sequence number as its SSE `id:`, so that a reader resumes after the last one it saw.
 */
import type { RunEvent, RunRecord, Runs } from "@cvflow/runs";
import { errorResponse } from "../../errors.js";
import type { StreamEvent } from "../../event-stream.js";
import { difyErrorBody } from "./errors.js";
import { difyTaskId, runData, unixSeconds, workflowId } from "./views.js";

interface NodeState {
  /** Dify's `index`: the node's place in the order nodes started, from 1. */
  index: number;
  startedAt: string;
}

export interface DifyStreamOptions {
  /** Chunks of events up to this sequence number are not sent (the reader has them). */
  after: number;
  signal: AbortSignal;
  requestId: string;
}

/**
 * The run's chunks from its first event (those up to `after` are read but not sent: a node's
 * index counts from the run's start) until workflow_finished or the signal. A failure while
 * following ends the stream with Dify's `error` chunk.
 */
export async function* difyChunks(runs: Runs, record: RunRecord, options: DifyStreamOptions): AsyncGenerator<StreamEvent> {
  const envelope = { task_id: difyTaskId(record), workflow_run_id: record.id };
  const nodes = new Map<string, NodeState>();
  try {
    for await (const event of runs.events.follow(record.id, 0, { signal: options.signal })) {
      const chunk = await chunkOf(event, record, nodes, runs);
      if (chunk && event.sequence > options.after) yield { id: event.sequence, data: { event: chunk.event, ...envelope, data: chunk.data } };
    }
  } catch (error) {
    if (options.signal.aborted) return;
    yield { data: { event: "error", ...envelope, ...difyErrorBody(errorResponse(error, options.requestId).body) } };
  }
}

async function chunkOf(event: RunEvent, record: RunRecord, nodes: Map<string, NodeState>, runs: Runs): Promise<{ event: string; data: unknown } | undefined> {
  const at = unixSeconds(event.at);
  switch (event.type) {
    case "run_started":
      return { event: "workflow_started", data: { id: record.id, workflow_id: workflowId(record), inputs: record.inputsSummary, created_at: at, attempt: event.attempt } };
    case "step_started": {
      const node = { index: nodes.size + 1, startedAt: event.at };
      nodes.set(event.step, node);
      return { event: "node_started", data: { ...nodeOf(record, event.step, event.block, node), inputs: null, created_at: at } };
    }
    case "step_finished":
    case "step_failed": {
      const node = nodes.get(event.step) ?? { index: nodes.size + 1, startedAt: event.at };
      const failed = event.type === "step_failed";
      return {
        event: "node_finished",
        data: {
          ...nodeOf(record, event.step, event.block, node),
          inputs: null,
          process_data: null,
          outputs: failed ? null : { elements: event.elements, skipped: event.skipped, ...(event.reused ? { reused: true } : {}) },
          status: failed ? "failed" : "succeeded",
          error: failed ? event.error.message : null,
          elapsed_time: event.durationMs / 1000,
          execution_metadata: null,
          created_at: unixSeconds(node.startedAt),
          finished_at: at,
        },
      };
    }
    case "input_required": {
      const { request } = event;
      return {
        event: "workflow_paused",
        data: {
          workflow_run_id: record.id,
          paused_nodes: [request.step],
          outputs: {},
          reasons: [
            {
              type: "human_input_required",
              node_id: request.step,
              node_title: request.step,
              form_content: request.prompt,
              // cvflow's: the JSON Schema of the answer, what the step shows, and where to answer (POST /runs/{id}/input).
              answer_schema: request.schema,
              data: request.data ?? null,
              expiration_time: unixSeconds(request.expiresAt),
            },
          ],
          status: "paused",
          created_at: unixSeconds(record.createdAt),
        },
      };
    }
    case "run_finished": {
      const finished = (await runs.get(record.id)) ?? record;
      return { event: "workflow_finished", data: runData(finished, await runs.outputs(finished)) };
    }
    default:
      return undefined;
  }
}

function nodeOf(record: RunRecord, step: string, block: string, node: NodeState) {
  return { id: `${record.id}:${step}`, node_id: step, node_type: block, title: step, index: node.index, predecessor_node_id: null };
}
