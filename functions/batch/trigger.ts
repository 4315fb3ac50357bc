/**
 * The S3 trigger's Lambda: `batches/{job}/job.json` created → StartExecution of the batch state
 * machine, named after the job and the event (idempotent). Locally, the local stack calls this
 * very handler for the S3 server's object-created events, and "StartExecution" reaches its runner.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { batchExecutions, createTrigger } from "@cvflow/batch";
import type { S3Event } from "aws-lambda";
import { requiredStateMachineArn, type BatchConfig } from "./config.js";

export function createTriggerHandler(config: BatchConfig): (event: S3Event) => Promise<unknown> {
  const logger = new Logger({ serviceName: "cvflow-batch-trigger" });
  const trigger = createTrigger({ executions: batchExecutions(requiredStateMachineArn(config), { region: config.region }), bucket: config.bucket });
  return async (event) => {
    const result = await trigger(event);
    logger.info("batch trigger", { ...result });
    return result;
  };
}
