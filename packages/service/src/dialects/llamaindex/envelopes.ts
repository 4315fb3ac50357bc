/**
 * Run events as LlamaIndex's events: their envelope `{value, qualified_name, type, types}` (types:
 * the class's Event superclasses, null when none), with the classes of `workflows.events` their
 * clients match on. A step's start and end are StepStateChanged (internal: only with
 * `include_internal=true`); a `wait_for_input` step asks with an InputRequiredEvent; the run ends
 * with a StopEvent (`result`: the outputs) or one of its subclasses for failure, time-out, cancel.
 * Fields cvflow adds (a step's block and timings, the error's code) are extra keys their
 * clients ignore.
 */
import type { RunEvent, RunRecord } from "@cvflow/runs";

export interface EventEnvelope {
  value: Record<string, unknown>;
  qualified_name: string | null;
  type: string;
  types: string[] | null;
}

const INTERNAL = "InternalDispatchEvent";
const STOP = "StopEvent";

function envelope(type: string, value: Record<string, unknown>, types: string[] | null = null): EventEnvelope {
  return { value, qualified_name: `workflows.events.${type}`, type, types };
}

/** Whether a reader asked to leave internal events out drops it (as their server: by its types). */
export function isInternal(event: EventEnvelope): boolean {
  return event.type === INTERNAL || (event.types?.includes(INTERNAL) ?? false);
}

/** The event that ends a stream: a StopEvent or a subclass. */
export function isStop(event: EventEnvelope): boolean {
  return event.type === STOP || (event.types?.includes(STOP) ?? false);
}

/** A completed run's result: `value.result` holds the outputs (one object per input image). */
export function stopEvent(outputs: unknown): EventEnvelope {
  return envelope(STOP, { result: outputs ?? null });
}

/**
 * The envelope of one run event, or undefined for events their protocol has no class for
 * (queued, started, an answer received). `final` is the record as the run ended and its outputs:
 * what a `run_finished` event's StopEvent carries.
 */
export function eventEnvelope(event: RunEvent, final?: { record: RunRecord; outputs: unknown }): EventEnvelope | undefined {
  switch (event.type) {
    case "step_started":
      return stepState(event.step, "running", { block: event.block });
    case "step_finished":
      return stepState(event.step, "not_running", {
        block: event.block,
        duration_ms: event.durationMs,
        elements: event.elements,
        skipped: event.skipped,
        ...(event.reused ? { reused: true } : {}),
      });
    case "step_failed":
      return stepState(event.step, "not_running", { block: event.block, duration_ms: event.durationMs, error: { code: event.error.code, message: event.error.message } });
    case "input_required": {
      const { request } = event;
      return envelope("InputRequiredEvent", {
        prompt: request.prompt,
        step: request.step,
        answer_schema: request.schema,
        ...(request.data === undefined ? {} : { data: request.data }),
        requested_at: request.requestedAt,
        ...(request.expiresAt === undefined ? {} : { expires_at: request.expiresAt }),
      });
    }
    case "run_finished":
      return finalEnvelope(event, final);
    default:
      return undefined;
  }
}

function stepState(name: string, state: "running" | "not_running", extra: Record<string, unknown>): EventEnvelope {
  return envelope("StepStateChanged", { name, step_state: state, worker_id: "", input_event_name: "", output_event_name: null, ...extra }, [INTERNAL]);
}

function finalEnvelope(event: Extract<RunEvent, { type: "run_finished" }>, final: { record: RunRecord; outputs: unknown } | undefined): EventEnvelope {
  const elapsedSeconds = event.elapsedMs / 1000;
  switch (event.status) {
    case "succeeded":
      return stopEvent(final?.outputs);
    case "cancelled":
      return envelope("WorkflowCancelledEvent", {}, [STOP]);
    case "timed_out":
      return envelope(
        "WorkflowTimedOutEvent",
        {
          timeout: (final?.record.limitMs ?? event.elapsedMs) / 1000,
          active_steps: final?.record.steps.filter((s) => s.status === "running" || s.status === "waiting").map((s) => s.name) ?? [],
        },
        [STOP],
      );
    case "failed": {
      const failed = final?.record.steps.find((step) => step.status === "failed");
      const message = event.error?.message ?? "The run failed";
      return envelope(
        "WorkflowFailedEvent",
        {
          step_name: failed?.name ?? "",
          // Their SerializableException; a builtin type, so that their client rebuilds it.
          exception: { exception_type: "builtins.RuntimeError", exception_message: message },
          attempts: failed?.attempts ?? null,
          elapsed_seconds: elapsedSeconds,
          ...(event.error ? { error: { code: event.error.code, message: event.error.message } } : {}),
        },
        [STOP],
      );
    }
  }
}
