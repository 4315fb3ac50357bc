/** The batch functions' S3 client: the configured endpoint and credentials, else AWS and the SDK's provider chain. */
import type { S3Client } from "@aws-sdk/client-s3";
import { FINALIZE_READS_IN_FLIGHT } from "@cvflow/batch";
import { createS3Client } from "@cvflow/store";
import type { BatchConfig } from "./config.js";

/** `maxSockets`: requests in flight at once (Finalize reads FINALIZE_READS_IN_FLIGHT results at a time); default the SDK's 50. */
export function batchS3Client(config: BatchConfig, maxSockets?: number): S3Client {
  return createS3Client({ region: config.region, endpoint: config.s3Endpoint, credentials: config.credentials, ...(maxSockets === undefined ? {} : { maxSockets }) });
}

/** Finalize's client: a connection for each of its reads in flight. */
export function finalizeS3Client(config: BatchConfig): S3Client {
  return batchS3Client(config, FINALIZE_READS_IN_FLIGHT);
}
