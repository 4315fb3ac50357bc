/**
 * The S3 trigger's Lambda: `batches/{job}/job.json` created → StartExecution of the batch state
 * machine, named after the job and the event (idempotent). Locally, the local stack calls this
 * very handler for the S3 server's object-created events, and "StartExecution" reaches its runner.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { batchExecutions, createTrigger } from "@cvflow/batch";
import type { S3Event } from "aws-lambda";
import { batchConfig, requiredStateMachineArn } from "./batch/config.js";

const config = batchConfig();
const logger = new Logger({ serviceName: "cvflow-batch-trigger" });
const trigger = createTrigger({ executions: batchExecutions(requiredStateMachineArn(config), { region: config.region }), bucket: config.bucket });

export async function handler(event: S3Event): Promise<unknown> {
  const result = await trigger(event);
  logger.info("batch trigger", { ...result });
  return result;
}
