/**
 * The image-URL policy: the deployment's allow-list (CVFLOW_URL_ALLOW_HOSTS), and for a local S3
 * server on loopback (CVFLOW_S3_ENDPOINT) the presigned GET addresses this service issued for its
 * bucket (large results handed back as inputs) pass the fetcher's address check; nothing else
 * there does — not other objects, not unsigned or foreign addresses. On AWS (no endpoint) there
 * is no such exemption.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { isPresignedGetUrl } from "@cvflow/store";
import { parseUrlAllowList, type UrlPolicy } from "@cvflow/vision";

/** `allowHosts`: CVFLOW_URL_ALLOW_HOSTS as written; a malformed entry stops the function's start, naming it. */
export async function imageUrlPolicy(client: S3Client, endpoint: string | undefined, bucket: string, allowHosts: string | undefined): Promise<UrlPolicy> {
  const allowList = parseUrlAllowList(allowHosts);
  const listed = allowList ? { allowList } : {};
  if (!endpoint) return listed;
  const credentials = await client.config.credentials();
  return { ...listed, allowPrivate: (url) => isPresignedGetUrl(url, { endpoint, bucket, credentials }) };
}
