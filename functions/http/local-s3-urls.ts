/**
 * The image-URL policy for a local S3 server on loopback (CVFLOW_S3_ENDPOINT): the presigned GET
 * addresses this service issued for its bucket (large results handed back as inputs) pass the
 * fetcher's address check; nothing else there does — not other objects, not unsigned or foreign
 * addresses. On AWS (no endpoint) there is no exemption.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { isPresignedGetUrl } from "@cvflow/store";
import type { UrlPolicy } from "@cvflow/vision";

export async function localS3UrlPolicy(client: S3Client, endpoint: string | undefined, bucket: string): Promise<UrlPolicy> {
  if (!endpoint) return {};
  const credentials = await client.config.credentials();
  return { allowPrivate: (url) => isPresignedGetUrl(url, { endpoint, bucket, credentials }) };
}
