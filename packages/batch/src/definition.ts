/**
 * The batch state machine (docs/batch.md), as JSONPath ASL, and the values the deployment shares
 * with it: the batch package's contract with infra and the local stack, exported as
 * `@cvflow/batch/definition`. A plain module — no SST, and no import but the bucket layout's — so
 * that infra/batch.ts (bundled by SST), the local runner and the tests all build the very same
 * definition without loading the rest of the package.
 *
 *   Prepare ──▶ ProcessImages (Distributed Map) ──▶ Finalize
 *                       └──── Catch (States.ALL) ───────┘
 */

import { BATCHES_PREFIX } from "./layout.js";

/** Where jobs live and what starts them: the S3 notification filters `batches/` … `/job.json`. */
export const BATCH_TRIGGER = { prefix: BATCHES_PREFIX, suffix: "/job.json" } as const;

/**
 * Lambda timeouts, in seconds. Each Task's TimeoutSeconds equals its function's timeout: the
 * worker reads its own deadline from the Lambda context and stops before it (throwing
 * cvflow.TransientError, so the batch is retried over what is left), States.Timeout is the backstop.
 * The worker's is short enough that its attempts and their waits fit an Express child's 5 minutes
 * (EXPRESS_CHILD_LIMIT_SECONDS): 3 × 90 s + at most 3 s + 15 s of backoff = 288 s.
 */
export const BATCH_TIMEOUTS = { prepareSeconds: 300, workerSeconds: 90, finalizeSeconds: 900 } as const;

/** The longest an Express workflow may run, retries and their waits included (a Step Functions quota). */
export const EXPRESS_CHILD_LIMIT_SECONDS = 300;

/** Defaults of a job's tuning (a job may set `batch_size`, `max_concurrency` and `tolerated_failure_percentage` itself). */
export const BATCH_DEFAULTS = { batchSize: 10, maxConcurrency: 20, toleratedFailurePercentage: 10 } as const;

/** What the worker throws for what a retry can fix (transient-error.ts); `Retry` matches it by this name. */
export const TRANSIENT_ERROR = "cvflow.TransientError";

export interface BatchDefinitionOptions {
  prepareArn: string;
  workerArn: string;
  finalizeArn: string;
  /** Default batches in flight; a job's `max_concurrency` overrides it. */
  maxConcurrency: number;
  /** Default images per worker call; a job's `batch_size` overrides it. */
  batchSize: number;
  /**
   * Default share of images, in percent, that may fail; a job's `tolerated_failure_percentage`
   * overrides it. The map fails once the images of failed batches pass it (Finalize runs either
   * way, through the Catch); Finalize ends the job `failed` once images with failure records pass it.
   */
  toleratedFailurePercentage: number;
  workerTimeoutSeconds: number;
  prepareTimeoutSeconds?: number;
  finalizeTimeoutSeconds?: number;
}

/**
 * Lambda's own errors (direct Lambda ARN Tasks): throttling refuses an invocation before it runs;
 * the others may come after the function ran, so they share the retries of a timeout.
 */
const LAMBDA_THROTTLED = ["Lambda.TooManyRequestsException"];
const LAMBDA_SERVICE_ERRORS = ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"];

const THROTTLING_RETRY = { ErrorEquals: [...LAMBDA_THROTTLED, ...LAMBDA_SERVICE_ERRORS], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: "FULL" };
const TRANSIENT_RETRY = { ErrorEquals: ["States.Timeout", TRANSIENT_ERROR], IntervalSeconds: 1, MaxAttempts: 4, BackoffRate: 2, MaxDelaySeconds: 30, JitterStrategy: "FULL" };

/**
 * The Worker's retries, inside an Express child (at most EXPRESS_CHILD_LIMIT_SECONDS in all): two
 * more runs after a timeout, a cvflow.TransientError or a Lambda service error (each run at most
 * the worker's timeout), and short waits while Lambda throttles (those invocations never ran).
 * A batch that still fails fails its child: the map counts its images against the tolerated
 * failures, and a restart (or a redrive of the map run) runs it again.
 */
