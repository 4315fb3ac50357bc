/**
 * Writes one object for a sink (s3_sink: Egress.s3.put): with the deployment's credentials, or
 * with credentials a step gives, used as given, in the region it names — against AWS, or the
 * deployment's S3-protocol server (locally, the loopback one). Up to 3 retries after the first
 * try, as Roboflow's s3_sink makes; the SDK's standard strategy decides which failures may be
 * tried again (throttling, 5xx, a connection lost) and how long to wait. A failure rejects with
 * S3's answer as the message, in the words boto3 uses, so the step's `message` reads as Roboflow's.
 */
import { PutObjectCommand, S3ServiceException, type S3Client } from "@aws-sdk/client-s3";
import { createS3Client } from "./s3-client.js";

const MAX_ATTEMPTS = 4;

export interface ObjectWriterOptions {
  region: string;
  /** An S3-protocol server other than AWS. */
  endpoint?: string;
  /** The deployment's (the local stack's key pair); default the SDK's provider chain (on Lambda, the function's role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface ObjectPut {
  bucket: string;
  key: string;
  body: Uint8Array;
  contentType: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  region?: string;
  signal: AbortSignal;
}

export function s3ObjectWriter(options: ObjectWriterOptions): (put: ObjectPut) => Promise<void> {
  /** The deployment's clients, one per region asked. */
  const own = new Map<string, S3Client>();
  const clientFor = (region: string): S3Client => {
    let client = own.get(region);
    if (!client) own.set(region, (client = createS3Client({ region, endpoint: options.endpoint, credentials: options.credentials, maxAttempts: MAX_ATTEMPTS })));
    return client;
  };
  return async (put) => {
    const region = put.region || options.region;
    // A step's credentials get a client of their own, for this write only.
    const client = put.credentials ? createS3Client({ region, endpoint: options.endpoint, credentials: put.credentials, maxAttempts: MAX_ATTEMPTS }) : clientFor(region);
    try {
      await client.send(new PutObjectCommand({ Bucket: put.bucket, Key: put.key, Body: put.body, ContentType: put.contentType }), { abortSignal: put.signal });
    } catch (error) {
      if (put.signal.aborted) throw put.signal.reason;
      if (error instanceof S3ServiceException) throw new Error(`An error occurred (${error.name}) when calling the PutObject operation: ${error.message}`);
      throw new Error(`Could not reach S3: ${(error as Error).message}`);
    } finally {
      if (put.credentials) client.destroy();
    }
  };
}
