export * from "./run-record.js";
export * from "./run-events.js";
export * from "./runs.js";
export { RunStore, type RunFilter, type RunPage, type IdempotencyClaim } from "./run-store.js";
export { EventLog, EventWriter, type EventLogOptions, type FollowOptions } from "./event-log.js";
export { runKeys, isRunId, RUNS_PREFIX } from "./layout.js";