export const WORKER_RETRY = [
  { ErrorEquals: LAMBDA_THROTTLED, IntervalSeconds: 1, MaxAttempts: 4, BackoffRate: 2, MaxDelaySeconds: 8, JitterStrategy: "FULL" },
  { ErrorEquals: ["States.Timeout", TRANSIENT_ERROR, ...LAMBDA_SERVICE_ERRORS], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2, MaxDelaySeconds: 2, JitterStrategy: "FULL" },
];

export function batchStateMachineDefinition(options: BatchDefinitionOptions): Record<string, unknown> {
  return {
    Comment: "cvflow batch job: list the images, run the workflow on them in batches, aggregate the results",
    StartAt: "Prepare",
    States: {
      Prepare: {
        Type: "Task",
        Resource: options.prepareArn,
        // The execution's name goes into status.json: abort stops that execution.
        Parameters: {
          "job.$": "$.job",
          "bucket.$": "$.bucket",
          "execution.$": "$$.Execution.Name",
          defaults: { batch_size: options.batchSize, max_concurrency: options.maxConcurrency, tolerated_failure_percentage: options.toleratedFailurePercentage },
        },
        TimeoutSeconds: options.prepareTimeoutSeconds ?? BATCH_TIMEOUTS.prepareSeconds,
        Retry: [THROTTLING_RETRY, TRANSIENT_RETRY],
        Next: "ProcessImages",
      },
      ProcessImages: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "JSON" },
          Parameters: { "Bucket.$": "$.bucket", "Key.$": "$.manifest_key" },
        },
        ItemBatcher: {
          MaxItemsPerBatchPath: "$.batch_size",
          BatchInput: { "job.$": "$.job", "bucket.$": "$.bucket", "check_done.$": "$.check_done" },
        },
        MaxConcurrencyPath: "$.max_concurrency",
        ToleratedFailurePercentagePath: "$.tolerated_failure_percentage",
        ItemProcessor: {
          // Express children: ~$1 per million and their duration, against $25 per million state
          // transitions for Standard ones. At-least-once: the worker's conditional writes make a
          // batch run twice write each image once (docs/batch.md).
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
          StartAt: "Worker",
          States: {
            Worker: {
              Type: "Task",
              Resource: options.workerArn,
              // A retry (RetryCount > 0) checks which images are done before computing them.
              Parameters: { "BatchInput.$": "$.BatchInput", "Items.$": "$.Items", "RetryCount.$": "$$.State.RetryCount" },
              TimeoutSeconds: options.workerTimeoutSeconds,
              Retry: WORKER_RETRY,
              End: true,
            },
          },
        },
        ResultWriter: {
          Resource: "arn:aws:states:::s3:putObject",
          Parameters: { "Bucket.$": "$.bucket", "Prefix.$": "$.map_results_prefix" },
        },
        ResultPath: "$.map",
        // A failed map (past the tolerated failures, or stopped by an error) still ends in Finalize:
        // whatever was done is aggregated, and the job is marked failed.
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.map_error", Next: "Finalize" }],
        Next: "Finalize",
      },
      Finalize: {
        Type: "Task",
        Resource: options.finalizeArn,
        TimeoutSeconds: options.finalizeTimeoutSeconds ?? BATCH_TIMEOUTS.finalizeSeconds,
        Retry: [THROTTLING_RETRY, TRANSIENT_RETRY],
        Next: "ReplayGoesOn",
      },
      // A Finalize that its invocation's time could not hold — a video job's replay, or a large
      // job's aggregation — answers its own input with `replay_pending: true` (its progress is in
      // S3): Finalize goes on from there.
      ReplayGoesOn: {
        Type: "Choice",
        Choices: [{ And: [{ Variable: "$.replay_pending", IsPresent: true }, { Variable: "$.replay_pending", BooleanEquals: true }], Next: "Finalize" }],
        Default: "Done",
      },
      Done: { Type: "Succeed" },
    },
  };
}
