/** The state machine's definition (src/definition.ts): valid ASL (asl-validator), and shaped as docs/batch.md says. */
import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { BATCH_DEFAULTS, BATCH_TIMEOUTS, BATCH_TRIGGER, batchStateMachineDefinition, EXPRESS_CHILD_LIMIT_SECONDS, TRANSIENT_ERROR } from "../src/definition.js";
import { BATCHES_PREFIX } from "../src/index.js";

const options = {
  prepareArn: "arn:aws:lambda:eu-west-1:123456789012:function:cvflow-batch-prepare",
  workerArn: "arn:aws:lambda:eu-west-1:123456789012:function:cvflow-batch-worker",
  finalizeArn: "arn:aws:lambda:eu-west-1:123456789012:function:cvflow-batch-finalize",
  maxConcurrency: BATCH_DEFAULTS.maxConcurrency,
  batchSize: BATCH_DEFAULTS.batchSize,
  toleratedFailurePercentage: BATCH_DEFAULTS.toleratedFailurePercentage,
  workerTimeoutSeconds: BATCH_TIMEOUTS.workerSeconds,
};
const definition = batchStateMachineDefinition(options) as { StartAt: string; States: Record<string, any> };
// The validator writes a QueryLanguage into every state it checks: it gets copies.
const validate = (value: unknown) => aslValidator(structuredClone(value));

describe("the batch state machine definition", () => {
  it("is valid Amazon States Language", () => {
    const { isValid, errorsText } = validate(definition);
    expect(errorsText("\n")).toBe("");
    expect(isValid).toBe(true);
  });

  it("is checked by the validator for real", () => {
    const broken = structuredClone(definition);
    broken.States["ProcessImages"].ItemProcessor.ProcessorConfig = { Mode: "DISTRIBUTED" }; // ExecutionType is required
    expect(validate(broken).isValid).toBe(false);
    expect(validate({ ...definition, StartAt: "Nowhere" }).isValid).toBe(false);
  });

  it("runs Prepare, then the Distributed Map, then Finalize, which a failed map reaches too", () => {
    const { Prepare, ProcessImages: map, Finalize } = definition.States;
    expect(definition.StartAt).toBe("Prepare");
    expect([Prepare.Resource, Prepare.Next, map.Next, Finalize.Resource, Finalize.Next]).toEqual([options.prepareArn, "ProcessImages", "Finalize", options.finalizeArn, "ReplayGoesOn"]);
    // Finalize again while a video job's replay is pending; else the end.
    expect(definition.States["ReplayGoesOn"]).toMatchObject({ Type: "Choice", Choices: [{ Next: "Finalize" }], Default: "Done" });
    expect(definition.States["Done"]).toEqual({ Type: "Succeed" });
    expect(map.Catch).toEqual([{ ErrorEquals: ["States.ALL"], ResultPath: "$.map_error", Next: "Finalize" }]);
    expect(map.ItemReader).toEqual({ Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "JSON" }, Parameters: { "Bucket.$": "$.bucket", "Key.$": "$.manifest_key" } });
    expect(map.ItemBatcher.BatchInput).toEqual({ "job.$": "$.job", "bucket.$": "$.bucket", "check_done.$": "$.check_done" });
    expect(map.ResultWriter.Parameters).toEqual({ "Bucket.$": "$.bucket", "Prefix.$": "$.map_results_prefix" });
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" });
    expect(map.ItemProcessor.States.Worker.Parameters).toEqual({ "BatchInput.$": "$.BatchInput", "Items.$": "$.Items", "RetryCount.$": "$$.State.RetryCount" });
    // The job's tuning (or the definition's defaults, which Prepare is handed) sets batch size, concurrency and the failures tolerated.
    expect([map.ItemBatcher.MaxItemsPerBatchPath, map.MaxConcurrencyPath, map.ToleratedFailurePercentagePath]).toEqual(["$.batch_size", "$.max_concurrency", "$.tolerated_failure_percentage"]);
    expect(map.ToleratedFailurePercentage).toBeUndefined();
    expect(Prepare.Parameters.defaults).toEqual({ batch_size: options.batchSize, max_concurrency: options.maxConcurrency, tolerated_failure_percentage: options.toleratedFailurePercentage });
  });

  it("retries the worker on Lambda throttling, its timeout and cvflow.TransientError, with backoff", () => {
    const worker = definition.States["ProcessImages"].ItemProcessor.States.Worker;
    expect(worker.Resource).toBe(options.workerArn);
    expect(worker.TimeoutSeconds).toBe(options.workerTimeoutSeconds);
    const errors = worker.Retry.flatMap((retrier: { ErrorEquals: string[] }) => retrier.ErrorEquals);
    expect(errors).toEqual(expect.arrayContaining(["Lambda.TooManyRequestsException", "States.Timeout", TRANSIENT_ERROR]));
    for (const retrier of worker.Retry) expect(retrier.BackoffRate).toBeGreaterThan(1);
  });

  it("fits the Worker's every attempt and every wait in an Express child's five minutes", () => {
    const worker = definition.States["ProcessImages"].ItemProcessor.States.Worker;
    type Retrier = { ErrorEquals: string[]; IntervalSeconds: number; MaxAttempts: number; BackoffRate: number; MaxDelaySeconds: number };
    const waits = (retrier: Retrier) =>
      Array.from({ length: retrier.MaxAttempts }, (_, i) => Math.min(retrier.IntervalSeconds * retrier.BackoffRate ** i, retrier.MaxDelaySeconds)).reduce((a, b) => a + b, 0);
    // Throttled invocations never ran; any other error may come at the end of a whole run.
    const throttled = (retrier: Retrier) => retrier.ErrorEquals.every((error) => error === "Lambda.TooManyRequestsException");
    const runs = 1 + worker.Retry.filter((retrier: Retrier) => !throttled(retrier)).reduce((sum: number, retrier: Retrier) => sum + retrier.MaxAttempts, 0);
    const worst = runs * worker.TimeoutSeconds + worker.Retry.reduce((sum: number, retrier: Retrier) => sum + waits(retrier), 0);
    expect([runs, worst]).toEqual([3, 288]);
    expect(worst).toBeLessThanOrEqual(EXPRESS_CHILD_LIMIT_SECONDS);
    expect(BATCH_TIMEOUTS.workerSeconds).toBe(90);
  });

  it("shares its names with the batch package", () => {
    expect(BATCH_TRIGGER.prefix).toBe(BATCHES_PREFIX);
  });
});
