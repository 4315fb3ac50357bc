import { S3Client } from "@aws-sdk/client-s3";
import { traceTransientWait } from "@cvflow/engine";

export interface S3ClientOptions {
  /** An S3-protocol server other than AWS (locally, the loopback server of @cvflow/local). */
  endpoint?: string;
  region: string;
  /** Default: the SDK's provider chain (on Lambda, the function's role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Tries of a request, the first included (the SDK's standard retry strategy); default the SDK's 3. */
  maxAttempts?: number;
  /** Connections per host at once; default the SDK's 50, which caps how many requests are in flight. */
  maxSockets?: number;
}

/**
 * One client configuration for AWS and for the local server. Checksums only where S3 requires
 * them: the SDK's default sends streamed bodies aws-chunked with a trailing checksum, which
 * S3-protocol servers other than S3 store with the framing in, and adds checksum parameters to
 * presigned URLs. Path-style addressing whenever an endpoint is given: a loopback address has
 * no bucket subdomains. Every call is a transient wait (see @cvflow/engine's transient-waits.ts):
 * time a request spends on the store tells its deadline guard that a retry may succeed.
 */
export function createS3Client(options: S3ClientOptions): S3Client {
  const client = new S3Client({
    region: options.region,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint, forcePathStyle: true }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(options.maxSockets === undefined ? {} : { requestHandler: { httpAgent: { maxSockets: options.maxSockets }, httpsAgent: { maxSockets: options.maxSockets } } }),
  });
  client.middlewareStack.add((next) => (args) => traceTransientWait("store", () => next(args)), { step: "initialize", name: "cvflowTransientWait" });
  return client;
}
