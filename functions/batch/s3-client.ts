/** The batch functions' S3 client: the configured endpoint and credentials, else AWS and the SDK's provider chain. */
import type { S3Client } from "@aws-sdk/client-s3";
import { createS3Client } from "@cvflow/store";
import type { BatchConfig } from "./config.js";

export function batchS3Client(config: BatchConfig): S3Client {
  return createS3Client({ region: config.region, endpoint: config.s3Endpoint, credentials: config.credentials });
}
