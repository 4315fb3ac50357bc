/**
 * One segment of an async run, as the durable handler runs it (durable-run.ts): executeRun over
 * the request the run was started with (runs/{id}/request.json), with the run's step checkpoints
 * in S3 (finished steps are restored, not run again) and a `humanInput` service that answers a
 * `wait_for_input` step from the record's answers, or asks (InputRequired) when it has none.
 */
import { InputRequired, type HumanInput, type HumanInputRequest } from "@cvflow/engine";
import type { DurableRunDeps } from "./durable-run.js";
import { executeRun, type ExecuteRunDeps } from "./execute-run.js";
import type { RunRecord } from "./run-record.js";
import { S3StepCheckpoints } from "./s3-step-checkpoints.js";
import { readRunRequest } from "./stored-request.js";

export interface DurableSegmentDeps extends ExecuteRunDeps {
  /**
   * The JSON form of what a `wait_for_input` step shows (its `data`: detections, images, any
   * value), as the run's outputs would carry it. Default: the value as it is (plain JSON).
   */
  serialize?: (value: unknown) => Promise<unknown>;
}

export function durableSegment(deps: DurableSegmentDeps): DurableRunDeps["segment"] {
  return async (record, { attempt, startsAttempt, signal }) => {
    const request = await readRunRequest(deps.store, record.id);
    if (!request) throw new Error(`run ${record.id} has no stored request (runs/${record.id}/request.json)`);
    return executeRun(deps, {
      record,
      workflow: request.workflow,
      inputs: request.inputs,
      excludedFields: request.excludedFields,
      disableSinks: request.disableSinks,
      attempt,
      startsAttempt,
      signal,
      hooks: {
        checkpoints: new S3StepCheckpoints(deps.store.client, deps.store.bucket, record.id),
        services: { humanInput: recordAnswers(record, deps.serialize) },
      },
    });
  };
}

/** Answers from the record as the segment began; a step without one asks, its `data` in JSON. */
export function recordAnswers(record: RunRecord, serialize: (value: unknown) => Promise<unknown> = async (value) => value): HumanInput {
  return {
    async requestInput(request: HumanInputRequest): Promise<unknown> {
      if (record.answers !== undefined && Object.hasOwn(record.answers, request.step)) return record.answers[request.step];
      const asked: HumanInputRequest = { ...request };
      if (request.data === undefined) delete asked.data;
      else asked.data = await serialize(request.data);
      throw new InputRequired(asked);
    },
  };
}
