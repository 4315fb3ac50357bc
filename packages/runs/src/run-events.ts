/**
 * A run's events: an append-only log, numbered from 1 per run. The shapes live in @cvflow/wire
 * (run-records.ts), shared with the SDK and CLI; add event types there.
 */
export { isFinalEvent } from "@cvflow/wire";
export type { RunEventData, RunEventType, RunEvent } from "@cvflow/wire";
