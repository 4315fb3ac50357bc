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
 */
export const BATCH_TIMEOUTS = { prepareSeconds: 300, workerSeconds: 300, finalizeSeconds: 900 } as const;

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

/** The errors Lambda's own service raises when it throttles or hiccups (direct Lambda ARN Tasks). */
const LAMBDA_SERVICE_ERRORS = ["Lambda.TooManyRequestsException", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"];

const THROTTLING_RETRY = { ErrorEquals: LAMBDA_SERVICE_ERRORS, IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: "FULL" };
const TRANSIENT_RETRY = { ErrorEquals: ["States.Timeout", TRANSIENT_ERROR], IntervalSeconds: 1, MaxAttempts: 4, BackoffRate: 2, MaxDelaySeconds: 30, JitterStrategy: "FULL" };

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
          BatchInput: { "job.$": "$.job", "bucket.$": "$.bucket" },
        },
        MaxConcurrencyPath: "$.max_concurrency",
        ToleratedFailurePercentagePath: "$.tolerated_failure_percentage",
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Worker",
          States: {
            Worker: {
              Type: "Task",
              Resource: options.workerArn,
              TimeoutSeconds: options.workerTimeoutSeconds,
              Retry: [THROTTLING_RETRY, TRANSIENT_RETRY],
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
      // A video job's replay that its invocation's time could not hold answers its own input with
      // `replay_pending: true` (its progress is in S3): Finalize goes on from there.
      ReplayGoesOn: {
        Type: "Choice",
        Choices: [{ And: [{ Variable: "$.replay_pending", IsPresent: true }, { Variable: "$.replay_pending", BooleanEquals: true }], Next: "Finalize" }],
        Default: "Done",
      },
      Done: { Type: "Succeed" },
    },
  };
}
