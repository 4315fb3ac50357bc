/**
 * The S3 trigger: each `batches/{job}/job.json` created starts one execution, named after the job
 * and the event's sequencer — S3 may deliver an event twice (one execution), while uploading the
 * job again is a new event (a new execution, whose workers skip what is done).
 */
import type { S3Event } from "aws-lambda";
import { executionName, type BatchExecutions } from "./executions.js";
import { jobOfJobKey } from "./layout.js";

export interface TriggerResult {
  /** Execution names started, and those that existed already. */
  started: string[];
  existing: string[];
  /** Keys that are not jobs of this bucket. */
  ignored: string[];
}

export function createTrigger(deps: { executions: BatchExecutions; bucket: string }): (event: S3Event) => Promise<TriggerResult> {
  return async (event) => {
    const result: TriggerResult = { started: [], existing: [], ignored: [] };
    const failures: unknown[] = [];
    for (const record of event.Records ?? []) {
      // S3 sends keys URL-encoded, spaces as "+".
      const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
      const job = jobOfJobKey(key);
      if (!record.eventName.startsWith("ObjectCreated:") || record.s3.bucket.name !== deps.bucket || job === undefined) {
        result.ignored.push(key);
        continue;
      }
      const name = executionName(job, record.s3.object.sequencer ?? record.s3.object.eTag ?? String(Date.now()));
      try {
        const { started } = await deps.executions.start(name, { job, bucket: deps.bucket });
        (started ? result.started : result.existing).push(name);
      } catch (error) {
        failures.push(error);
      }
    }
    // Failing the invocation makes S3's asynchronous delivery try again (only the missing ones start).
    if (failures.length > 0) throw failures.length === 1 ? failures[0] : new AggregateError(failures, `${failures.length} jobs could not be started`);
    return result;
  };
}
