/**
 * A run's record. The shapes live in @cvflow/wire (run-records.ts), so the SDK and CLI read the
 * same JSON the service sends without depending on this package; add fields there.
 */
export { RUN_STATUSES, FINISHED_STATUSES, isFinished } from "@cvflow/wire";
export type {
  RunStatus,
  StepStatus,
  StepRecord,
  RunError,
  RunAttempt,
  InputRequest,
  WebhookDelivery,
  WorkflowReference,
  RunRecord,
} from "@cvflow/wire";
