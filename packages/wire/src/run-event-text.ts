/**
 * What one run event says, after its type, as the CLI (`cvflow runs events`) and the debugger page's
 * event log both print it: `detect 41 ms, 1 element, reused`. Each client writes durations its own
 * way (`duration`): the CLI in plain milliseconds, the page as a person reads them.
 */
import type { RunEventData } from "./run-records.js";

export function runEventDetail(event: RunEventData, duration: (ms: number) => string): string {
  switch (event.type) {
    case "run_queued":
      return "";
    case "run_started":
      return `attempt ${event.attempt}`;
    case "step_started":
      return `${event.step} (${event.block})`;
    case "step_finished":
      return `${event.step} ${duration(event.durationMs)}, ${event.elements} element${event.elements === 1 ? "" : "s"}${event.skipped ? `, ${event.skipped} skipped` : ""}${event.reused ? ", reused" : ""}`;
    case "step_failed":
      return `${event.step} ${duration(event.durationMs)} ${event.error.code}: ${event.error.message}`;
    case "input_required":
      return `${event.request.step}: ${event.request.prompt} (answer schema ${JSON.stringify(event.request.schema)})`;
    case "input_received":
      return `${event.step}: ${JSON.stringify(event.answer)}`;
    case "run_finished":
      return `${event.status} ${duration(event.elapsedMs)}${event.error ? ` ${event.error.code}: ${event.error.message}` : ""}`;
  }
}
