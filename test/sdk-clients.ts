/** The SDK on a test stack: a client of the stack's workspace, one of another workspace, and what a refused call threw. */
import type { LocalStack } from "@cvflow/local";
import { CvflowClient, CvflowError } from "@cvflow/sdk";
import { createS3Client, S3ApiKeyStore } from "@cvflow/store";
import { expect } from "vitest";

/** `client` signs in to the stack's workspace; `other` to a workspace of its own ("other", allowed to run workflows). */
export async function sdkClients(stack: LocalStack): Promise<{ client: CvflowClient; other: CvflowClient }> {
  const s3 = createS3Client({ endpoint: stack.s3.endpoint, region: stack.s3.region, credentials: stack.s3.credentials });
  const otherKey = (await new S3ApiKeyStore(s3, stack.s3.bucket).create("other", ["workflow:run"], "test")).key;
  return { client: new CvflowClient({ baseUrl: stack.url, apiKey: stack.apiKey }), other: new CvflowClient({ baseUrl: stack.url, apiKey: otherKey }) };
}

/** The CvflowError a call failed with (the test fails if it did not fail so). */
export async function failure(promise: Promise<unknown>): Promise<CvflowError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(CvflowError);
  return error as CvflowError;
}
